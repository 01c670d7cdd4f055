"""Interpret a raw sheet as a registry list (台账): new-media accounts or government websites.

Pure parsing — no database. Finds the header row, maps columns through
``resources/import/column_synonyms.json``, carries the meaning of section rows
(“二、未及时备案的单位及新媒体账号(9个)”, rules in ``section_rules.json``) onto the rows
below them, types every value (``Platform``/``FilingStatus``/… members, ``date``, ``str``),
reports unusable rows in Chinese and merges duplicate rows within the sheet.

:func:`parse_results_sheet` reads a results list (检查结果表: 编号/部门/评分/结果/主要问题)
with the same machinery; its rows need only a unit or a name, and are never merged.
The rules themselves are loaded by :mod:`app.io.import_rules` (names re-exported here).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from app.domain.dates import DateParseError, parse_date
from app.domain.text import clean_text, name_key
from app.errors import ImportFormatError
from app.io.import_rules import (
    ENUM_GROUPS,
    RESOURCE_DIR,
    ImportRules,
    load_rules,
    lookup_platform,
    match_header,
    normalise_header,
    section_meaning,
)
from app.io.table_reader import RawSheet
from db.enums import AccountStatus, FilingStatus, Platform, WebsiteStatus

__all__ = [
    # sheet parsing
    "HEADER_SCAN_ROWS",
    "BadRow",
    "Kind",
    "ParsedRow",
    "ParsedSheet",
    "merge_into",
    "parse_registry_sheet",
    "parse_results_sheet",
    # import rules, re-exported from app.io.import_rules
    "RESOURCE_DIR",
    "ImportRules",
    "load_rules",
    "lookup_platform",
    "match_header",
    "normalise_header",
    "section_meaning",
]

Kind = Literal["account", "website"]

HEADER_SCAN_ROWS = 30
"""The header must be among the first this many non-blank rows."""

_NAME_FIELDS = frozenset({"account_name", "account_id", "website_name", "url", "site_code"})
_ACCOUNT_ONLY = frozenset({"account_name", "account_id", "platform"})
_WEBSITE_ONLY = frozenset({"website_name", "site_code", "icp", "website_kind"})
_DATE_FIELDS = frozenset({"opened_on", "closed_on", "filed_on"})
_NUMBERING = re.compile(
    r"^(?:第?[一二三四五六七八九十百零〇]+\s*[、.:部类批]|\(\s*[一二三四五六七八九十\d]+\s*\)"
    r"|\d{1,3}\s*[、.](?!\d))\s*"
)
_COUNT_SUFFIX = re.compile(r"\(\s*(?:共|计)?\s*\d+\s*[个家条]\s*\)$")  # “…(27个)”
_EXCEL_EPOCH = datetime(1899, 12, 30)
_RESULT_FIELDS = frozenset({"score", "verdict", "problems"})
_RESULTS_KEEP = frozenset(
    {"unit", "region", "website_kind", *_ACCOUNT_ONLY, "website_name", "url", "site_code"}
    | _RESULT_FIELDS
)
"""Fields a results list is read for; other columns are left alone (never a bad row)."""
_UNIQUE_FIELDS = frozenset(
    {"account_name", "account_id", "website_name", "url", "site_code", "icp", "note"}
)


# ------------------------------------------------------------------------------ results


@dataclass
class ParsedRow:
    """One registry entry read from the sheet; ``fields`` hold typed values.

    Keys are the field names of ``column_synonyms.json`` plus, from section rows,
    ``flags`` (list of str such as ``"not_updated"``), ``is_zombie``, ``is_empty_shell``;
    ``unit_as_written`` is kept when a unit alias was replaced by its canonical name.
    """

    sheet_row: int
    kind: Kind
    fields: dict[str, object]
    section: str | None = None


@dataclass
class BadRow:
    """A row that cannot be imported; ``reason`` names the row and column in Chinese."""

    sheet_row: int
    reason: str


@dataclass
class ParsedSheet:
    """A sheet read as a list of accounts (政务新媒体) or websites (政府网站)."""

    sheet_name: str
    kind: Kind
    header_row: int
    columns: dict[str, str]
    """field → header text as written in the sheet (序号 columns left out)."""
    rows: list[ParsedRow] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    section_count: int = 0
    merged_duplicates: list[tuple[int, int]] = field(default_factory=list)
    """(row kept, later duplicate row merged into it), sheet row numbers."""


# ------------------------------------------------------------------------------ parsing


class _CellError(ValueError):
    """A cell value that cannot be typed; the message is the Chinese explanation."""


def parse_registry_sheet(
    raw: RawSheet,
    known_unit_aliases: dict[str, str] | None = None,
    rules: ImportRules | None = None,
) -> ParsedSheet:
    """Parse ``raw`` as a registry list. ``known_unit_aliases`` maps alias → canonical unit name.

    Raises :class:`ImportFormatError` when no header row can be found.
    """
    return _SheetParser(raw, known_unit_aliases or {}, rules or load_rules()).parse()


def parse_results_sheet(
    raw: RawSheet,
    known_unit_aliases: dict[str, str] | None = None,
    kind: Kind | None = None,
    rules: ImportRules | None = None,
) -> ParsedSheet:
    """Parse ``raw`` as a results list (检查结果表): a header with 评分/结果/主要问题 and a
    单位 or name column. ``kind`` None = accounts when 平台/账号 columns are present, else
    websites. Rows keep ``score``/``verdict``/``problems`` as text. Raises ImportFormatError
    when no such header can be found.
    """
    parser = _SheetParser(
        raw, known_unit_aliases or {}, rules or load_rules(), results=True, kind=kind
    )
    return parser.parse()


def _text(value: object) -> str:
    """Cell value as tidy text; integral floats lose their '.0' (phones, codes)."""
    if value.__class__ is str:
        return clean_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return clean_text(value)


def _to_date(value: object) -> date | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value < 100000:  # an Excel serial day number (1954–2173)
            return (_EXCEL_EPOCH + timedelta(days=float(value))).date()
        value = str(int(value)) if float(value).is_integer() else str(value)
    try:
        return parse_date(clean_text(value) if isinstance(value, str) else value)
    except DateParseError as exc:
        raise _CellError(str(exc)) from exc


def _url_key(url: str) -> str:
    key = name_key(url)
    for prefix in ("https://", "http://"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key.rstrip("/")


class _SheetParser:
    """State of one parse: column plan, current section, duplicates seen."""

    def __init__(
        self,
        raw: RawSheet,
        aliases: dict[str, str],
        rules: ImportRules,
        *,
        results: bool = False,
        kind: Kind | None = None,
    ) -> None:
        self.raw = raw
        self.rules = rules
        self.results = results
        self.forced_kind = kind
        self.aliases = {name_key(a): c for a, c in aliases.items()}
        self.aliases.update({name_key(c): c for c in aliases.values()})
        self._memo: dict[str, dict[object, object]] = {}
        self._canonical: dict[str, str] = {}

    # -- header ---------------------------------------------------------------------

    def _find_header(self) -> tuple[int, dict[str, int]]:
        best: tuple[int, int, dict[str, int]] | None = None
        for index, (_, cells) in enumerate(self.raw.rows[:HEADER_SCAN_ROWS]):
            candidates = []
            for col, value in enumerate(cells):
                if isinstance(value, str):
                    hit = match_header(value, self.rules)
                    if hit is not None:
                        candidates.append((hit[1], col, hit[0]))
            mapping: dict[str, int] = {}
            used: set[int] = set()
            for _, col, fld in sorted(candidates):
                if fld not in mapping and col not in used:
                    mapping[fld] = col
                    used.add(col)
            named = set(mapping) - {"seq"}
            if self.results:
                usable = bool(named & _RESULT_FIELDS and named & (_NAME_FIELDS | {"unit"}))
            else:
                usable = bool(named & _NAME_FIELDS)
            if len(named) >= 2 and usable and (best is None or len(named) > best[1]):
                best = (index, len(named), mapping)
        if best is None:
            sheet = f"（工作表「{self.raw.name}」）" if self.raw.name else ""
            if self.results:
                raise ImportFormatError(
                    "未找到检查结果表头：请确认表格中有「部门」（或「网站名称」「账号名称」）"
                    f"以及「评分」「结果」「主要问题」等列{sheet}。"
                )
            raise ImportFormatError(
                "未找到表头：请确认表格中有「单位名称」「账号名称」「平台」等列"
                f"（网站台账为「单位名称」「网站名称」「网址」或「网站标识码」）{sheet}。"
            )
        return best[0], best[2]

    def _choose_kind(self, mapping: dict[str, int], data: list[tuple[int, list[object]]]) -> Kind:
        if self.forced_kind is not None:
            return self.forced_kind
        has_account = bool(_ACCOUNT_ONLY & mapping.keys())
        has_website = bool({"website_name", "url", "site_code"} & mapping.keys())
        if self.results and not has_account:
            return "website"  # 编号/部门/评分/结果: the sites of the units listed
        if has_account != has_website:
            return "account" if has_account else "website"

        def filled(fields: tuple[str, ...]) -> int:
            cols = [mapping[f] for f in fields if f in mapping]
            return sum(1 for _, c in data for i in cols if i < len(c) and c[i] not in (None, ""))

        account_score = filled(("account_name", "platform"))
        website_score = filled(("website_name", "url", "site_code"))
        return "account" if account_score >= website_score else "website"

    # -- main loop --------------------------------------------------------------------

    def parse(self) -> ParsedSheet:
        header_index, mapping = self._find_header()
        header_no, header_cells = self.raw.rows[header_index]
        data = self.raw.rows[header_index + 1 :]
        kind = self._choose_kind(mapping, data)
        if kind == "website":
            if "platform" in mapping and "website_kind" not in mapping:
                mapping["website_kind"] = mapping["platform"]  # “类型” = 门户/部门 here
            mapping = {f: c for f, c in mapping.items() if f not in _ACCOUNT_ONLY}
        else:
            if "account_name" not in mapping and "account_id" in mapping:
                mapping["account_name"] = mapping.pop("account_id")  # “账号” names the account
            mapping = {f: c for f, c in mapping.items() if f not in _WEBSITE_ONLY}
        mapping.pop("seq", None)
        if self.results:
            mapping = {f: c for f, c in mapping.items() if f in _RESULTS_KEEP}
        self.kind: Kind = kind
        self.headers = {f: clean_text(header_cells[c]) for f, c in mapping.items()}
        result = ParsedSheet(self.raw.name, kind, header_no, dict(self.headers))

        plan = sorted(mapping.items(), key=lambda item: item[1])
        data_cols = set(mapping.values())
        name_field = "account_name" if kind == "account" else "website_name"
        if self.results and name_field not in mapping:
            name_field = "unit"  # a repeated header shows as 部门 = “部门”
        name_col = mapping.get(name_field)
        header_name = header_cells[name_col] if name_col is not None else None
        section = self._section_above(header_index)
        defaults = self._section_defaults(section, "platform" in mapping) if section else {}
        result.section_count = int(section is not None)
        seen: dict[object, ParsedRow] = {}

        fill = self._vertical_fill(data_cols)
        for row_no, cells in data:
            if fill and row_no in fill:
                cells = _filled(cells, fill[row_no])
            width = len(cells)
            values: dict[str, object] = {}
            for fld, col in plan:
                if col < width:
                    value = cells[col]
                    if value is None or (value.__class__ is str and (not value or value.isspace())):
                        continue
                    values[fld] = value
            if len(values) <= 1:
                verdict = self._sparse_row(cells, bool(values), data_cols)
                if verdict is None:
                    continue
                if verdict is not True:
                    section = verdict
                    defaults = self._section_defaults(verdict, "platform" in mapping)
                    result.section_count += 1
                    continue
            if name_col is not None and values.get(name_field) == header_name:
                continue  # header repeated further down
            row = self._build_row(row_no, values, defaults, section, result)
            if row is not None:
                self._add_row(row, seen, result)
        return result

    def _section_above(self, header_index: int) -> str | None:
        """A numbered section row between title and header (“一、未备案的…” above the header)."""
        for _, cells in reversed(self.raw.rows[:header_index]):
            texts = {_text(v) for v in cells} - {""}
            if len(texts) == 1:
                text = texts.pop()
                if _NUMBERING.match(text):
                    return text
            return None  # only the row right above the header can open the first section
        return None

    def _vertical_fill(self, cols: set[int]) -> dict[int, dict[int, object]]:
        """Values of vertically merged cells (a unit spanning its accounts) by row and column."""
        fill: dict[int, dict[int, object]] = {}
        by_row: dict[int, list[object]] | None = None
        for min_col, min_row, max_col, max_row in self.raw.merged:
            if max_row == min_row:
                continue
            for col in range(min_col - 1, max_col):
                if col not in cols:
                    continue
                if by_row is None:
                    by_row = dict(self.raw.rows)
                top = by_row.get(min_row, [])
                value = top[col] if col < len(top) else None
                if value is not None:
                    for row_no in range(min_row + 1, max_row + 1):
                        fill.setdefault(row_no, {})[col] = value
        return fill

    def _sparse_row(
        self, cells: list[object], has_values: bool, data_cols: set[int]
    ) -> str | bool | None:
        """Classify a row with at most one mapped value: section text, True (data) or None (skip)."""
        texts: list[str] = []
        cols: list[int] = []
        for col, value in enumerate(cells):
            text = _text(value) if value is not None else ""
            if text:
                texts.append(text)
                cols.append(col)
        if not texts:
            return None
        text = texts[0]
        if len(set(texts)) == 1 and not text.replace(".", "").isdigit():
            if (
                len(cols) > 1
                or any(c not in data_cols for c in cols)
                or _NUMBERING.match(text)
                or _COUNT_SUFFIX.search(text)
                or section_meaning(text, self.rules)
            ):
                return text
        return True if has_values else None

    def _section_defaults(self, text: str, has_platform_column: bool) -> dict[str, object]:
        """Typed field values a section row gives to the rows below it."""
        typed: dict[str, object] = {}
        for key, value in section_meaning(text, self.rules).items():
            try:
                if key == "filing_status":
                    typed[key] = FilingStatus(value)
                elif key == "status":
                    typed[key] = (AccountStatus if self.kind == "account" else WebsiteStatus)(value)
                elif key == "flags":
                    typed[key] = list(value)  # type: ignore[call-overload]
                else:
                    typed[key] = value
            except ValueError:
                continue  # e.g. a website rule for accounts; nothing to carry
        if self.kind == "account" and not has_platform_column:
            platform = lookup_platform(_NUMBERING.sub("", text), self.rules)
            if platform is not None:
                typed["platform"] = platform
        return typed

    # -- one row --------------------------------------------------------------------------

    def _convert(self, fld: str, value: object) -> object:
        if fld in _DATE_FIELDS:
            return _to_date(value)
        if fld == "problems" and isinstance(value, str):
            return value.strip()  # 主要问题 kept as written (full-width ；，and line breaks)
        text = _text(value)
        if fld == "platform":
            platform = lookup_platform(text, self.rules) if text else None
            if platform is None:
                choices = "、".join(p.label for p in Platform)
                raise _CellError(
                    f"平台「{text}」无法识别，可选：{choices}。"
                    "其他平台（如小红书）请填“其他”，并在备注中写明平台名称"
                )
            return platform
        group = {"status": f"{self.kind}_status"}.get(fld, fld)
        if group in ENUM_GROUPS:
            enum = ENUM_GROUPS[group]
            code = self.rules.values[group].get(name_key(text))
            if code is None:
                choices = "、".join(m.label for m in enum)
                raise _CellError(f"「{text}」无法识别，可选：{choices}")
            return enum(code)
        if fld in ("url", "site_code", "account_id", "maintainer_phone", "email"):
            return text.replace(" ", "")
        return text

    def _typed(self, fld: str, value: object) -> object:
        """:meth:`_convert`, returning the error instead of raising it; memoised for
        fields whose values repeat a lot (units, platforms, statuses)."""
        memo = None if fld in _UNIQUE_FIELDS else self._memo.setdefault(fld, {})
        if memo is not None and value in memo:
            return memo[value]
        try:
            result: object = self._convert(fld, value)
        except _CellError as exc:
            result = exc
        if memo is not None:
            memo[value] = result
        return result

    def _build_row(
        self,
        row_no: int,
        values: dict[str, object],
        defaults: dict[str, object],
        section: str | None,
        result: ParsedSheet,
    ) -> ParsedRow | None:
        fields = {k: (list(v) if isinstance(v, list) else v) for k, v in defaults.items()}
        problems: list[str] = []
        failed: set[str] = set()
        for fld, value in values.items():
            typed = self._typed(fld, value)
            if isinstance(typed, _CellError):
                problems.append(f"第{row_no}行「{self.headers[fld]}」：{typed}")
                failed.add(fld)
            elif typed not in (None, ""):
                fields[fld] = typed
        unit = fields.get("unit")
        if isinstance(unit, str) and self.aliases:
            canonical = self._canonical.get(unit)
            if canonical is None:
                canonical = self._canonical[unit] = self.aliases.get(name_key(unit), unit)
            if canonical != unit:
                fields["unit"] = canonical
                fields["unit_as_written"] = unit
        problems.extend(self._missing(row_no, fields, failed))
        if problems:
            result.bad_rows.append(BadRow(row_no, "；".join(problems)))
            return None
        return ParsedRow(row_no, self.kind, fields, section)

    def _missing(self, row_no: int, fields: dict[str, object], failed: set[str]) -> list[str]:
        """Required fields that are empty (not those already reported as unreadable)."""

        def label(fld: str) -> str:
            return self.headers.get(fld) or self.rules.labels[fld]

        if self.results:
            return self._missing_result(row_no, fields, failed, label)
        required = (
            ("unit", "account_name", "platform")
            if self.kind == "account"
            else ("unit", "website_name")
        )
        problems = [
            f"第{row_no}行「{label(f)}」：不能为空"
            if f in self.headers
            else f"第{row_no}行：缺少「{label(f)}」（表中没有这一列）"
            for f in required
            if f not in fields and f not in failed
        ]
        if self.kind == "website" and "url" not in fields and "site_code" not in fields:
            problems.append(
                f"第{row_no}行：「{label('url')}」和「{label('site_code')}」至少要填一项"
            )
        return problems

    def _missing_result(
        self, row_no: int, fields: dict[str, object], failed: set[str], label: Callable[[str], str]
    ) -> list[str]:
        """A results row names its site (单位 or 网站名称) or its account (账号名称)."""
        if failed:
            return []
        if self.kind == "account":
            if "account_name" in fields:
                return []
            return [f"第{row_no}行「{label('account_name')}」：不能为空"]
        if "unit" in fields or "website_name" in fields:
            return []
        which = "website_name" if "website_name" in self.headers else "unit"
        return [f"第{row_no}行「{label(which)}」：不能为空"]

    def _add_row(self, row: ParsedRow, seen: dict[object, ParsedRow], result: ParsedSheet) -> None:
        fields = row.fields
        if self.results:  # each results row stands on its own; the service reports repeats
            result.rows.append(row)
            return
        if self.kind == "account":
            keys: list[object] = [("a", fields["platform"], name_key(fields["account_name"]))]
        else:
            keys = []
            if "url" in fields:
                keys.append(("u", _url_key(str(fields["url"]))))
            if "site_code" in fields:
                keys.append(("c", name_key(fields["site_code"])))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is None:
            for key in keys:
                seen[key] = row
            result.rows.append(row)
            return
        merge_into(first, row)
        for key in keys:
            seen.setdefault(key, first)
        result.merged_duplicates.append((first.sheet_row, row.sheet_row))


def _filled(cells: list[object], values: dict[int, object]) -> list[object]:
    """Copy of ``cells`` with empty positions taken from ``values`` (merged cells)."""
    width = max(len(cells), max(values) + 1)
    out = cells + [None] * (width - len(cells))
    for col, value in values.items():
        if out[col] is None:
            out[col] = value
    return out


def merge_into(target: ParsedRow, later: ParsedRow) -> None:
    """Fold a duplicate row into the first one: later non-empty values win, flags add up."""
    for key, value in later.fields.items():
        if key == "flags":
            flags = target.fields.setdefault("flags", [])
            flags.extend(f for f in value if f not in flags)  # type: ignore[union-attr, attr-defined]
        elif value not in (None, ""):
            target.fields[key] = value
    if later.section and later.section not in (target.section or "").split("；"):
        target.section = f"{target.section}；{later.section}" if target.section else later.section
