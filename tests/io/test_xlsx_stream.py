"""The streaming .xlsx reader gives exactly what the openpyxl path gives, only faster."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from defusedxml import DefusedXmlException
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import app.io.table_reader as table_reader
from app.errors import ImportFormatError
from app.io.table_reader import ImportCancelled, RawSheet, read_table
from app.io.xlsx_stream import XlsxWorkbook, new_parser

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
_openpyxl_read = table_reader._read_xlsx_openpyxl

pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")


# ---------------------------------------------------------------------------- helpers


def rewrite(path: Path, changes: dict[str, bytes | Callable[[bytes], bytes]]) -> Path:
    """Replace (or add) zip members; a callable gets the old bytes and returns the new."""
    with zipfile.ZipFile(path) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    for name, change in changes.items():
        members[name] = change(members[name]) if callable(change) else change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return path


def to_shared_strings(path: Path) -> Path:
    """Turn openpyxl's inline strings into a shared string table, as Excel/WPS write it.

    Also makes the workbook's relationship targets relative ('worksheets/sheet1.xml').
    """
    strings: list[str] = []

    def share(match: re.Match[str]) -> str:
        strings.append(match.group(3))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{len(strings) - 1}</v></c>'

    inline = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    changes: dict[str, bytes | Callable[[bytes], bytes]] = {
        name: (lambda data: inline.sub(share, data.decode()).encode()) for name in sheets
    }
    rewrite(path, changes)
    table = "".join(f"<si>{s}</si>" for s in strings)
    return rewrite(
        path,
        {
            "xl/sharedStrings.xml": (
                f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
                f"{table}</sst>"
            ).encode(),
            "[Content_Types].xml": lambda data: data.replace(
                b"</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
                f"</Types>".encode(),
            ),
            "xl/_rels/workbook.xml.rels": lambda data: data.replace(
                b'Target="/xl/', b'Target="'
            ).replace(
                b"</Relationships>",
                f'<Relationship Id="rIdSST" Type="{SHARED_STRINGS_REL}" '
                f'Target="sharedStrings.xml"/></Relationships>'.encode(),
            ),
        },
    )


def sheet_xml(body: str, head: str = "") -> bytes:
    """A worksheet part with ``body`` as its sheetData content."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{head}'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def typed(sheet: RawSheet) -> list[tuple[int, list[tuple[str, object]]]]:
    """Rows with each value's type, since 1 == 1.0 == True and datetime vs date matter."""
    return [(n, [(type(v).__name__, v) for v in values]) for n, values in sheet.rows]


def openpyxl_read(path: Path, sheet: str | None = None, **hooks: object) -> RawSheet:
    with open(path, "rb") as fh:
        return _openpyxl_read(path, fh, sheet, hooks.get("progress"), hooks.get("cancel"))  # type: ignore[arg-type]


def _no_fallback(*args: object) -> RawSheet:
    raise AssertionError("the stream reader fell back to openpyxl")


def assert_same(path: Path, sheet: str | None = None) -> RawSheet:
    """Read ``path`` both ways; the stream path must not fall back and must agree."""
    expected = openpyxl_read(path, sheet)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(table_reader, "_read_xlsx_openpyxl", _no_fallback)
        got = read_table(path, sheet)
    assert typed(got) == typed(expected)
    assert (got.name, got.source, got.merged) == (expected.name, expected.source, expected.merged)
    return got


