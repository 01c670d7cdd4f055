"""自检 (self-test): run the app's main path on a fresh database and report each step.

``main.py --self-test`` (in a build: ``wangjiantong-cli.exe --self-test``) opens a new database
in a temporary folder whose name has Chinese characters and a space, loads the demo data,
creates an inspection round, enters results (some failing), follows one rectification item and
writes the round's 通报 as PDF, .docx and .xlsx. A build that lacks a migration, a resource
file, a font or a library's data file fails here with the step and the reason named, instead
of on the clerk's desk. Nothing outside the temporary folder is written.

Callers may add steps (``main.py`` adds one that builds the main window); each step returns a
short Chinese description of what it checked and raises on failure.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
import tomllib
import traceback
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.paths import project_root, resource_path

if TYPE_CHECKING:
    from app.services.registry import Registry

EXIT_OK, EXIT_FAILED = 0, 1
ROUND_NAME = "2026年第一季度"
# A folder name like the ones clerks use, to prove paths with Chinese and spaces work.
FOLDER_NAME = "网检通 自检"

Out = Callable[[str], None]


def app_version() -> str:
    """The version in pyproject.toml (shipped beside ``resources/`` in a build)."""
    try:
        data = tomllib.loads((project_root() / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "未知"


@dataclass
class SelfTestContext:
    """What the steps share: the working folder and, once opened, the services."""

    folder: Path
    registry: Registry | None = None
    round_id: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)


Step = Callable[[SelfTestContext], str]
ExtraStep = tuple[str, Callable[["Registry"], str]]  # (name, check given the open Registry)


def _check_resources(ctx: SelfTestContext) -> str:
    wanted = {
        "字体": resource_path("fonts", "wqy-microhei.ttc"),
        "字体许可": resource_path("fonts", "wqy-microhei-LICENSE.txt"),
        "导入规则": resource_path("import", "column_synonyms.json"),
        "通报模板": resource_path("notice", "templates.json"),
        "演示数据": resource_path("demo", "demo_registry.json"),
    }
    missing = [f"{label}（{path}）" for label, path in wanted.items() if not path.is_file()]
    indicator_sets = sorted(resource_path("indicators").glob("*.json"))
    if not indicator_sets:
        missing.append(f"指标体系（{resource_path('indicators')}）")
    if missing:
        raise RuntimeError("缺少资源文件：" + "、".join(missing))
    return f"字体、导入规则、通报模板、演示数据齐全，指标体系 {len(indicator_sets)} 套"


def _open_database(ctx: SelfTestContext) -> str:
    from app.database import open_database
    from app.services.registry import Registry
    from db.migrate import current_revision

    db = open_database(ctx.folder / "wangjiantong.sqlite3")
    ctx.registry = Registry(db, user="自检")
    return f"新建数据库，架构已升级到 {current_revision(db.engine)}（{db.path}）"


def _load_demo(ctx: SelfTestContext) -> str:
    units, websites, accounts = _registry(ctx).demo.load()
    return f"演示数据：单位 {units} 个，网站 {websites} 个，新媒体账号 {accounts} 个"


def create_round(ctx: SelfTestContext) -> str:
    """A quarterly round over the registry (also used by bench/startup.py)."""
    from app.services.rounds import RoundInput
    from app.vocab import RoundKind, TargetType

    r = _registry(ctx)
    ctx.round_id = r.rounds.create(
        RoundInput(
            ROUND_NAME,
            RoundKind.QUARTERLY,
            date(2026, 1, 1),
            date(2026, 3, 25),
            r.indicators.default_id(TargetType.WEBSITE),
            r.indicators.default_id(TargetType.ACCOUNT),
            inspection_date=date(2026, 3, 26),
        )
    )
    row = r.rounds.get(ctx.round_id)
    return f"检查轮次「{row.name}」：检查对象 {row.total} 个"


def enter_results(ctx: SelfTestContext) -> str:
    """Three sites and one account fail a veto, one site loses points, the rest pass."""
    from app.domain.scoring import Finding
    from app.vocab import TargetType

    r = _registry(ctx)
    targets = r.inspection.targets(ctx.round_id)
    sites = [t for t in targets if t.kind is TargetType.WEBSITE]
    accounts = [t for t in targets if t.kind is TargetType.ACCOUNT]
    if len(sites) < 4 or len(accounts) < 2:
        raise RuntimeError(f"检查对象不足（网站 {len(sites)} 个，新媒体 {len(accounts)} 个）")
    failing = [*sites[:3], accounts[0]]
    for target in failing:
        rules = r.inspection.checklist(target.id).rules
        veto = next(i for i in rules.indicators if i.part == "veto")
        r.inspection.save(target.id, [Finding(veto.code)])
    rules = r.inspection.checklist(sites[3].id).rules
    deduction = next(i for i in rules.indicators if i.part == "deduction")
    r.inspection.save(sites[3].id, [Finding(deduction.code, 1)])  # deducted, still 合格
    r.inspection.mark_passed([t.id for t in targets])
    stats = r.stats.round_stats(ctx.round_id)
    w, a = stats.websites, stats.accounts
    if w.pending or a.pending or w.failed != 3 or a.failed != 1:
        raise RuntimeError(
            f"检查结果与录入不符：网站不合格 {w.failed} 个、未检 {w.pending} 个，"
            f"新媒体不合格 {a.failed} 个、未检 {a.pending} 个"
        )
    return (
        f"网站合格 {w.passed} 个、不合格 {w.failed} 个，合格率 {w.pass_rate}；"
        f"新媒体合格 {a.passed} 个、不合格 {a.failed} 个，合格率 {a.pass_rate}"
    )


def _rectification(ctx: SelfTestContext) -> str:
    r = _registry(ctx)
    items = r.rectification.list()
    if len(items) < 4:
        raise RuntimeError(f"不合格对象应生成整改事项，实际只有 {len(items)} 项")
    first = min(items, key=lambda item: item.id)
    r.rectification.record_report(first.id, max(date.today(), first.found_on), "已整改（自检）")
    after = r.rectification.get(first.id).row
    return (
        f"整改事项 {len(items)} 项，期限按工作日计算（如 {items[0].deadline_text}）；"
        f"一项已登记整改报送，状态「{after.status_text}」"
    )


def _write_notice(ctx: SelfTestContext) -> str:
    r = _registry(ctx)
    draft, facts = r.notices.draft(ctx.round_id, today=date.today())
    doc = r.notices.document(draft, facts)
    out = ctx.folder / "通报 输出"
    out.mkdir()
    pdf, docx, xlsx = out / "通报.pdf", out / "通报.docx", out / "附件.xlsx"
    r.notices.export(doc, pdf=pdf, docx=docx, xlsx=xlsx)
    head = pdf.read_bytes()[:5]
    if head != b"%PDF-" or pdf.stat().st_size < 1024:
        raise RuntimeError(f"通报 PDF 不完整（{pdf.stat().st_size} 字节，开头 {head!r}）")
    for path in (docx, xlsx):
        if not zipfile.is_zipfile(path):
            raise RuntimeError(f"「{path.name}」不是有效的 Office 文件")
    from openpyxl import load_workbook

    sheets = load_workbook(xlsx, read_only=True).sheetnames
    ctx.outputs.update(pdf=pdf, docx=docx, xlsx=xlsx)
    return (
        f"《{doc.title}》PDF {pdf.stat().st_size // 1024} KB、"
        f"Word {docx.stat().st_size // 1024} KB、Excel（{'、'.join(sheets)}）"
    )


def _issue_notice(ctx: SelfTestContext) -> str:
    r = _registry(ctx)
    draft, _facts = r.notices.draft(ctx.round_id, today=date.today())
    issued = r.notices.issue(ctx.round_id, draft, ctx.folder / "通报 输出" / "印发.pdf")
    if not issued.intact:
        raise RuntimeError(f"印发副本校验失败：{issued.path}")
    return f"已印发并定稿，副本 SHA-256 校验一致（{issued.path.name}）"


STEPS: list[tuple[str, Step]] = [
    ("资源文件", _check_resources),
    ("数据库", _open_database),
    ("载入演示数据", _load_demo),
    ("新建检查轮次", create_round),
    ("录入检查结果", enter_results),
    ("整改跟踪", _rectification),
    ("生成通报", _write_notice),
    ("印发通报", _issue_notice),
]


def _registry(ctx: SelfTestContext) -> Registry:
    if ctx.registry is None:
        raise RuntimeError("数据库没有打开")
    return ctx.registry


def run_self_test(extra_steps: Sequence[ExtraStep] = (), out: Out = print) -> int:
    """Run every step, printing one Chinese line each; 0 when all pass, 1 at the first failure.

    ``extra_steps`` run after the built-in ones with the open Registry (e.g. the window check).
    """
    frozen = "打包程序" if getattr(sys, "frozen", False) else "源代码"
    out(
        f"网检通自检：版本 {app_version()}，{frozen}运行，Python {platform.python_version()}，"
        f"{platform.system()} {platform.release()}"
    )
    steps: list[tuple[str, Step]] = [
        *STEPS,
        *((name, lambda ctx, check=check: check(_registry(ctx))) for name, check in extra_steps),
    ]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wjt-selftest-") as tmp:
        ctx = SelfTestContext(folder=Path(tmp) / FOLDER_NAME)
        ctx.folder.mkdir()
        try:
            for n, (name, step) in enumerate(steps, start=1):
                prefix = f"[{n}/{len(steps)}] {name}"
                try:
                    detail = step(ctx)
                except Exception as exc:  # noqa: BLE001 - every failure becomes the report
                    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
                    out(f"{prefix}：失败 —— {message}")
                    traceback.print_exc(file=sys.stderr)
                    out(f"自检未通过：「{name}」一步失败（{type(exc).__name__}）。")
                    return EXIT_FAILED
                out(f"{prefix}：正常 —— {detail}")
        finally:
            if ctx.registry is not None:
                ctx.registry.db.close()
    out(f"自检通过，共 {len(steps)} 步，用时 {time.perf_counter() - started:.1f} 秒。")
    return EXIT_OK
