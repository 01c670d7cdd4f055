"""A 通报's attachment tables as .xlsx: one sheet per attachment ("附件1", "附件2", …).

Each sheet: the title (merged across the table, bold), the note line ("注：数据采集时间…"),
then the table with the house export style of :mod:`app.io.xlsx_writer` (bold frozen header,
fitted widths, auto-filter, text that starts like a formula kept as text). Cells that are
plain small numbers (序号, 评分, counts: "87", "95.5") become numbers so Excel can sum and
sort them; everything else (标识码, phone numbers, "95.7%", "-13") stays text as given.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.domain.notice_document import AttachmentTable, NoticeDocument
from app.io.atomic_file import with_suffix
from app.io.xlsx_writer import Column, new_workbook, save_workbook, write_sheet

_NUMBER = re.compile(r"(0|[1-9]\d{0,5})(\.\d{1,2})?")
_TOP_ROWS = 2  # title, note
_TITLE_FONT = Font(bold=True, size=16)


def write_attachments_xlsx(doc: NoticeDocument, path: Path | str) -> Path:
    """Write every attachment table of ``doc`` to ``path`` (".xlsx" added if missing).

    Raises :class:`~app.errors.FileAccessError` like every export; a notice without
    attachments gives one empty sheet "附件" so the file still opens.
    """
    path = with_suffix(path, ".xlsx")
    wb = new_workbook()
    several = len(doc.attachments) > 1
    for table in doc.attachments:
        _sheet(wb, table, f"附件{table.number}" if several else "附件")
    if not doc.attachments:
        wb.create_sheet("附件")
    return save_workbook(wb, path)


def cell_value(text: str | None) -> str | int | float:
    """A table cell: a plain small number becomes a number, anything else stays text."""
    if text is None:
        return ""
    text = str(text)
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def _sheet(wb, table: AttachmentTable, name: str) -> None:
    ws = wb.create_sheet(name[:31])
    columns = [
        Column(c.title, (lambda row, i=i: cell_value(row[i] if i < len(row) else "")))
        for i, c in enumerate(table.columns)
    ]
    count = write_sheet(ws, columns, table.rows)
    # Title and note go above the table written by write_sheet.
    ws.insert_rows(1, _TOP_ROWS)
    last = get_column_letter(max(1, len(columns)))
    ws["A1"] = table.title
    ws["A1"].font = _TITLE_FONT
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A1:{last}1")
    if table.note:
        ws["A2"] = table.note
    ws.merge_cells(f"A2:{last}2")
    header_row = _TOP_ROWS + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + count}" if count else None
    ws.print_title_rows = f"{header_row}:{header_row}"  # header repeats on printed pages
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
