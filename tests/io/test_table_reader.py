"""Reading spreadsheet files into raw rows, and every way a file can be unusable."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

import app.io.table_reader as table_reader
from app.errors import FileAccessError, ImportFormatError
from app.io.table_reader import ImportCancelled, RawSheet, list_sheets, read_table

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def make_xlsx(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    """Write a workbook with one sheet per entry (an empty list makes an empty sheet)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(title, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def rows_of(sheet: RawSheet) -> list[tuple[int, list[object]]]:
    return sheet.rows


# ------------------------------------------------------------------------------- xlsx


def test_xlsx_rows_keep_sheet_row_numbers_and_merged_title(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "台账.xlsx",
        {
            "新媒体": [
                ["通城县责令关停新媒体帐号清单", None, None, None],
                ["序号", "单位名称", "新媒体账号名称", "类型"],
                [None, None, None, None],
                [1, "县公安局", "通城公安", "抖音", None, "   "],
                [2, "县公安局", "通城公安", "微信"],
            ]
        },
        merges={"新媒体": ["A1:D1"]},
    )
    sheet = read_table(path, None)
    assert sheet.name == "新媒体"
    assert sheet.source == "台账.xlsx"
    assert rows_of(sheet) == [
        (1, ["通城县责令关停新媒体帐号清单"]),  # merged title: value in top-left only
        (2, ["序号", "单位名称", "新媒体账号名称", "类型"]),
        (4, [1, "县公安局", "通城公安", "抖音"]),  # blank row 3 skipped, trailing blanks trimmed
        (5, [2, "县公安局", "通城公安", "微信"]),
    ]
    assert sheet.merged == [(1, 1, 4, 1)]


def test_xlsx_keeps_typed_values(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "a.xlsx", {"S": [["开设时间", "电话"], [datetime(2023, 1, 5), 13307244177]]}
    )
    assert read_table(path).rows[1] == (2, [datetime(2023, 1, 5), 13307244177])


def test_list_sheets_and_pick_by_name(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", {"说明": [["填表说明"]], "网站": [["网站名称"], ["甲"]]})
    assert list_sheets(path) == ["说明", "网站"]
    assert read_table(path, "网站").rows == [(1, ["网站名称"]), (2, ["甲"])]


def test_default_sheet_is_first_with_data(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", {"空白": [], "数据": [["单位名称"], ["县公安局"]]})
    assert read_table(path).name == "数据"


def test_unknown_sheet_lists_available(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", {"网站": [["x"]], "新媒体": [["y"]]})
    with pytest.raises(ImportFormatError) as info:
        read_table(path, "账号")
    assert "没有名为「账号」的工作表" in info.value.message
    assert "网站、新媒体" in info.value.message
    assert "a.xlsx" in info.value.message


def test_empty_sheet_and_empty_workbook(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", {"空表": [], "另一张": []})
    with pytest.raises(ImportFormatError, match="空的工作簿"):
        read_table(path)
    with pytest.raises(ImportFormatError, match="工作表「空表」是空的"):
        read_table(path, "空表")


# -------------------------------------------------------------------------------- csv


CSV_TEXT = '序号,单位名称,账号名称,平台\n1,县公安局,通城公安,抖音\n\n2,县文旅局,"通城,旅游",微信\n'
EXPECTED_CSV_ROWS = [
    (1, ["序号", "单位名称", "账号名称", "平台"]),
    (2, ["1", "县公安局", "通城公安", "抖音"]),
    (4, ["2", "县文旅局", "通城,旅游", "微信"]),
]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-8", b""), ("gb18030", b"")],
    ids=["utf8-bom", "utf8", "gb18030"],
)
def test_csv_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(bom + CSV_TEXT.encode(encoding))
    sheet = read_table(path)
    assert sheet.name == "台账"
    assert sheet.rows == EXPECTED_CSV_ROWS
    assert list_sheets(path) == ["台账"]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_csv_sniffs_tab_and_semicolon(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "a.csv"
    text = "\n".join(
        delimiter.join(row)
        for row in [["单位名称", "账号名称", "平台"], ["县公安局", "通城公安", "抖音"]]
    )
    path.write_bytes(text.encode("utf-8"))
    assert read_table(path).rows[1] == (2, ["县公安局", "通城公安", "抖音"])


def test_csv_utf16_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("单位名称\t账号名称\n县公安局\t通城公安\n".encode("utf-16"))
    assert read_table(path).rows[1] == (2, ["县公安局", "通城公安"])


def test_csv_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf\n , \n")
    with pytest.raises(ImportFormatError, match="是空的"):
        read_table(path)


# ----------------------------------------------------------------------- bad files


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="找不到文件「不存在.xlsx」"):
        read_table(tmp_path / "不存在.xlsx")


def test_file_locked_by_another_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_xlsx(tmp_path / "台账.xlsx", {"S": [["x"]]})

    def locked(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(table_reader, "open", locked, raising=False)
    with pytest.raises(FileAccessError) as info:
        read_table(path)
    assert "文件正被其他程序占用（如 Excel/WPS），请关闭后重试" in info.value.message
    assert "台账.xlsx" in info.value.message


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="是空的"):
        read_table(path)


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        ("这不是表格，只是一段文字。\n".encode(), "不是有效的 Excel 表格"),
        (bytes(range(256)) * 4, "不是有效的 Excel 表格"),
        (_docx_bytes(), "Word 文档"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页或 XML 格式"),
    ],
    ids=["text", "random-bytes", "docx", "html"],
)
def test_not_a_spreadsheet(tmp_path: Path, content: bytes, phrase: str) -> None:
    path = tmp_path / "伪装.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as info:
        read_table(path)
    assert phrase in info.value.message
    assert "伪装.xlsx" in info.value.message


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "清单.txt"
    path.write_text("单位名称,账号名称\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="请选择 .xlsx 或 .csv"):
        read_table(path)


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = make_xlsx(tmp_path / "good.xlsx", {"S": [["单位名称", "账号名称"], ["甲", "乙"]] * 50})
    path = tmp_path / "截断.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImportFormatError) as info:
        read_table(path)
    assert "已损坏或不完整" in info.value.message
    assert "截断.xlsx" in info.value.message


def test_old_xls(tmp_path: Path) -> None:
    path = tmp_path / "旧表.xls"
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 512)
    with pytest.raises(ImportFormatError) as info:
        read_table(path)
    assert "旧版 Excel 格式" in info.value.message
    assert "请在 Excel/WPS 中另存为 .xlsx 后再导入" in info.value.message


def test_old_xls_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "旧表.xlsx"
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 512)
    with pytest.raises(ImportFormatError, match="另存为 .xlsx"):
        read_table(path)


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_password_protected_workbook(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"加密{suffix}"
    directory = (
        "EncryptionInfo".encode("utf-16-le") + b"\0\0" + "EncryptedPackage".encode("utf-16-le")
    )
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + directory + b"\0" * 512)
    with pytest.raises(ImportFormatError) as info:
        read_table(path)
    assert "文件设置了密码，请去掉密码后另存再导入" in info.value.message.replace(
        f"「加密{suffix}」", ""
    )


def test_excel_owner_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "~$台账.xlsx"
    path.write_bytes(b"\x05user" + b"\0" * 100)
    with pytest.raises(ImportFormatError, match="临时文件"):
        read_table(path)


BOMB_SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>
</worksheet>
"""


def test_xml_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    good = make_xlsx(tmp_path / "good.xlsx", {"Sheet1": [["单位名称", "账号名称"], ["甲", "乙"]]})
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = (
                BOMB_SHEET
                if item.filename == "xl/worksheets/sheet1.xml"
                else src.read(item.filename)
            )
            dst.writestr(item, data)
    started = time.perf_counter()
    with pytest.raises(ImportFormatError) as info:
        read_table(path)
    # refused before any expansion: an expanding parser would run for minutes and gigabytes
    assert time.perf_counter() - started < 30
    assert "不安全的内容" in info.value.message
    assert "炸弹.xlsx" in info.value.message


# ------------------------------------------------------------------ progress / cancel


def test_progress_reported_every_500_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("单位名称,账号名称\n" + "县公安局,通城公安\n" * 1999, encoding="utf-8")
    calls: list[tuple[int, int]] = []
    sheet = read_table(path, progress=lambda done, total: calls.append((done, total)))
    assert len(sheet.rows) == 2000
    assert [done for done, _ in calls[:4]] == [500, 1000, 1500, 2000]
    assert all(done <= total for done, total in calls)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cancel_callback_stops_reading(tmp_path: Path, kind: str) -> None:
    rows = [["单位名称", "账号名称"]] + [["县公安局", f"账号{i}"] for i in range(3000)]
    if kind == "csv":
        path = tmp_path / "a.csv"
        path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    else:
        path = make_xlsx(tmp_path / "a.xlsx", {"S": rows})
    polls: list[int] = []

    def cancel() -> bool:
        polls.append(1)
        return len(polls) >= 2

    with pytest.raises(ImportCancelled):
        read_table(path, cancel=cancel)
    assert len(polls) == 2
