"""年度汇总 as .xlsx and as PDF.

The PDF reuses the 通报 renderer (:func:`app.io.notice_pdf.write_notice_pdf`): the summary
becomes a :class:`NoticeDocument` — four short sections, the pass-rate chart, the office and
date as 落款, and the tables as 附件1–4 — so it prints in the same GB/T 9704 layout with the
same embedded fonts. That renderer draws one single-series bar chart, so the PDF charts the
websites' 合格率 per round (the accounts' when no website was checked) and gives both kinds
in the text and 附件1; the 总览 tab shows both side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from app.domain.notice_document import (
    AttachmentTable,
    BarChart,
    Block,
    BlockKind,
    NoticeDocument,
    TableColumn,
)
from app.io.xlsx_writer import Column, new_workbook, save_workbook, write_sheet
from app.services.overview import (
    ProblemCount,
    RoundOnTime,
    RoundRate,
    UnitTally,
    YearSummary,
    year_rate_chart,
)
from app.services.stats import Counts

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
TOP_IN_TEXT = 5


def year_title(summary: YearSummary, *, lines: bool = False) -> str:
    """The title; ``lines`` breaks it where the meaning allows (GB/T 9704 回行要求词意完整)."""
    sep = "\n" if lines else ""
    return f"{summary.year}年度政府网站和政务新媒体{sep}检查情况汇总"


# -- xlsx -----------------------------------------------------------------------------------
def _kind_columns(label: str, counts: Callable[[RoundRate], Counts]) -> list[Column]:
    return [
        Column(f"{label}列入检查", lambda r: counts(r).total),
        Column(f"{label}合格", lambda r: counts(r).passed),
        Column(f"{label}不合格", lambda r: counts(r).failed),
        Column(f"{label}合格率", lambda r: counts(r).pass_rate),
    ]


ROUND_COLUMNS = [
    Column("轮次", lambda r: r.name, 14),
    Column("数据采集开始", lambda r: r.window_start),
    Column("数据采集结束", lambda r: r.window_end),
    *_kind_columns("网站", lambda r: r.websites),
    *_kind_columns("新媒体", lambda r: r.accounts),
]
PROBLEM_COLUMNS = [
    Column("序号", lambda x: x[0]),
    Column("类别", lambda x: x[1].kind.label),
    Column("问题", lambda x: x[1].problem, 20),
    Column("出现次数", lambda x: x[1].times),
    Column("涉及单位数", lambda x: x[1].units),
]
UNIT_COLUMNS = [
    Column("序号", lambda x: x[0]),
    Column("单位", lambda x: x[1].unit_name, 16),
    Column("县区", lambda x: x[1].region),
    Column("被通报轮次数", lambda x: len(x[1].rounds_named)),
    Column("不合格（个次）", lambda x: x[1].failed),
    Column("问题数", lambda x: x[1].problems),
    Column("被通报轮次", lambda x: "、".join(x[1].rounds_named), 20),
]
ON_TIME_COLUMNS = [
    Column("轮次", lambda r: r.name, 14),
    Column("整改问题数", lambda r: r.items),
    Column("已到期或已完成", lambda r: r.due),
    Column("按期完成", lambda r: r.on_time),
    Column("未按期完成", lambda r: r.late),
    Column("逾期未完成", lambda r: r.open_overdue),
    Column("按期整改率", lambda r: r.rate),
]


def write_year_xlsx(summary: YearSummary, path: Path | str) -> Path:
    """Four sheets: 各轮次 (with the year's total), 主要问题, 被通报单位, 整改情况."""
    wb = new_workbook()
    total = RoundRate(
        0,
        f"{summary.year}年合计",
        date(summary.year, 1, 1),
        date(summary.year, 12, 31),
        summary.websites,
        summary.accounts,
    )
    rounds = [*summary.rounds, total] if summary.rounds else []
    write_sheet(wb.create_sheet("各轮次"), ROUND_COLUMNS, rounds)
    write_sheet(wb.create_sheet("主要问题"), PROBLEM_COLUMNS, enumerate(summary.problems, 1))
    write_sheet(wb.create_sheet("被通报单位"), UNIT_COLUMNS, enumerate(summary.units, 1))
    on_time = [*summary.rectification, summary.rectification_total] if summary.rectification else []
    write_sheet(wb.create_sheet("整改情况"), ON_TIME_COLUMNS, on_time)
    return save_workbook(wb, path)


# -- pdf ------------------------------------------------------------------------------------
def year_document(summary: YearSummary, issuer: str, issue_date: date) -> NoticeDocument:
    """The summary as a document for the GB/T 9704 renderer; empty tables are left out."""
    tables = _tables(summary)
    numbers = {key: i for i, key in enumerate((k for k, t in tables.items() if t.rows), 1)}
    attachments = [
        replace(table, number=numbers[key]) for key, table in tables.items() if key in numbers
    ]
    body = [
        Block(BlockKind.HEADING, "一、检查开展情况"),
        Block(BlockKind.PARAGRAPH, _rounds_text(summary) + _see(numbers, "rounds")),
    ]
    chart = _chart(summary)
    if chart is not None:
        body.append(Block(BlockKind.CHART))
    body += [
        Block(BlockKind.HEADING, "二、主要问题"),
        Block(BlockKind.PARAGRAPH, _problems_text(summary.problems) + _see(numbers, "problems")),
        Block(BlockKind.HEADING, "三、被通报较多的单位"),
        Block(BlockKind.PARAGRAPH, _units_text(summary.units) + _see(numbers, "units")),
        Block(BlockKind.HEADING, "四、整改情况"),
        Block(
            BlockKind.PARAGRAPH,
            _on_time_text(summary.rectification_total) + _see(numbers, "on_time"),
        ),
    ]
    return NoticeDocument(
        title=year_title(summary, lines=True),
        body=body,
        issuer=issuer,
        issue_date=issue_date,
        attachments=attachments,
        chart=chart,
    )


def write_year_pdf(
    summary: YearSummary,
    path: Path | str,
    issuer: str,
    issue_date: date,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Path:
    doc = year_document(summary, issuer, issue_date)
    from app.io.notice_pdf import write_notice_pdf  # reportlab only when a PDF is written

    return write_notice_pdf(doc, path, progress=progress, cancelled=cancelled)


def _short(name: str, year: int) -> str:
    """「2025年第一季度」→「第一季度」: the year is the document's."""
    prefix = f"{year}年"
    return name[len(prefix) :] if name.startswith(prefix) and len(name) > len(prefix) else name


def _counts_text(label: str, counts: Counts) -> str:
    checked = counts.passed + counts.failed
    if not checked:
        return f"未检查{label}"
    text = f"检查{label}{checked}个次，合格{counts.passed}个次，合格率{counts.pass_rate}"
    return text + (f"（另有{counts.pending}个次尚未检查）" if counts.pending else "")


def _rounds_text(summary: YearSummary) -> str:
    if not summary.rounds:
        return f"{summary.year}年没有开展检查。"
    names = "、".join(_short(r.name, summary.year) for r in summary.rounds)
    return (
        f"{summary.year}年共开展检查{len(summary.rounds)}轮（{names}）。全年累计"
        f"{_counts_text('政府网站', summary.websites)}；"
        f"{_counts_text('政务新媒体', summary.accounts)}。"
    )


def _problems_text(problems: Sequence[ProblemCount]) -> str:
    if not problems:
        return "全年检查未发现扣分或单项否决问题。"
    listed = "；".join(
        f"{p.problem}（{p.kind.label}，{p.times}次）" for p in problems[:TOP_IN_TEXT]
    )
    return f"全年出现次数较多的问题依次为：{listed}。"


def _units_text(units: Sequence[UnitTally]) -> str:
    if not units:
        return "全年没有单位的网站或新媒体被通报不合格。"
    listed = "；".join(
        f"{u.unit_name}（{len(u.rounds_named)}轮，不合格{u.failed}个次）"
        for u in units[:TOP_IN_TEXT]
    )
    return f"被通报不合格较多的单位依次为：{listed}。"


def _on_time_text(total: RoundOnTime) -> str:
    if not total.items:
        return "全年检查没有形成整改事项。"
    return (
        f"全年检查发现问题{total.items}项，已到整改期限或已完成整改的{total.due}项，"
        f"其中按期完成整改{total.on_time}项，按期整改率{total.rate}；"
        f"逾期尚未完成整改{total.open_overdue}项。"
    )


def _chart(summary: YearSummary) -> BarChart | None:
    chart = year_rate_chart(summary)
    for series in chart.series:
        shown = [
            (c, v) for c, v in zip(chart.categories, series.values, strict=True) if v is not None
        ]
        if shown:
            return BarChart(
                f"{summary.year}年各轮次{series.name}合格率",
                [_short(c, summary.year) for c, _ in shown],
                [v for _, v in shown],
            )
    return None


def _window(start: date, end: date) -> str:
    """「1.1—3.25」 within one year (the document's), else with the years."""
    if start.year == end.year:
        return f"{start.month}.{start.day}—{end.month}.{end.day}"
    return f"{start.year}.{start.month}.{start.day}—{end.year}.{end.month}.{end.day}"


def _see(numbers: dict[str, int], key: str) -> str:
    """「详见附件2。」; a single attachment is just 附件 (GB/T 9704 numbers several only)."""
    if key not in numbers:
        return ""
    return f"详见附件{numbers[key]}。" if len(numbers) > 1 else "详见附件。"


def _tables(summary: YearSummary) -> dict[str, AttachmentTable]:
    """The four attachment tables by key, numbered 0 until the document numbers them."""

    def kind(counts: Counts) -> list[str]:
        return [str(counts.passed + counts.failed), str(counts.passed), counts.pass_rate]

    rounds = [
        [
            r.name,
            _window(r.window_start, r.window_end),
            *kind(r.websites),
            *kind(r.accounts),
        ]
        for r in summary.rounds
    ]
    if summary.rounds:
        rounds.append(["全年合计", "", *kind(summary.websites), *kind(summary.accounts)])
    count_columns = [
        TableColumn(title, 0.75)
        for title in (
            "网站已检",
            "网站合格",
            "网站合格率",
            "新媒体已检",
            "新媒体合格",
            "新媒体合格率",
        )
    ]
    on_time = [*summary.rectification, summary.rectification_total]
    return {
        "rounds": AttachmentTable(
            0,
            f"{summary.year}年各轮次检查情况",
            [TableColumn("轮次", 1.6), TableColumn("数据采集时间", 1.3), *count_columns],
            rounds,
            note="注：合格率＝合格÷已检（合格＋不合格）。",
        ),
        "problems": AttachmentTable(
            0,
            f"{summary.year}年主要问题统计",
            [
                TableColumn("序号", 0.5),
                TableColumn("类别", 1.0),
                TableColumn("问题", 2.6, "left"),
                TableColumn("出现次数", 0.8),
                TableColumn("涉及单位数", 0.9),
            ],
            [
                [str(i), p.kind.label, p.problem, str(p.times), str(p.units)]
                for i, p in enumerate(summary.problems, 1)
            ],
        ),
        "units": AttachmentTable(
            0,
            f"{summary.year}年被通报不合格的单位",
            [
                TableColumn("序号", 0.5),
                TableColumn("单位", 2.2, "left"),
                TableColumn("县区", 0.9),
                TableColumn("被通报轮次数", 0.9),
                TableColumn("不合格个次", 0.9),
                TableColumn("问题数", 0.7),
            ],
            [
                [
                    str(i),
                    u.unit_name,
                    u.region,
                    str(len(u.rounds_named)),
                    str(u.failed),
                    str(u.problems),
                ]
                for i, u in enumerate(summary.units, 1)
            ],
        ),
        "on_time": AttachmentTable(
            0,
            f"{summary.year}年各轮次整改情况",
            [
                TableColumn("轮次", 1.4),
                TableColumn("整改问题数", 0.9),
                TableColumn("已到期或已完成", 1.1),
                TableColumn("按期完成", 0.9),
                TableColumn("逾期未完成", 0.9),
                TableColumn("按期整改率", 0.9),
            ],
            [
                [r.name, str(r.items), str(r.due), str(r.on_time), str(r.open_overdue), r.rate]
                for r in on_time
            ]
            if summary.rectification
            else [],
            note="注：按期整改率＝按期完成整改的问题÷已到整改期限或已完成整改的问题。",
        ),
    }
