"""Command line for batch work; the same services as the GUI.

Exit codes: 0 success, 1 an error the user can fix (message on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.cli_notice import add_notice_command
from app.cli_parser import ChineseArgumentParser
from app.database import open_database
from app.domain.dates import parse_date
from app.errors import AppError
from app.instance_lock import InstanceLock
from app.io.registry_export import export_registry
from app.io.results_export import export_round_results
from app.services.backup import integrity_problems
from app.services.package import export_package, import_package
from app.services.registry import Registry
from app.services.registry_import import apply_import, plan_import
from app.services.results_import import apply_results, plan_results

EXIT_OK, EXIT_ERROR = 0, 1


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="main.py",
        description="网检通：政府网站与政务新媒体检查台账。不带子命令时打开图形界面。",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="数据库文件（默认：用户数据文件夹中的 wangjiantong.sqlite3）",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    export = sub.add_parser("export-registry", help="把台账（网站、新媒体、单位）导出为 .xlsx")
    export.add_argument("out", metavar="OUT.xlsx", type=Path, help="输出文件")
    export.add_argument(
        "--only",
        choices=("websites", "accounts", "units"),
        help="只导出一类：websites 网站 / accounts 新媒体 / units 单位",
    )
    export.set_defaults(handler=_export_registry)
    imp = sub.add_parser(
        "import-registry",
        help="从 .xlsx/.csv 表格导入台账（新媒体账号或网站）；有错误行时不写入任何数据",
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="要导入的表格文件")
    imp.add_argument(
        "--sheet", metavar="NAME", help="只导入这个工作表（默认：所有能识别表头的工作表）"
    )
    imp.add_argument("--dry-run", action="store_true", help="只显示将要做的更改，不写入数据库")
    imp.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行，导入其余各行")
    imp.set_defaults(handler=_import_registry, writes=True)
    stats = sub.add_parser("stats", help="一个检查轮次的合格率统计（按网站、新媒体、县区）")
    stats.add_argument("--round", required=True, metavar="NAME", help="轮次名称，如 2023年第一季度")
    stats.add_argument("--json", action="store_true", help="输出 JSON（供其他程序读取）")
    stats.set_defaults(handler=_stats)
    _add_results_commands(sub)
    _add_package_commands(sub)
    add_notice_command(sub)
    return parser


def _add_results_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import-results",
        help="把以往轮次的检查结果表（编号/部门/评分/结果/主要问题）导入到一个检查轮次",
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="检查结果表格（.xlsx/.csv）")
    imp.add_argument(
        "--round", required=True, metavar="NAME", help="轮次名称，如 2023年第一季度；没有则新建"
    )
    imp.add_argument(
        "--kind",
        choices=("website", "account"),
        help="website 政府网站 / account 政务新媒体（默认按表头识别：有平台、账号列为新媒体）",
    )
    imp.add_argument("--sheet", metavar="NAME", help="只导入这个工作表（默认：所有检查结果表）")
    imp.add_argument(
        "--create-missing",
        action="store_true",
        help="台账中没有的网站/账号登记到台账（默认作为错误行）",
    )
    imp.add_argument("--skip-bad-rows", action="store_true", help="跳过有错误的行，导入其余各行")
    imp.add_argument("--dry-run", action="store_true", help="只显示将要导入的内容，不写入数据库")
    imp.add_argument(
        "--window",
        nargs=2,
        metavar=("START", "END"),
        type=_date_value,
        help="新建轮次的数据采集时间，如 2023-01-01 2023-03-25（默认取名称中季度的首末日）",
    )
    imp.set_defaults(handler=_import_results, writes=True)
    exp = sub.add_parser(
        "export-results", help="把一个检查轮次的结果导出为 .xlsx（网站、新媒体、统计）"
    )
    exp.add_argument("--round", required=True, metavar="NAME", help="轮次名称，如 2023年第一季度")
    exp.add_argument("out", metavar="OUT.xlsx", type=Path, help="输出文件")
    exp.set_defaults(handler=_export_results)


def _add_package_commands(sub: argparse._SubParsersAction) -> None:
    exp = sub.add_parser(
        "export-package",
        help="导出数据包：数据库和全部证据文件打包为一个 .zip，用于备份或换电脑",
    )
    exp.add_argument("out", metavar="OUT.zip", type=Path, help="输出的数据包文件")
    exp.set_defaults(handler=_export_package)
    imp = sub.add_parser(
        "import-package",
        help="导入数据包：校验后用包中的数据替换当前数据库（当前数据先自动备份）",
    )
    imp.add_argument("file", metavar="FILE.zip", type=Path, help="用 export-package 导出的数据包")
    imp.set_defaults(file_handler=_import_package, writes=True)


def _date_value(text: str) -> date:
    value = parse_date(text)
    if value is None:
        raise ValueError(text)
    return value


def _export_registry(registry: Registry, args: argparse.Namespace) -> int:
    only = args.only
    path = export_registry(
        args.out,
        registry.units.list() if only in (None, "units") else None,
        registry.websites.list() if only in (None, "websites") else None,
        registry.accounts.list() if only in (None, "accounts") else None,
    )
    print(f"已导出台账到 {path}")
    return EXIT_OK


def _import_registry(registry: Registry, args: argparse.Namespace) -> int:
    """Print the plan; write it unless --dry-run. Bad rows without --skip-bad-rows: exit 1."""
    plan = plan_import(registry, args.file, args.sheet)
    for line in plan.summary_lines():
        print(line)
    blocked = bool(plan.bad_rows) and not args.skip_bad_rows
    if args.dry_run:
        print("（试运行，未写入数据库）")
        return EXIT_ERROR if blocked else EXIT_OK
    if blocked:
        print(
            f"错误：有 {len(plan.bad_rows)} 行无法导入，未写入任何数据。"
            "请修正后重新导入，或加 --skip-bad-rows 跳过这些行。",
            file=sys.stderr,
        )
        return EXIT_ERROR
    result = apply_import(registry, plan, skip_bad_rows=args.skip_bad_rows)
    print(result.text)
    return EXIT_OK


def _import_results(registry: Registry, args: argparse.Namespace) -> int:
    """Print the plan; write it unless --dry-run. Bad rows without --skip-bad-rows: exit 1."""
    start, end = args.window or (None, None)
    plan = plan_results(
        registry, args.file, args.round, args.kind, args.sheet, window_start=start, window_end=end
    )
    for line in plan.summary_lines(args.create_missing):
        print(line)
    blocking = plan.blocking_rows(args.create_missing)
    blocked = bool(blocking) and not args.skip_bad_rows
    if args.dry_run:
        print("（试运行，未写入数据库）")
        return EXIT_ERROR if blocked else EXIT_OK
    if blocked:
        hint = (
            ""
            if args.create_missing or not plan.unmatched
            else "；台账中没有的网站/账号可加 --create-missing 登记"
        )
        print(
            f"错误：有 {len(blocking)} 行无法导入，未写入任何数据。"
            f"请修正后重新导入，或加 --skip-bad-rows 跳过这些行{hint}。",
            file=sys.stderr,
        )
        return EXIT_ERROR
    result = apply_results(
        registry, plan, create_missing=args.create_missing, skip_bad_rows=args.skip_bad_rows
    )
    print(result.text)
    return EXIT_OK


def _export_results(registry: Registry, args: argparse.Namespace) -> int:
    round_id = registry.rounds.require_id(args.round)
    path = export_round_results(registry, round_id, args.out)
    row = registry.rounds.get(round_id)
    print(f"已导出检查轮次「{row.name}」的结果到 {path}")
    if row.checked < row.total:
        print(
            f"注意：本轮还有 {row.total - row.checked} 个对象未检，导出的是未完成的结果。",
            file=sys.stderr,
        )
    return EXIT_OK


def _export_package(registry: Registry, args: argparse.Namespace) -> int:
    summary = export_package(registry.db.path, args.out, registry.user)
    print(
        f"已导出数据包 {summary.path}（数据库和 {summary.evidence_files} 个证据文件，"
        f"{summary.size / 1024**2:.1f} MB）"
    )
    if summary.missing_evidence:
        print(
            f"注意：有 {summary.missing_evidence} 个证据文件在 evidence 文件夹中找不到，"
            "未包含在数据包中。",
            file=sys.stderr,
        )
    return EXIT_OK


def _import_package(db_path: Path, args: argparse.Namespace) -> int:
    """Replace the data with the package's; works even when the current file is damaged."""
    summary = import_package(db_path, args.file)
    open_database(db_path).close()  # an older package's schema is upgraded now
    print(
        f"已导入数据包 {summary.path}（{summary.created_text} 由 {summary.user or '未知用户'} 导出，"
        f"{summary.evidence_files} 个证据文件）。"
    )
    if summary.backup is not None:
        print(f"导入前的数据已备份到 {summary.backup.path}")
    return EXIT_OK


