"""修改记录 of one record to .xlsx."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.io.xlsx_writer import Column, new_workbook, save_workbook, write_sheet
from app.services.audit import AuditRow

AUDIT_COLUMNS = (
    Column("时间", lambda r: r.at_text, 19),  # text: a date cell would drop the time
    Column("操作人", lambda r: r.user),
    Column("操作", lambda r: r.action),
    Column("字段", lambda r: r.field, 12),
    Column("原值", lambda r: r.old_value, 20),
    Column("新值", lambda r: r.new_value, 20),
)


def export_audit(path: Path | str, rows: Sequence[AuditRow]) -> Path:
    """Write ``rows`` (newest first, as shown) to one sheet; returns the file written."""
    wb = new_workbook()
    write_sheet(wb.create_sheet("修改记录"), AUDIT_COLUMNS, rows)
    return save_workbook(wb, path)
