"""Read worksheet cells of an .xlsx straight from the zip with a streaming expat parser.

This is the fast path of :func:`app.io.table_reader.read_table`: it yields the same values
openpyxl gives in read-only, ``data_only`` mode (shared/inline/rich strings, numbers, bools,
error texts, dates by cell style and the workbook's 1900/1904 date system), but skips
openpyxl's per-cell objects. Memory stays flat: the sheet is parsed chunk by chunk.

Safety: every part is parsed by expat with a DOCTYPE or entity declaration refused (raising
defusedxml's own exceptions), so an XML bomb cannot expand. The small package parts
(content types, workbook, relationships, styles) go through defusedxml.

Anything this reader does not understand raises an ordinary exception (e.g.
:class:`XlsxStreamUnsupported`); the caller then falls back to openpyxl.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.xml.constants import REL_NS, SHARED_STRINGS, SHEET_MAIN_NS, XLSM, XLSX, XLTM, XLTX

Checkpoint = Callable[[int, int], None]
"""``checkpoint(rows_so_far, estimated_total)``; may raise to stop reading."""

CHUNK_SIZE = 1 << 20
"""Bytes handed to the XML parser at a time."""

_WORKBOOK_TYPES = (XLTM, XLTX, XLSM, XLSX)  # openpyxl's search order
_STYLES_PART = "xl/styles.xml"
_M = SHEET_MAIN_NS + " "  # expat names are "namespace-uri local-name"
_ROW, _CELL, _VALUE, _INLINE = _M + "row", _M + "c", _M + "v", _M + "is"
_DIMENSION, _SHEET_DATA, _MERGE_CELL, _SI = (
    _M + "dimension",
    _M + "sheetData",
    _M + "mergeCell",
    _M + "si",
)
_MERGE_REF = re.compile(r"[A-Za-z]+\d+:[A-Za-z]+\d+")
_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}
"""Column letters → 1-based index, filled as cell references are met."""


class XlsxStreamUnsupported(Exception):
    """The package is laid out in a way this reader does not handle; use openpyxl."""


@dataclass
class SheetData:
    """One worksheet's non-blank rows, merged ranges and row-count estimate."""

    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    """``(1-based sheet row, values)``; trailing blank cells trimmed, blank rows dropped."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (min_col, min_row, max_col, max_row)."""
    total: int = 0
    """Last row according to the sheet's ``<dimension>``; 0 when absent."""


@dataclass(frozen=True)
class _SheetRef:
    name: str
    part: str
    chart: bool


# ------------------------------------------------------------------------- safe parser


