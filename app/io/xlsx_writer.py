"""Writing tables to .xlsx that open cleanly in Excel and WPS.

Bold frozen header, column widths fitted to the content (CJK counted double), dates as
real dates, and user text that starts like a formula (= + - @) stored as text.

openpyxl is imported inside the functions (here and in the other writers): importing it
takes a sizeable part of the window's start-up, and nothing is written before an export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.io.atomic_file import atomic_write

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL_COLOUR = "DDE6F0"
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """A column of an exported table: header text and how to get the cell value of a row."""

    header: str
    value: Callable[[Any], object]
    min_width: int = 6


def display_width(text: str) -> int:
    """Width in 'Excel characters': CJK and full-width characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_sheet(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Any]) -> int:
    """Fill ``ws`` with a header and one line per row; returns the number of data rows."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
    widths = [max(c.min_width, display_width(c.header)) for c in columns]
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    count = 0
    for row in rows:
        count += 1
        cells = []
        for i, column in enumerate(columns):
            cell = _fill(Cell(ws), column.value(row))
            cells.append(cell)
            shown = (
                cell.value.isoformat() if isinstance(cell.value, date) else str(cell.value or "")
            )
            widths[i] = max(widths[i], min(display_width(shown), 60))
        ws.append(cells)
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    if count:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return count


def append_row(ws: Worksheet, values: Sequence[object]) -> int:
    """Append one line of values (formula-safe, dates as dates); returns its row number."""
    from openpyxl.cell.cell import Cell

    ws.append([_fill(Cell(ws), v) for v in values])
    return ws.max_row


def _fill(cell: Cell, value: object) -> Cell:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.value = value
        cell.data_type = "s"  # stored as text, never evaluated
    else:
        cell.value = value
    if isinstance(value, date):
        cell.number_format = _DATE_FORMAT
    return cell


def new_workbook() -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def save_workbook(wb: Workbook, path: Path | str) -> Path:
    """Save through a temporary file and rename, so a failure never leaves half a file."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    with atomic_write(path, opened_in=" Excel/WPS ") as tmp:
        wb.save(tmp)
    return path
