"""Round results (检查结果) as .xlsx, laid out like a notice's attachments (附件1/附件2).

Sheets: 政府网站 (编号|部门|网站名称|评分|结果|主要问题; portals first, then department
sites), 政务新媒体 (序号|单位|平台|账号名称|结果|主要问题) and 统计 (per 县区: 总数, 合格,
不合格, 合格率), each table followed by the note "注：数据采集时间…".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.notice_tables import window_note
from app.io.xlsx_writer import Column, new_workbook, save_workbook, write_sheet
from app.services.inspection import TargetRow
from app.services.stats import Counts
from db.enums import TargetState, TargetType

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from app.services.registry import Registry

PENDING_TEXT = "未检"


@dataclass(frozen=True)
class _Numbered:
    number: int
    target: TargetRow

    @property
    def verdict(self) -> str:
        state = self.target.state
        return PENDING_TEXT if state is TargetState.PENDING else state.label


@dataclass(frozen=True)
class _StatLine:
    region: str
    kind: str
    counts: Counts


WEBSITE_COLUMNS = (
    Column("编号", lambda r: r.number, 4),
    Column("部门", lambda r: r.target.unit_name, 14),
    Column("网站名称", lambda r: r.target.name, 16),
    Column("评分", lambda r: _score_cell(r.target)),
    Column("结果", lambda r: r.verdict),
    Column("主要问题", lambda r: r.target.problem_text, 30),
)

ACCOUNT_COLUMNS = (
    Column("序号", lambda r: r.number, 4),
    Column("单位", lambda r: r.target.unit_name, 14),
    Column("平台", lambda r: r.target.subtype),
    Column("账号名称", lambda r: r.target.name, 16),
    Column("结果", lambda r: r.verdict),
    Column("主要问题", lambda r: r.target.problem_text, 30),
)

STATS_COLUMNS = (
    Column("县区", lambda r: r.region, 10),
    Column("类型", lambda r: r.kind, 10),
    Column("总数", lambda r: r.counts.total),
    Column("合格", lambda r: r.counts.passed),
    Column("不合格", lambda r: r.counts.failed),
    Column("合格率", lambda r: r.counts.pass_rate),
)


def _site_order(t: TargetRow) -> tuple[object, ...]:
    """Portals (附件1), then the other sites (附件2); in each 合格 by score, 不合格, 未检."""
    state_rank = {TargetState.PASSED: 0, TargetState.FAILED: 1, TargetState.PENDING: 2}
    score = -(t.score if t.score is not None else Decimal(-1))
    return (not t.portal, state_rank[t.state], score, t.id)


def export_round_results(registry: Registry, round_id: int, path: Path | str) -> Path:
    """Write the round's results to ``path`` (.xlsx); returns the path written."""
    round_row = registry.rounds.get(round_id)
    targets = registry.inspection.targets(round_id)
    stats = registry.stats.round_stats(round_id)
    note = window_note(round_row.window_start, round_row.window_end)

    sites = sorted((t for t in targets if t.kind is TargetType.WEBSITE), key=_site_order)
    accounts = sorted(
        (t for t in targets if t.kind is TargetType.ACCOUNT),
        key=lambda t: (t.region, t.unit_name, t.subtype, t.name, t.id),
    )
    lines = [_StatLine(r.region, _kind_label(r.kind), r.counts) for r in stats.by_region]
    lines += [
        _StatLine("合计", TargetType.WEBSITE.label, stats.websites),
        _StatLine("合计", TargetType.ACCOUNT.label, stats.accounts),
    ]

    wb = new_workbook()
    for title, columns, rows in (
        (TargetType.WEBSITE.label, WEBSITE_COLUMNS, _numbered(sites)),
        (TargetType.ACCOUNT.label, ACCOUNT_COLUMNS, _numbered(accounts)),
        ("统计", STATS_COLUMNS, lines),
    ):
        ws = wb.create_sheet(title)
        write_sheet(ws, columns, rows)
        _add_note(ws, note)
    return save_workbook(wb, path)


def _numbered(targets: list[TargetRow]) -> list[_Numbered]:
    return [_Numbered(n, t) for n, t in enumerate(targets, start=1)]


def _kind_label(kind: str) -> str:
    return TargetType.WEBSITE.label if kind == "websites" else TargetType.ACCOUNT.label


def _add_note(ws: Worksheet, note: str) -> None:
    """The note row right under the table (outside its filter range)."""
    ws.append([note])


def _score_cell(target: TargetRow) -> object:
    """A number Excel can sort and sum; 不合格 for a veto, blank while 未检."""
    if target.score is None:
        return target.score_text
    return (
        int(target.score)
        if target.score == target.score.to_integral_value()
        else float(target.score)
    )