def value_workbook(path: Path, epoch: datetime | None = None) -> Path:
    wb = Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.title = "新媒体 台账"
    ws.append(["全县政务新媒体台账"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "单位名称", "  前后空格 ", "", None, "   "])
    ws.append(["#N/A", "#DIV/0!", "#VALUE!", True, False, 0, -7, 13307244177, 1.5, 3.0, 1e20])
    ws.append(
        [
            datetime(2023, 1, 5, 8, 30, 15),
            date(2023, 1, 5),
            time(8, 30),
            timedelta(hours=30, minutes=5),
            datetime(1900, 1, 1),
            datetime(1904, 1, 2),
        ]
    )
    formats = [
        "mm-dd-yy",  # built-in 14
        "d-mmm-yy",  # 15
        "h:mm AM/PM",  # 18
        "m/d/yy h:mm",  # 22
        "mm:ss",  # 45
        "[h]:mm:ss",  # 46
        "mmss.0",  # 47
        'yyyy"年"m"月"d"日"',
        "[$-F800]dddd, mmmm dd, yyyy",
        '0.00"m"',  # quoted literal: not a date
        "0.00%",
        "[Red]#,##0",  # bracketed colour: not a date
        "yyyy-mm-dd",  # a serial out of the date range
    ]
    row = ws.max_row + 1
    for col, fmt in enumerate(formats, start=1):
        cell = ws.cell(row, col, 10_000_000 if fmt == "yyyy-mm-dd" else 45123.75)
        cell.number_format = fmt
    ws.cell(row + 1, 2, CellRichText(["黑色", TextBlock(InlineFont(b=True), "加粗"), " 尾"]))
    ws.cell(row + 1, 5, "县公安局")
    ws.cell(row + 3, 3, "隔一行")
    wb.save(path)
    return path


# ----------------------------------------------------------------------- value kinds


def test_value_kinds_with_inline_strings(tmp_path: Path) -> None:
    got = assert_same(value_workbook(tmp_path / "值.xlsx"))
    assert got.name == "新媒体 台账"
    assert got.merged == [(1, 1, 6, 1)]
    numbers = dict(got.rows)
    assert numbers[2] == ["序号", "单位名称", "  前后空格 "]  # blank tail trimmed
    assert numbers[3][:5] == ["#N/A", "#DIV/0!", "#VALUE!", True, False]
    # openpyxl writes 3.0 as "3", which reads back as int
    assert [type(v) for v in numbers[3][5:]] == [int, int, int, float, int, float]
    assert numbers[4][:3] == [datetime(2023, 1, 5, 8, 30, 15), datetime(2023, 1, 5), time(8, 30)]
    assert numbers[4][3] == timedelta(hours=30, minutes=5)
    assert numbers[5][-1] == "#VALUE!"
    assert numbers[6] == [None, "黑色加粗 尾", None, None, "县公安局"]
    assert 7 not in numbers and numbers[8] == [None, None, "隔一行"]


def test_value_kinds_with_shared_strings(tmp_path: Path) -> None:
    path = to_shared_strings(value_workbook(tmp_path / "共享.xlsx"))
    with zipfile.ZipFile(path) as archive:
        assert b't="s"' in archive.read("xl/worksheets/sheet1.xml")
        assert b"<r>" in archive.read("xl/sharedStrings.xml")
    got = assert_same(path)
    assert dict(got.rows)[6][1] == "黑色加粗 尾"


def test_1904_date_system(tmp_path: Path) -> None:
    path = value_workbook(tmp_path / "mac.xlsx", epoch=CALENDAR_MAC_1904)
    with zipfile.ZipFile(path) as archive:
        assert b'date1904="1"' in archive.read("xl/workbook.xml")
    got = assert_same(path)
    assert dict(got.rows)[4][0] == datetime(2023, 1, 5, 8, 30, 15)


def test_shared_string_rich_text_phonetics_and_escapes(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["a", "b", "c", "d"])
    path = tmp_path / "富文本.xlsx"
    wb.save(path)
    to_shared_strings(path)
    table = (
        f'<sst xmlns="{MAIN_NS}">'
        '<si><r><t>红</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 字 </t></r>'
        '<rPh sb="0" eb="1"><t>hong</t></rPh><phoneticPr fontId="1"/></si>'
        "<si><t>换行_x000D_符x005F_x0041_</t></si>"
        "<si><t/></si>"
        "<si><t>&lt;甲&amp;乙&gt;</t></si>"
        "</sst>"
    ).encode()
    rewrite(path, {"xl/sharedStrings.xml": table})
    got = assert_same(path)
    assert got.rows == [(1, ["红 字 ", "换行_x000D_符x0041_", "", "<甲&乙>"])]


