"""Read a spreadsheet file (.xlsx/.xlsm or .csv) into rows of raw cell values.

This is the first step of a registry import (台账导入): it only knows about files, sheets
and cells. Everything that can go wrong with the *file* — missing, locked, old .xls,
password, damaged, empty — becomes an :class:`~app.errors.AppError` with a Chinese message
naming the file. Interpreting the cells is :mod:`app.io.registry_sheet`'s job.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from app.errors import AppError, FileAccessError, ImportFormatError

if TYPE_CHECKING:  # openpyxl (and the stream reader using it) load when a file is read
    from openpyxl.workbook.workbook import Workbook

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

PROGRESS_EVERY = 500
"""Rows between two ``progress``/``cancel`` calls."""

_XLSX_EXT = {".xlsx", ".xlsm", ".xltx", ".xltm"}
_CSV_EXT = {".csv", ".tsv"}
_OLD_EXT = {".xls", ".xlt", ".et", ".ett"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_SAVE_AS_XLSX = "请在 Excel/WPS 中另存为 .xlsx 后再导入"
_LOCKED = "文件正被其他程序占用（如 Excel/WPS），请关闭后重试"

_log = logging.getLogger(__name__)


class ImportCancelled(Exception):
    """The user cancelled reading the file (the ``cancel`` callback returned True)."""


@dataclass
class RawSheet:
    """One sheet's non-blank rows as ``(sheet row number starting at 1, cell values)``.

    Trailing empty cells are dropped, so rows may differ in length. A merged cell's value
    sits in its top-left cell only.
    """

    name: str
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    source: str = ""
    """File name the sheet came from (for messages); '' when built in memory."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (min_col, min_row, max_col, max_row), 1-based (.xlsx only)."""


def list_sheets(path: str | Path) -> list[str]:
    """Names of the sheets in the file, in workbook order (a CSV has one, its file stem)."""
    path = Path(path)
    with _open_binary(path) as fh:
        kind = _detect_kind(path, fh)
        if kind == "csv":
            return [path.stem]
        with _xlsx_errors(path):
            _check_package(path, fh)
            names = _sheet_names_fast(fh)
            if names is not None:
                return names
            wb = _load_workbook(fh)
            try:
                return list(wb.sheetnames)
            finally:
                wb.close()