def run_cli(args: argparse.Namespace, db_path: Path) -> int:
    """Run the sub-command in ``args`` against the database at ``db_path``.

    Commands that write hold the instance lock (refused while the window has the file open);
    read-only ones and ``--dry-run`` take no lock.
    """
    _utf8_console()
    writes = getattr(args, "writes", False) and not getattr(args, "dry_run", False)
    lock = InstanceLock(db_path) if writes else None
    try:
        if lock is not None:
            lock.acquire()
            if getattr(args, "file_handler", None) is None:  # import-package may replace it
                _refuse_damaged_after_crash(lock)
        return _run(args, Path(db_path))
    except AppError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if lock is not None:
            lock.release()


def _run(args: argparse.Namespace, db_path: Path) -> int:
    on_file: Callable[[Path, argparse.Namespace], int] | None = getattr(args, "file_handler", None)
    if on_file is not None:
        return on_file(db_path, args)
    handler: Callable[[Registry, argparse.Namespace], int] = args.handler
    db = open_database(db_path)
    try:
        return handler(Registry(db), args)
    finally:
        db.close()


def _refuse_damaged_after_crash(lock: InstanceLock) -> None:
    """After an unclean exit, write only into a sound file (the window offers a restore)."""
    if not lock.previous_exit_unclean or not lock.db_path.exists():
        return
    problems = integrity_problems(lock.db_path)
    if problems:
        raise AppError(
            f"网检通上次没有正常关闭，数据库「{lock.db_path}」检查发现已损坏（{problems[0]}）。"
            "请打开网检通窗口，按提示从备份恢复，或用 import-package 导入最近的数据包。"
        )


def _stats(registry: Registry, args: argparse.Namespace) -> int:
    round_id = registry.rounds.require_id(args.round)
    result = registry.stats.round_stats(round_id)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
        return EXIT_OK
    print(f"检查轮次：{result.round_name}")
    for label, c in (("政府网站", result.websites), ("政务新媒体", result.accounts)):
        pending = f"，未检 {c.pending}" if c.pending else ""
        print(
            f"{label}：共 {c.total} 个，合格 {c.passed}，不合格 {c.failed}{pending}，合格率 {c.pass_rate}"
        )
    print("按县区：")
    for r in result.by_region:
        kind = "政府网站" if r.kind == "websites" else "政务新媒体"
        c = r.counts
        print(
            f"  {r.region}\t{kind}\t共 {c.total}\t合格 {c.passed}\t不合格 {c.failed}\t合格率 {c.pass_rate}"
        )
    return EXIT_OK


def _utf8_console() -> None:
    """Chinese messages must not crash a Windows console with a legacy code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
