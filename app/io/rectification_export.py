"""整改 lists and 催办单 as .xlsx.

- :func:`write_items_xlsx`: any list of items (the tab's current view) as one filterable table.
- :func:`write_unit_history_xlsx`: one unit's full list plus the problems it was named for
  more than once (反复整改、反复被通报).
- :func:`write_reminders_xlsx`: the 催办单 a clerk sends: a summary sheet with one section per
  unit, then one sheet per unit that can be sent (or printed) on its own. Each sheet starts
  with its title and the line 「截至YYYY年M月D日」.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.deadlines import describe_term
from app.io.xlsx_writer import (
    HEADER_FILL_COLOUR,
    Column,
    append_row,
    new_workbook,
    save_workbook,
    write_sheet,
)
from app.services.rectification import ItemRow, UnitHistory, UnitReminder

if TYPE_CHECKING:  # openpyxl itself is imported where a sheet is written (start-up time)
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def as_of(today: date) -> str:
    """「截至2026年11月24日」"""
    return f"截至{today.year}年{today.month}月{today.day}日"


def _source(row: ItemRow) -> str:
    return f"{row.source.label}（{row.source_note}）" if row.source_note else row.source.label


def _col(header: str, value: Callable[[ItemRow], object], width: int = 6) -> Column:
    """A column over (序号, item) pairs."""
    return Column(header, lambda line: value(line[1]), width)


def _item_columns(today: date) -> tuple[Column, ...]:
    return (
        Column("序号", lambda line: line[0], 4),
        _col("责任单位", lambda r: r.units_text, 14),
        _col("县区", lambda r: r.region),
        _col("检查对象", lambda r: r.target_name, 14),
        _col("对象类型", lambda r: r.target_subtype),
        _col("来源", _source, 8),
        _col("轮次", lambda r: r.round_name, 10),
        _col("指标", lambda r: r.indicator_name, 10),
        _col("问题", lambda r: r.problem_text, 30),
        _col("发现日期", lambda r: r.found_on, 10),
        _col("整改期限", lambda r: r.deadline, 10),
        _col("期限说明", lambda r: describe_term(r.deadline_days, r.deadline_working_days)),
        _col("状态", lambda r: r.status_text, 10),
        _col("逾期天数", lambda r: r.days_late(today) or None),
        _col("报送日期", lambda r: r.report_received_on, 10),
        _col("报送说明", lambda r: r.report_note, 12),
        _col("整改报告", lambda r: r.report_file_name, 12),
        _col("复查日期", lambda r: r.recheck_on, 10),
        _col("复查说明", lambda r: r.recheck_note, 12),
        _col("关闭日期", lambda r: r.closed_on, 10),
        _col("备注", lambda r: r.note, 10),
    )


def _items_sheet(ws: Worksheet, rows: Sequence[ItemRow], title: str, today: date) -> None:
    count = write_sheet(ws, _item_columns(today), enumerate(rows, start=1))
    ws.append([f"{title}，共{count}项，{as_of(today)}。"])


def write_items_xlsx(
    rows: Sequence[ItemRow], path: Path | str, title: str, today: date | None = None
) -> Path:
    """The items as one table (sheet 「整改事项」) and a line naming ``title`` under it."""
    today = today or date.today()
    wb = new_workbook()
    _items_sheet(wb.create_sheet("整改事项"), rows, title, today)
    return save_workbook(wb, path)


REPEAT_COLUMNS = (
    Column("问题", lambda r: r.problem, 30),
    Column("出现次数", lambda r: r.times),
    Column("涉及轮次", lambda r: "、".join(r.rounds), 30),
)


def write_unit_history_xlsx(
    history: UnitHistory, path: Path | str, today: date | None = None
) -> Path:
    """One unit's 整改清单 and its repeated problems (反复出现的问题)."""
    today = today or date.today()
    wb = new_workbook()
    _items_sheet(wb.create_sheet("整改清单"), history.items, f"{history.unit_name}整改清单", today)
    ws = wb.create_sheet("反复出现的问题")
    write_sheet(ws, REPEAT_COLUMNS, history.repeats)
    rounds = "、".join(history.rounds_named) or "无"
    ws.append([f"{history.unit_name}被检查发现问题的轮次：{rounds}"])
    return save_workbook(wb, path)


# -- 催办单 --------------------------------------------------------------------------------

_REMINDER_HEADERS = (
    "序号",
    "责任单位",
    "检查对象",
    "问题",
    "发现日期",
    "整改期限",
    "逾期天数",
    "状态",
)
_REMINDER_WIDTHS = (6, 22, 22, 44, 12, 12, 10, 16)
_NUMERALS = "一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (section numbers up to 99)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else _NUMERALS[tens - 1] + "十"
    return head + (_NUMERALS[ones - 1] if ones else "")


def write_reminders_xlsx(reminders: Sequence[UnitReminder], path: Path | str, today: date) -> Path:
    """催办单: sheet 「汇总」 with a section per unit, then one sheet per unit."""
    wb = new_workbook()
    intro = (
        f"{as_of(today)}，下列整改事项已超过整改期限仍未完成整改。"
        "请责任单位抓紧整改，并尽快报送整改情况及佐证材料。"
    )
    items = sum(len(r.items) for r in reminders)
    summary = wb.create_sheet("汇总")
    _reminder_head(
        summary, "整改逾期事项催办单", f"{intro}共涉及{len(reminders)}个单位、{items}项。"
    )
    for n, reminder in enumerate(reminders, start=1):
        heading = f"{chinese_ordinal(n)}、{reminder.unit_name}（逾期{len(reminder.items)}项）"
        _reminder_section(summary, heading, reminder.items, today)
    for reminder in reminders:
        ws = wb.create_sheet(_sheet_name(wb, reminder.unit_name))
        _reminder_head(ws, f"{reminder.unit_name}整改逾期事项催办单", intro)
        _reminder_section(ws, f"责任单位：{reminder.unit_name}", reminder.items, today)
    return save_workbook(wb, path)


def _reminder_head(ws: Worksheet, title: str, intro: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(_REMINDER_HEADERS))
    for i, width in enumerate(_REMINDER_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    append_row(ws, [title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, [intro])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 36
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _reminder_section(ws: Worksheet, heading: str, rows: Sequence[ItemRow], today: date) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(len(_REMINDER_HEADERS))
    ws.append([])
    at = append_row(ws, [heading])
    ws.merge_cells(f"A{at}:{last}{at}")
    ws[f"A{at}"].font = bold
    at = append_row(ws, _REMINDER_HEADERS)
    for cell in ws[at]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
    for n, row in enumerate(rows, start=1):
        target = f"{row.target_subtype} · {row.target_name}" if row.target_name else ""
        at = append_row(
            ws,
            [
                n,
                row.units_text,
                target,
                row.problem_text,
                row.found_on,
                row.deadline,
                row.days_late(today),
                row.status_text,
            ],
        )
        for cell in ws[at]:
            cell.alignment = wrap


def _sheet_name(wb: Workbook, name: str) -> str:
    """A valid, unused sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "单位"
    candidate, n = base, 2
    while candidate in wb.sheetnames:
        candidate, n = f"{base}({n})", n + 1
    return candidate