def test_gaps_missing_references_and_formula_results(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["x"])
    path = tmp_path / "缺口.xlsx"
    wb.save(path)
    body = (
        '<row r="2"><c r="B2" t="inlineStr"><is><t>B2</t></is></c><c r="E2"><v>5</v></c></row>'
        "<row><c><v>1</v></c><c/><c><v>3</v></c></row>"  # row 3, columns counted
        '<row r="5" spans="1:3"><c r="C5" t="str"><f>A1&amp;"x"</f><v>公式结果</v></c>'
        '<c t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F5" t="b"><v>0</v></c></row>'
        '<row r="4"><c r="A4"><v>99</v></c></row>'  # out of order: openpyxl skips it
        '<row r="5"><c r="A5"><v>98</v></c></row>'  # repeated row number: skipped too
        '<row r="7"><c r="D7"><v>1</v></c><c r="B7"><v>2</v></c></row>'  # ends at column B
        '<row r="8"><c r="A8" t="d"><v>2024-02-29T10:00:00</v></c>'
        '<c r="B8"><v></v></c><c r="C8" s=""><v>7</v></c>'
        '<c r="D8" t="inlineStr"><is><r><t>甲</t></r><r><t>乙</t></r></is></c>'
        '<c r="E8" t="s"/></row>'
        '<row r="9.0"><c r="a9"><v>-1.25E-3</v></c></row>'
        '<row r="12"><c r="C12" t="inlineStr"><is><t xml:space="preserve">   </t></is></c></row>'
    )
    rewrite(path, {"xl/worksheets/sheet1.xml": sheet_xml(body)})
    got = assert_same(path)
    assert got.rows == [
        (2, [None, "B2", None, None, 5]),
        (3, [1, None, 3]),
        (5, [None, None, "公式结果", "#DIV/0!", None, False]),
        (7, [None, 2]),
        (8, [datetime(2024, 2, 29, 10), None, 7, "甲乙"]),
        (9, [-0.00125]),
    ]


def test_many_sheets_chinese_names_and_chart_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    blank = wb.active
    blank.title = "空白"
    chart = BarChart()
    chart.add_data(Reference(blank, min_col=1, min_row=1, max_row=2))
    wb.create_chartsheet("图表").add_chart(chart)
    for i in range(1, 9):
        ws = wb.create_sheet(f"第{i}张 表 {i}")
        ws.append([f"单位{i}", i])
        ws.append([None])
        ws.append(["标题"] * i)
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=i + 1)
    path = tmp_path / "多表.xlsx"
    wb.save(path)
    assert assert_same(path).name == "第1张 表 1"
    for i in range(1, 9):
        got = assert_same(path, f"第{i}张 表 {i}")
        assert got.rows[0] == (1, [f"单位{i}", i])
        assert got.merged == [(1, 3, i + 1, 3)]
    for sheet in ("空白", "图表", "没有"):
        with pytest.raises(ImportFormatError) as stream_error:
            read_table(path, sheet)
        with pytest.raises(ImportFormatError) as old_error:
            openpyxl_read(path, sheet)
        assert stream_error.value.message == old_error.value.message


