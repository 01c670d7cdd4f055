"""通报 attachments as .xlsx: read back with openpyxl."""

from __future__ import annotations

import os

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from app.domain.notice_document import AttachmentTable, TableColumn
from app.errors import FileAccessError
from app.io.notice_xlsx import cell_value, write_attachments_xlsx
from tests.io.notice_samples import sample_notice


def test_one_sheet_per_attachment_with_title_note_and_table(tmp_path):
    doc = sample_notice(account_rows=40)
    path = write_attachments_xlsx(doc, tmp_path / "附件")
    assert path.name == "附件.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == ["附件1", "附件2", "附件3"]
    for ws, table in zip(wb.worksheets, doc.attachments, strict=True):
        assert ws["A1"].value == table.title and ws["A1"].font.b
        assert ws["A2"].value == table.note
        assert [c.value for c in ws[3]] == [c.title for c in table.columns]
        assert ws["A3"].font.b
        assert ws.freeze_panes == "A4"
        assert ws.print_title_rows == "$3:$3"
        assert ws.max_row == 3 + len(table.rows)
        last_column = get_column_letter(len(table.columns))
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert merged == {f"A1:{last_column}1", f"A2:{last_column}2"}
        last = [c.value for c in ws[ws.max_row]]
        assert [str(v) for v in last] == table.rows[-1]
    accounts = wb["附件2"]
    assert accounts["A4"].value == 1  # 序号 as a number
    assert accounts.auto_filter.ref == f"A3:G{3 + len(doc.attachments[1].rows)}"


def test_formula_like_text_stays_text(tmp_path):
    doc = sample_notice(account_rows=3)
    doc.attachments = [
        AttachmentTable(
            1,
            "名单",
            [TableColumn("账号名称"), TableColumn("主要问题")],
            [['=HYPERLINK("http://x")', "-13"], ["@SUM(A1)", "+1"]],
        )
    ]
    wb = load_workbook(write_attachments_xlsx(doc, tmp_path / "a.xlsx"))
    ws = wb["附件"]
    assert ws["A4"].value == '=HYPERLINK("http://x")' and ws["A4"].data_type == "s"
    assert ws["B4"].value == "-13" and ws["B4"].data_type == "s"
    assert ws["A5"].data_type == "s" and ws["B5"].data_type == "s"


def test_cell_values():
    assert cell_value("87") == 87 and cell_value("95.5") == 95.5 and cell_value("0") == 0
    for text in ("95.7%", "007", "4107000001", "无", "-13", "1.234", ""):
        assert cell_value(text) == text
    assert cell_value(None) == ""


def test_notice_without_attachments_still_opens(tmp_path):
    doc = sample_notice(account_rows=3)
    doc.attachments = []
    wb = load_workbook(write_attachments_xlsx(doc, tmp_path / "a.xlsx"))
    assert wb.sheetnames == ["附件"]


def test_missing_folder(tmp_path):
    with pytest.raises(FileAccessError, match="不存在"):
        write_attachments_xlsx(sample_notice(account_rows=3), tmp_path / "nope" / "a.xlsx")


def test_file_open_in_excel(monkeypatch, tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileAccessError, match="正在 Excel/WPS 中打开"):
        write_attachments_xlsx(sample_notice(account_rows=3), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
