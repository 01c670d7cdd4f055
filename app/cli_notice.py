"""The `notice` command: write a round's 通报 (PDF, and optionally .docx / .xlsx), or issue it."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.services.registry import Registry

EXIT_OK = 0


def add_notice_command(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "notice",
        help="生成一个检查轮次的通报 PDF（可同时生成 Word 稿和附件表格）；--issue 印发并定稿",
    )
    cmd.add_argument("--round", required=True, metavar="NAME", help="轮次名称，如 2023年第一季度")
    cmd.add_argument("--out", required=True, metavar="FILE.pdf", type=Path, help="通报 PDF")
    cmd.add_argument("--xlsx", metavar="FILE.xlsx", type=Path, help="同时导出附件表格")
    cmd.add_argument("--docx", metavar="FILE.docx", type=Path, help="同时导出可编辑的 Word 稿")
    cmd.add_argument(
        "--regenerate",
        action="store_true",
        help="按当前数据重新生成全部文字（默认沿用界面中保存的修改稿）",
    )
    cmd.add_argument(
        "--issue",
        action="store_true",
        help="印发：保存 PDF 副本并把该轮次定稿（之后不能再修改检查结果）",
    )
    cmd.set_defaults(handler=_notice, writes=True)


def _notice(registry: Registry, args: argparse.Namespace) -> int:
    round_id = registry.rounds.require_id(args.round)
    notices = registry.notices
    draft, facts = notices.draft(round_id, today=date.today(), regenerate=args.regenerate)
    if args.issue:
        issued = notices.issue(round_id, draft, args.out)
        print(f"已印发：{args.out}（副本 {issued.path}，SHA-256 {issued.sha256}）")
        print(f"检查轮次「{facts.round_name}」已定稿。")
        extra = notices.export(notices.document(draft, facts), docx=args.docx, xlsx=args.xlsx)
    else:
        doc = notices.document(draft, facts)
        extra = notices.export(doc, pdf=args.out, docx=args.docx, xlsx=args.xlsx)
    for path in extra:
        print(f"已生成 {path}")
    return EXIT_OK