def test_progress_and_cancel_like_openpyxl_with_and_without_dimension(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for i in range(1, 1300):
        ws.cell(i if i < 600 else i + 500, 1, f"账号{i}")  # rows 600-1099 are missing
    path = tmp_path / "进度.xlsx"
    wb.save(path)
    for dimension in (True, False):
        if not dimension:
            rewrite(
                path,
                {
                    "xl/worksheets/sheet1.xml": lambda data: re.sub(
                        rb"<dimension [^>]*/>", b"", data
                    )
                },
            )
        expected: list[tuple[int, int]] = []
        got: list[tuple[int, int]] = []
        openpyxl_read(path, progress=lambda d, t, calls=expected: calls.append((d, t)))
        read_table(path, progress=lambda d, t, calls=got: calls.append((d, t)))
        assert got == expected
        assert [d for d, _ in got] == [500, 1000, 1500, 1799]
        assert got[0] == (500, 1799 if dimension else 500)
    polls: list[int] = []
    with pytest.raises(ImportCancelled):
        read_table(path, cancel=lambda: polls.append(1) or len(polls) >= 3)
    assert len(polls) == 3  # rows 500, 1000 (a missing row) and 1500


# ---------------------------------------------------------------------------- safety


def test_doctype_in_sheet_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["单位名称"])
    path = tmp_path / "声明.xlsx"
    wb.save(path)
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row>'
    rewrite(path, {"xl/worksheets/sheet1.xml": sheet_xml(body, "<!DOCTYPE worksheet>\n")})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(table_reader, "_read_xlsx_openpyxl", _no_fallback)
        with pytest.raises(ImportFormatError) as info:
            read_table(path)
    assert "不安全的内容" in info.value.message
    assert "声明.xlsx" in info.value.message


@pytest.mark.parametrize(
    "xml",
    [
        b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
        b'<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>',
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
    ],
    ids=["internal-entity", "external-dtd", "external-entity"],
)
def test_parser_refuses_declarations(xml: bytes) -> None:
    parser = new_parser()
    with pytest.raises(DefusedXmlException):
        parser.Parse(xml, True)


def test_shared_strings_doctype_is_refused(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["甲"])
    path = tmp_path / "sst.xlsx"
    wb.save(path)
    to_shared_strings(path)
    rewrite(
        path,
        {
            "xl/sharedStrings.xml": lambda data: (
                b'<!DOCTYPE sst [<!ENTITY a "aaaa">]>\n' + data.replace(b"<t>", b"<t>&a;")
            )
        },
    )
    with pytest.raises(ImportFormatError, match="不安全的内容"):
        read_table(path)


# --------------------------------------------------------------------------- fallback


def test_internal_error_falls_back_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = value_workbook(tmp_path / "回退.xlsx")
    expected = openpyxl_read(path)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("unexpected layout")

    calls: list[str] = []

    def spy(*args: object) -> RawSheet:
        calls.append("openpyxl")
        return _openpyxl_read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(XlsxWorkbook, "_parse_sheet", broken)
    monkeypatch.setattr(table_reader, "_read_xlsx_openpyxl", spy)
    got = read_table(path)
    assert calls == ["openpyxl"]
    assert typed(got) == typed(expected) and got.merged == expected.merged


def test_malformed_sheet_gets_the_openpyxl_message(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["甲"])
    path = tmp_path / "坏.xlsx"
    wb.save(path)
    rewrite(path, {"xl/worksheets/sheet1.xml": sheet_xml('<row r="1"><c r="A1"><v>1</c></row>')})
    with pytest.raises(ImportFormatError, match="内容已损坏"):
        read_table(path)


def test_failing_progress_callback_is_not_retried(tmp_path: Path) -> None:
    wb = Workbook()
    for i in range(600):
        wb.active.append([i])
    path = tmp_path / "回调.xlsx"
    wb.save(path)
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        raise RuntimeError("widget gone")

    with pytest.raises(ImportFormatError):
        read_table(path, progress=progress)
    assert calls == [500]


def test_prefixed_namespace_and_whitespace(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["x"])
    path = tmp_path / "前缀.xlsx"
    wb.save(path)
    xml = (
        f'<x:worksheet xmlns:x="{MAIN_NS}">\n  <x:dimension ref="A1:C2"/>\n  <x:sheetData>\n'
        '    <x:row r="1">\n      <x:c r="A1" t="inlineStr"><x:is><x:t>单位</x:t></x:is></x:c>\n'
        '      <x:c r="C1"><x:v>12</x:v></x:c>\n    </x:row>\n  </x:sheetData>\n'
        '  <x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells>\n</x:worksheet>'
    ).encode()
    rewrite(path, {"xl/worksheets/sheet1.xml": xml})
    got = assert_same(path)
    assert got.rows == [(1, ["单位", None, 12])]
    assert got.merged == [(1, 1, 2, 1)]