def read_table(
    path: str | Path,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> RawSheet:
    """Read one sheet of ``path`` (``None``: the first sheet that holds data).

    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` rows (``total`` is an
    estimate, 0 when unknown); ``cancel()`` is polled at the same moments and a True result
    raises :class:`ImportCancelled`.
    """
    path = Path(path)
    with _open_binary(path) as fh:
        if _detect_kind(path, fh) == "csv":
            return _read_csv(path, fh, sheet, progress, cancel)
        return _read_xlsx(path, fh, sheet, progress, cancel)


# --------------------------------------------------------------------------- file access


@contextmanager
def _open_binary(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading, turning OS errors into :class:`FileAccessError`."""
    name = path.name
    if not path.exists():
        raise FileAccessError(f"找不到文件「{name}」，可能已被移动或删除。")
    if path.is_dir():
        raise FileAccessError(f"「{name}」是文件夹，请选择一个表格文件。")
    try:
        fh = open(path, "rb")
    except PermissionError as exc:
        raise FileAccessError(
            f"无法读取文件「{name}」：{_LOCKED}；若未打开，请检查文件权限。"
        ) from exc
    except OSError as exc:
        if getattr(exc, "winerror", None) in (32, 33):  # sharing / lock violation
            raise FileAccessError(f"无法读取文件「{name}」：{_LOCKED}。") from exc
        raise FileAccessError(f"无法读取文件「{name}」：{exc.strerror or exc}") from exc
    try:
        yield fh
    except OSError as exc:
        if isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in (32, 33):
            raise FileAccessError(f"无法读取文件「{name}」：{_LOCKED}。") from exc
        raise FileAccessError(f"读取文件「{name}」时出错：{exc.strerror or exc}") from exc
    finally:
        fh.close()


def _detect_kind(path: Path, fh: BinaryIO) -> str:
    """Return ``"xlsx"`` or ``"csv"`` judged by content and extension, or raise."""
    name, ext = path.name, path.suffix.lower()
    head = fh.read(8)
    fh.seek(0)
    if not head:
        raise ImportFormatError(f"文件「{name}」是空的（0 字节），没有可导入的内容。")
    if name.startswith("~$"):
        raise ImportFormatError(
            f"「{name}」是 Excel/WPS 打开文件时生成的临时文件，请选择不带“~$”的原文件。"
        )
    if head.startswith(_OLE_MAGIC):
        _raise_for_ole(name, ext, fh.read())
    if head.startswith(_ZIP_MAGICS):
        return "xlsx"
    if ext in _CSV_EXT:
        return "csv"
    if ext in _XLSX_EXT | _OLD_EXT:
        sample = fh.read(512).lstrip().lower()
        fh.seek(0)
        if sample.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table", b"\xef\xbb\xbf<")):
            raise ImportFormatError(
                f"文件「{name}」实际是网页或 XML 格式的表格，不是真正的 Excel 文件，{_SAVE_AS_XLSX}。"
            )
        raise ImportFormatError(
            f"文件「{name}」不是有效的 Excel 表格（可能是其他类型的文件改了扩展名），"
            f"请用 Excel/WPS 打开确认，并另存为 .xlsx 后再导入。"
        )
    raise ImportFormatError(
        f"不支持导入「{ext or name}」类型的文件「{name}」，请选择 .xlsx 或 .csv 表格。"
    )


def _raise_for_ole(name: str, ext: str, data: bytes) -> None:
    """An OLE2 compound file is an old .xls/.et or an encrypted (password) workbook."""
    encrypted = "EncryptionInfo".encode("utf-16-le") in data or b"EncryptionInfo" in data
    legacy = "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data
    if encrypted or (ext in _XLSX_EXT and not legacy):
        raise ImportFormatError(f"文件「{name}」设置了密码，请去掉密码后另存再导入。")
    raise ImportFormatError(f"文件「{name}」是旧版 Excel 格式（.xls），{_SAVE_AS_XLSX}。")


# ------------------------------------------------------------------------------- xlsx


@contextmanager
def _xlsx_errors(path: Path) -> Iterator[None]:
    """Translate whatever openpyxl/zipfile raise on a bad workbook into ImportFormatError."""
    name = path.name
    try:
        yield
    except (AppError, ImportCancelled, OSError):
        raise
    except Exception as exc:  # anything a parser raises on a bad package means a bad file
        raise _bad_workbook(name, exc) from exc


def _bad_workbook(name: str, exc: BaseException) -> ImportFormatError:
    """Message for a parser failure, judged by the whole cause chain (openpyxl re-wraps)."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    if any(isinstance(e, DefusedXmlException) for e in chain):
        return ImportFormatError(
            f"文件「{name}」包含不安全的内容（可能已损坏或被篡改），已拒绝读取；"
            f"请在 Excel/WPS 中打开检查后另存为新的 .xlsx 再导入。"
        )
    if any(
        isinstance(e, (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError))
        for e in chain
    ):
        return ImportFormatError(
            f"文件「{name}」已损坏或不完整（可能下载或复制未完成），请重新获取文件后再导入。"
        )
    return ImportFormatError(
        f"文件「{name}」内容已损坏，无法读取。请在 Excel/WPS 中打开后另存为新的 .xlsx 再导入。"
    )


def _check_package(path: Path, fh: BinaryIO) -> None:
    """Reject zip files that are not workbooks (Word, PowerPoint, ODS, .xlsb …)."""
    name = path.name
    with zipfile.ZipFile(fh) as archive:
        names = archive.namelist()
    fh.seek(0)
    if any(n.startswith("xl/") and n.endswith(".xml") for n in names):
        return
    if "xl/workbook.bin" in names:
        kind = "Excel 二进制格式（.xlsb）"
    elif any(n.startswith("word/") for n in names):
        kind = "Word 文档"
    elif any(n.startswith("ppt/") for n in names):
        kind = "PowerPoint 演示文稿"
    elif "content.xml" in names:
        kind = "OpenDocument（.ods 等）文件"
    else:
        kind = "压缩包或其他文件"
    raise ImportFormatError(f"文件「{name}」是{kind}，不是 Excel 表格，{_SAVE_AS_XLSX}。")


def _sheet_names_fast(fh: BinaryIO) -> list[str] | None:
    """Sheet names straight from ``xl/workbook.xml`` (openpyxl would size every sheet)."""
    with zipfile.ZipFile(fh) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            return None
        root = safe_fromstring(archive.read("xl/workbook.xml"))
    fh.seek(0)
    return [el.get("name", "") for el in root.iter() if el.tag.rpartition("}")[2] == "sheet"]


def _load_workbook(fh: BinaryIO) -> Workbook:
    """Open a workbook read-only with cached formula values."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # unsupported extensions, styles …
        return load_workbook(fh, read_only=True, data_only=True)


def _read_xlsx(
    path: Path,
    fh: BinaryIO,
    sheet: str | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> RawSheet:
    """Read with the fast stream reader; fall back to openpyxl if it stumbles."""
    with _xlsx_errors(path):
        _check_package(path, fh)
        try:
            return _read_xlsx_stream(path, fh, sheet, progress, cancel)
        except _CallbackFailed as exc:
            raise exc.__cause__ from None  # type: ignore[misc]  # as if openpyxl ran it
        except (AppError, ImportCancelled, OSError, DefusedXmlException):
            raise
        except Exception:  # a strange but possibly valid package: let openpyxl judge it
            _log.warning("fast .xlsx reader failed on %s; using openpyxl", path.name, exc_info=True)
        fh.seek(0)
        return _read_xlsx_openpyxl(path, fh, sheet, progress, cancel)


class _CallbackFailed(Exception):
    """A ``progress``/``cancel`` callback raised (its exception is the ``__cause__``)."""


def _read_xlsx_stream(
    path: Path,
    fh: BinaryIO,
    sheet: str | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> RawSheet:
    """Read through :mod:`app.io.xlsx_stream` (no openpyxl cell objects)."""

    def checkpoint(done: int, total: int) -> None:
        try:
            stop = cancel is not None and cancel()
            if not stop and progress is not None:
                progress(done, max(total, done))
        except Exception as exc:
            raise _CallbackFailed() from exc
        if stop:
            raise ImportCancelled()

    merged: dict[str, list[tuple[int, int, int, int]]] = {}

    def rows_of(name: str) -> list[tuple[int, list[object]]]:
        data = book.read_sheet(name, checkpoint if progress or cancel else None, PROGRESS_EVERY)
        merged[name] = data.merged
        if progress is not None and data.rows:
            last = max(data.total, data.rows[-1][0])
            try:
                progress(last, last)
            except Exception as exc:
                raise _CallbackFailed() from exc
        return data.rows

    with zipfile.ZipFile(fh) as archive:
        from app.io.xlsx_stream import XlsxWorkbook

        book = XlsxWorkbook(archive)
        return _pick_sheet(path.name, book.sheet_names, sheet, rows_of, merged.__getitem__)


def _read_xlsx_openpyxl(
    path: Path,
    fh: BinaryIO,
    sheet: str | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> RawSheet:
    """Read through openpyxl's read-only workbook (the general, slower path)."""
    with _xlsx_errors(path):
        wb = _load_workbook(fh)
        try:
            return _pick_sheet(
                path.name,
                list(wb.sheetnames),
                sheet,
                lambda name: _sheet_rows(wb[name], progress, cancel),
                lambda name: _merged_ranges(wb, wb[name]),
            )
        finally:
            wb.close()


def _pick_sheet(
    name: str,
    names: list[str],
    sheet: str | None,
    rows_of: Callable[[str], list[tuple[int, list[object]]]],
    merged_of: Callable[[str], list[tuple[int, int, int, int]]],
) -> RawSheet:
    """The named sheet, or the first sheet with data; raise when there is none."""
    if not names:
        raise ImportFormatError(f"文件「{name}」中没有工作表。")
    if sheet is not None:
        if sheet not in names:
            raise ImportFormatError(
                f"文件「{name}」中没有名为「{sheet}」的工作表，可选：{'、'.join(names)}。"
            )
        rows = rows_of(sheet)
        if not rows:
            raise ImportFormatError(f"文件「{name}」的工作表「{sheet}」是空的，没有可导入的数据。")
        return RawSheet(sheet, rows, name, merged_of(sheet))
    for candidate in names:
        rows = rows_of(candidate)
        if rows:
            return RawSheet(candidate, rows, name, merged_of(candidate))
    raise ImportFormatError(f"文件「{name}」是空的工作簿，所有工作表都没有数据。")


def _sheet_rows(
    ws, progress: ProgressFn | None, cancel: CancelFn | None
) -> list[tuple[int, list[object]]]:
    if not hasattr(ws, "iter_rows"):  # a chart sheet
        return []
    total = ws.max_row or 0
    ws.reset_dimensions()  # trust the cells, not a possibly stale <dimension> tag
    return _collect(enumerate(ws.iter_rows(values_only=True), start=1), total, progress, cancel)


_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+\d+:[A-Za-z]+\d+)\"")