def _refuse_doctype(name: str, sysid: str | None, pubid: str | None, _internal: int) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(
    name: str,
    _is_parameter: int,
    value: str | None,
    base: str | None,
    sysid: str | None,
    pubid: str | None,
    notation: str | None,
) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed_entity(
    name: str, base: str | None, sysid: str | None, pubid: str | None, notation: str | None
) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external(
    context: str | None, base: str | None, sysid: str | None, pubid: str | None
) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def new_parser() -> Any:
    """A namespace-aware expat parser that refuses DOCTYPEs and entity declarations."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    return parser


def _feed(parser: Any, archive: zipfile.ZipFile, part: str) -> None:
    """Parse a zip member in chunks so a large part never sits in memory whole."""
    with archive.open(part) as src:
        while chunk := src.read(CHUNK_SIZE):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _column(ref: str, letters: str) -> int:
    """Column of a cell reference exactly as openpyxl computes it (raises when invalid)."""
    column = coordinate_to_tuple(ref)[1]
    if letters != ref:
        _COLUMNS[letters] = column
    return column


# ---------------------------------------------------------------------------- workbook


class XlsxWorkbook:
    """The sheets, shared strings and date styles of an open .xlsx package."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._files = set(archive.namelist())
        overrides, defaults = self._manifest()
        workbook_part = self._workbook_part(overrides, defaults)
        self._sheets, self.epoch = self._workbook(workbook_part)
        self._date_styles, self._timedelta_styles = self._styles()
        strings_part = next((p for p, ct in overrides if ct == SHARED_STRINGS), None)
        self.strings = self._shared_strings(strings_part[1:]) if strings_part else []

    @property
    def sheet_names(self) -> list[str]:
        """Sheet names in workbook order (as ``openpyxl.Workbook.sheetnames``)."""
        return [ref.name for ref in self._sheets]

    # -- package parts

    def _manifest(self) -> tuple[list[tuple[str, str]], set[str]]:
        root = safe_fromstring(self.archive.read("[Content_Types].xml"))
        overrides: list[tuple[str, str]] = []
        defaults: set[str] = set()
        for el in root:
            tag = _local(el.tag)
            if tag == "Override":
                overrides.append((el.get("PartName", ""), el.get("ContentType", "")))
            elif tag == "Default":
                defaults.add(el.get("ContentType", ""))
        return overrides, defaults

    @staticmethod
    def _workbook_part(overrides: list[tuple[str, str]], defaults: set[str]) -> str:
        for content_type in _WORKBOOK_TYPES:
            for part, ct in overrides:
                if ct == content_type:
                    return part[1:]
        if defaults & set(_WORKBOOK_TYPES):
            return "xl/workbook.xml"
        raise XlsxStreamUnsupported("no workbook part")

    def _workbook(self, part: str) -> tuple[list[_SheetRef], datetime]:
        root = safe_fromstring(self.archive.read(part))
        epoch = WINDOWS_EPOCH
        listed: list[tuple[str, str]] = []
        for el in root:
            tag = _local(el.tag)
            if tag == "workbookPr":
                flag = el.get("date1904")
                if flag is not None and flag not in ("false", "f", "0") and flag:
                    epoch = MAC_EPOCH
            elif tag == "sheets":
                listed = [
                    (sheet.get("name", ""), sheet.get(f"{{{REL_NS}}}id", ""))
                    for sheet in el
                    if _local(sheet.tag) == "sheet"
                ]
        folder, base = posixpath.split(part)
        rels = self._relationships(posixpath.join(folder, "_rels", f"{base}.rels"))
        sheets = []
        for name, rel_id in listed:
            if not rel_id:
                continue  # openpyxl drops such sheets too
            if rel_id not in rels:
                raise XlsxStreamUnsupported(f"sheet {name!r}: no relationship {rel_id!r}")
            target, rel_type = rels[rel_id]
            if target not in self._files:
                continue  # as openpyxl: a sheet whose part is missing is skipped
            sheets.append(_SheetRef(name, target, "chartsheet" in rel_type))
        return sheets, epoch

    def _relationships(self, rels_part: str) -> dict[str, tuple[str, str]]:
        """``Id → (resolved target, Type)``, resolved as ``openpyxl.get_dependents`` does."""
        root = safe_fromstring(self.archive.read(rels_part))
        parent = posixpath.split(posixpath.dirname(rels_part))[0]
        rels: dict[str, tuple[str, str]] = {}
        for el in root:
            if _local(el.tag) != "Relationship":
                continue
            target = el.get("Target", "")
            if el.get("TargetMode") != "External":
                if target.startswith("/"):
                    target = target[1:]
                else:
                    target = posixpath.normpath(posixpath.join(parent, target))
            rels[el.get("Id", "")] = (target, el.get("Type", ""))
        return rels

    def _styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """Indexes of cell styles (cellXfs) whose number format is a date / a duration."""
        if _STYLES_PART not in self._files:
            return frozenset(), frozenset()
        root = safe_fromstring(self.archive.read(_STYLES_PART))
        custom: dict[int, str] = {}
        xf_formats: list[int] = []
        for el in root:
            tag = _local(el.tag)
            if tag == "numFmts":
                for fmt in el:
                    if _local(fmt.tag) == "numFmt":
                        custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
            elif tag == "cellXfs":
                xf_formats = [int(xf.get("numFmtId", 0)) for xf in el if _local(xf.tag) == "xf"]
        dates: set[int] = set()
        durations: set[int] = set()
        for idx, fmt_id in enumerate(xf_formats):
            code = custom[fmt_id] if fmt_id in custom else builtin_format_code(fmt_id)
            if is_date_format(code):
                dates.add(idx)
            if is_timedelta_format(code):
                durations.add(idx)
        return frozenset(dates), frozenset(durations)

    def _shared_strings(self, part: str) -> list[str]:
        """The shared string table: plain text, rich-text runs concatenated, phonetics left out."""
        strings: list[str] = []
        depth = 0
        si_depth = run_depth = target_depth = -1
        capture = False
        buf: list[str] = []
        plain: str | None = None
        run_text: str | None = None
        runs: list[str] = []
        run_target = False

        def start(name: str, _attrs: dict[str, str]) -> None:
            nonlocal depth, si_depth, run_depth, target_depth, capture, buf, plain, runs
            nonlocal run_text, run_target
            depth += 1
            capture = False
            if name == _SI:
                if si_depth < 0:
                    si_depth = depth
                    plain = None
                    runs = []
                return
            if si_depth < 0:
                return
            local = name.rpartition(" ")[2]
            if depth == si_depth + 1:
                if local == "t":
                    capture, buf, target_depth, run_target = True, [], depth, False
                elif local == "r":
                    run_depth, run_text = depth, None
            elif depth == run_depth + 1 and run_depth > 0 and local == "t":
                capture, buf, target_depth, run_target = True, [], depth, True

        def end(name: str) -> None:
            nonlocal depth, si_depth, run_depth, target_depth, capture, plain, run_text
            capture = False
            if depth == target_depth:
                target_depth = -1
                if run_target:
                    run_text = "".join(buf)
                else:
                    plain = "".join(buf)
            elif depth == run_depth:
                run_depth = -1
                if run_text is not None:
                    runs.append(run_text)
            elif depth == si_depth:
                si_depth = -1
                text = (plain or "") + "".join(runs)
                strings.append(text.replace("x005F_", ""))
            depth -= 1

        def chars(data: str) -> None:
            if capture:
                buf.append(data)

        parser = new_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        _feed(parser, self.archive, part)
        return strings

    # -- worksheets

    def read_sheet(
        self, name: str, checkpoint: Checkpoint | None = None, every: int = 500
    ) -> SheetData:
        """Rows and merged ranges of sheet ``name`` (a chart sheet has none).

        ``checkpoint(n, total)`` is called for every multiple ``n`` of ``every`` among the
        sheet row numbers passed, blank rows included, like openpyxl's row iteration.
        """
        ref = next((s for s in self._sheets if s.name == name), None)
        if ref is None:
            raise KeyError(name)
        if ref.chart:
            return SheetData()
        return self._parse_sheet(ref.part, checkpoint, every)

    def _parse_sheet(self, part: str, checkpoint: Checkpoint | None, every: int) -> SheetData:
        strings = self.strings
        date_styles = self._date_styles
        duration_styles = self._timedelta_styles
        epoch = self.epoch
        columns = _COLUMNS
        digits = _DIGITS

        data = SheetData()
        rows = data.rows
        merges: set[str] = set()
        depth = 0
        in_data = False
        # rows: openpyxl numbers rows by <row r>, else previous + 1, and skips a row whose
        # number is not past the last one yielded
        row_counter = 0
        next_row = 1
        next_check = every
        row_no = 0
        values: list[object] | None = None
        col = last_col = 0
        # the open <c>
        cell_depth = -1
        ctype = "n"
        style = 0
        raw: str | None = None
        got_value = got_inline = False
        inline: str | None = None
        # inline string <is>
        is_depth = run_depth = -1
        plain: str | None = None
        run_text: str | None = None
        runs: list[str] = []
        # text capture: 1 = <v>, 2 = <is><t>, 3 = <is><r><t>
        capture = False
        buf: list[str] = []
        target = target_depth = 0

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal depth, in_data, row_counter, next_row, next_check, row_no, values, col
            nonlocal last_col, cell_depth, ctype, style, raw, got_value, got_inline, inline
            nonlocal is_depth, run_depth, plain, run_text, runs, capture, buf, target
            nonlocal target_depth
            depth += 1
            capture = False  # ElementTree's .text stops at the first child
            if name == _CELL:
                cell_depth = depth
                ctype = attrs.get("t", "n")
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip(digits)
                    found = columns.get(letters)
                    col = _column(ref, letters) if found is None or letters == ref else found
                else:
                    col += 1
                s = attrs.get("s")
                style = int(s) if s else (0 if s is None else -1)
                raw = inline = None
                got_value = got_inline = False
            elif name == _VALUE:
                if depth == cell_depth + 1 and not got_value:
                    got_value = capture = True
                    buf = []
                    target, target_depth = 1, depth
            elif name == _ROW:
                r = attrs.get("r")
                if r is None:
                    row_counter += 1
                else:
                    try:
                        row_counter = int(r)
                    except ValueError:
                        number = float(r)
                        if not number.is_integer():
                            raise ValueError(f"{r} is not a valid row number") from None
                        row_counter = int(number)
                col = last_col = 0
                if row_counter >= next_row:
                    if checkpoint is not None and row_counter >= next_check:
                        while next_check <= row_counter:
                            checkpoint(next_check, data.total)
                            next_check += every
                    next_row = row_counter + 1
                    row_no = row_counter
                    values = []
                else:
                    values = None
            elif is_depth >= 0:
                local = name.rpartition(" ")[2]
                if depth == is_depth + 1:
                    if local == "t":
                        capture, buf, target, target_depth = True, [], 2, depth
                    elif local == "r":
                        run_depth, run_text = depth, None
                elif run_depth >= 0 and depth == run_depth + 1 and local == "t":
                    capture, buf, target, target_depth = True, [], 3, depth
            elif name == _INLINE:
                if depth == cell_depth + 1 and not got_inline:
                    got_inline = True
                    is_depth = depth
                    plain = None
                    runs = []
            elif name == _MERGE_CELL:
                ref = attrs.get("ref", "")
                if _MERGE_REF.fullmatch(ref):
                    merges.add(ref)
            elif name == _SHEET_DATA:
                in_data = True
            elif name == _DIMENSION and not in_data:
                ref = attrs.get("ref")
                if ref:
                    data.total = range_boundaries(ref)[3] or 0

        def end(name: str) -> None:
            nonlocal depth, cell_depth, raw, inline, is_depth, run_depth, plain, run_text
            nonlocal capture, target, target_depth, values, last_col
            capture = False
            if depth == target_depth:
                text = "".join(buf)
                if target == 1:
                    raw = text or None  # openpyxl: findtext(v) or None
                elif target == 2:
                    plain = text
                else:
                    run_text = text
                target = target_depth = 0
            elif name == _CELL and depth == cell_depth:
                cell_depth = -1
                if ctype == "inlineStr":
                    value: object = inline
                elif raw is None:
                    value = None
                elif ctype == "n":
                    if "." in raw or "E" in raw or "e" in raw:
                        value = float(raw)
                    else:
                        value = int(raw)
                    if style in date_styles:
                        try:
                            value = from_excel(value, epoch, timedelta=style in duration_styles)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"  # openpyxl's verdict on an impossible date
                elif ctype == "s":
                    value = strings[int(raw)]
                elif ctype == "b":
                    value = bool(int(raw))
                elif ctype == "d":
                    value = from_ISO8601(raw)
                else:  # "str" (formula result), "e" (error text) and anything unknown
                    value = raw
                if values is not None:
                    size = len(values)
                    if col == size + 1:
                        values.append(value)
                    elif col > size:
                        values.extend([None] * (col - size - 1))
                        values.append(value)
                    else:
                        values[col - 1] = value
                    last_col = col
            elif name == _ROW:
                if values is not None:
                    if last_col < len(values):
                        del values[last_col:]  # openpyxl: the row ends at its last cell
                    while values and (
                        (tail := values[-1]) is None or (isinstance(tail, str) and not tail.strip())
                    ):
                        values.pop()
                    if values:
                        rows.append((row_no, values))
                    values = None
            elif depth == run_depth:
                run_depth = -1
                if run_text is not None:
                    runs.append(run_text)
            elif depth == is_depth:
                is_depth = -1
                inline = (plain or "") + "".join(runs)
            depth -= 1

        def chars(text: str) -> None:
            if capture:
                buf.append(text)

        parser = new_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        _feed(parser, self.archive, part)
        data.merged = [range_boundaries(ref) for ref in sorted(merges)]  # type: ignore[misc]
        return data