def _merged_ranges(wb: Workbook, ws: object) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a read-only sheet (openpyxl skips them in read-only mode).

    Scans the sheet XML for ``<mergeCell ref="A1:D1"/>`` without parsing it as XML, so no
    entity can be expanded here.
    """
    member = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if member is None or archive is None:
        return []
    refs: set[bytes] = set()
    tail = b""
    with archive.open(member) as src:
        while chunk := src.read(1 << 20):
            block = tail + chunk
            refs.update(_MERGE_REF.findall(block))
            tail = block[-256:]
    from openpyxl.utils.cell import range_boundaries

    ranges = []
    for ref in sorted(refs):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _collect(
    numbered: Iterable[tuple[int, Iterable[object]]],
    total: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> list[tuple[int, list[object]]]:
    """Keep non-blank rows (trailing blanks trimmed); report progress and poll cancel."""
    rows: list[tuple[int, list[object]]] = []
    for number, values in numbered:
        if number % PROGRESS_EVERY == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(number, max(total, number))
        cells = list(values)
        end = len(cells)
        while end and (
            cells[end - 1] is None
            or (isinstance(cells[end - 1], str) and not cells[end - 1].strip())
        ):
            end -= 1
        if end:
            del cells[end:]
            rows.append((number, cells))
    if progress is not None and rows:
        last = rows[-1][0]
        progress(max(total, last), max(total, last))
    return rows


# -------------------------------------------------------------------------------- csv


def _decode(name: str, data: bytes) -> str:
    """Decode CSV bytes: UTF-8 with/without BOM, UTF-16 with BOM, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise ImportFormatError(
            f"文件「{name}」不是文本表格（CSV），无法导入；请选择 .xlsx 或 .csv 文件。"
        )
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFormatError(
        f"无法识别文件「{name}」的文字编码，请在 Excel/WPS 中另存为 .xlsx 或“CSV UTF-8”后再导入。"
    )


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        lines = [line for line in sample.splitlines()[:20] if line.strip()]
        counts = {d: sum(line.count(d) for line in lines) for d in ",\t;"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(
    path: Path,
    fh: BinaryIO,
    sheet: str | None,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> RawSheet:
    name = path.name
    if sheet is not None and sheet != path.stem:
        raise ImportFormatError(f"文件「{name}」中没有名为「{sheet}」的工作表，可选：{path.stem}。")
    text = _decode(name, fh.read())
    if not text.strip():
        raise ImportFormatError(f"文件「{name}」是空的，没有可导入的数据。")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    total = text.count("\n") + 1
    numbered = (
        (i, [v if v.strip() else None for v in row]) for i, row in enumerate(reader, start=1)
    )
    try:
        rows = _collect(numbered, total, progress, cancel)
    except csv.Error as exc:
        raise ImportFormatError(
            f"文件「{name}」的 CSV 格式有误（{exc}），请用 Excel/WPS 打开检查。"
        ) from exc
    if not rows:
        raise ImportFormatError(f"文件「{name}」是空的，没有可导入的数据。")
    return RawSheet(path.stem, rows, name)
