"""Registry import (台账导入) from an Excel/CSV list: preview first, then all or nothing.

:func:`plan_import` reads the file and compares every row with the registry without writing;
the resulting :class:`ImportPlan` is what the preview dialog and ``main.py import-registry``
show. :func:`apply_import` writes the plan in one transaction, comparing again against the
registry as it is then, so nothing is half-imported, duplicated or silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.text import name_key
from app.errors import ImportFormatError, ValidationError
from app.io.registry_sheet import ParsedRow, ParsedSheet, merge_into, parse_registry_sheet
from app.io.table_reader import ImportCancelled, list_sheets, read_table
from app.services.backup import backup_before
from app.services.import_common import CancelFn, ProgressFn, poll, refuse_bad_rows
from app.services.import_matching import (
    USED_FIELDS,
    Action,
    Kind,
    RegistryIndex,
    RowChange,
    diff_row,
    row_keys,
    write_adds,
    write_change,
)
from db.enums import Platform
from db.models import Unit, UnitAlias

if TYPE_CHECKING:
    from app.services.registry import Registry


NOT_UPDATED = "not_updated"
_NOUN = {"account": "账号", "website": "网站"}


@dataclass
class PlanSheet:
    """One sheet of the file: what it holds, or why it is skipped."""

    name: str
    kind: Kind | None = None
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    """Recognised field → header text as written."""
    ignored_columns: list[str] = field(default_factory=list)
    """Recognised headers the registry has no place for (not imported)."""
    skipped: str = ""


@dataclass
class PlanItem:
    """What importing one row will do."""

    sheet: str
    sheet_row: int
    kind: Kind
    action: Action
    name: str
    unit: str
    changes: str
    new_unit: bool
    platform: str = ""
    """Platform label of an account ('' for a website)."""
    section: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    """The row's typed values (plain values and enums), applied by :func:`apply_import`."""

    @property
    def text(self) -> str:
        """'新增 账号「通城公安」（抖音，县公安局）' or '更新 …：备案状态：…'."""
        verb = {"add": "新增", "update": "更新", "unchanged": "无变化"}[self.action]
        where = "，".join(p for p in (self.platform, self.unit) if p)
        new = "，新建单位" if self.new_unit else ""
        tail = f"：{self.changes}" if self.changes else ""
        return f"{verb} {_NOUN[self.kind]}「{self.name}」（{where}{new}）{tail}"


@dataclass
class PlanBadRow:
    """A row that cannot be imported."""

    sheet: str
    sheet_row: int
    reason: str

    @property
    def text(self) -> str:
        """'工作表「附件2」第12行「平台」：…' (the reason without its own row number)."""
        reason = self.reason.removeprefix(f"第{self.sheet_row}行")
        reason = reason.replace(f"；第{self.sheet_row}行", "；")
        sep = "" if reason.startswith(("「", "：")) else "："
        return f"工作表「{self.sheet}」第{self.sheet_row}行{sep}{reason}"


@dataclass
class ImportPlan:
    """The preview of an import: one item per row to import, plus what cannot be imported."""

    path: str
    file_name: str
    sheets: list[PlanSheet] = field(default_factory=list)
    items: list[PlanItem] = field(default_factory=list)
    bad_rows: list[PlanBadRow] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    """'工作表「附件2」第34行与第42行是同一账号，已合并'."""
    not_updated: int = 0
    """Rows flagged 未及时更新; the registry keeps no such mark (inspection rounds do)."""
    filing_assumed: int = 0
    """New accounts whose sheet says nothing about 备案: registered as 已备案, and said so."""
    demo_units: list[str] = field(default_factory=list)
    """Demo-dataset units the sheet names: its rows would be filed under demo data."""

    def count(self, action: Action) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def added(self) -> int:
        return self.count("add")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def new_units(self) -> list[str]:
        """Units the import would create, each once, in order of appearance."""
        found: dict[str, str] = {}
        for item in self.items:
            if item.new_unit:
                found.setdefault(name_key(item.unit), item.unit)
        return list(found.values())

    def notes(self) -> list[str]:
        """What the import assumes or leaves out, for the preview and the command line."""
        notes = []
        if self.demo_units:
            shown = "、".join(self.demo_units[:5]) + (" 等" if len(self.demo_units) > 5 else "")
            notes.append(
                f"表中有 {len(self.demo_units)} 个单位与演示数据中的单位同名（{shown}），"
                "这些行会归入演示单位。导入正式台账前，建议先「数据 → 清除演示数据」。"
            )
        if self.filing_assumed:
            notes.append(
                f"有 {self.filing_assumed} 个新账号表中没有写备案情况，将按「已备案」登记；"
                "未备案的请在表中注明（或导入后在台账中修改）。"
            )
        if self.not_updated:
            notes.append(
                f"其中标为“未及时更新”的 {self.not_updated} 个：台账不单独记录此项，"
                "请在检查轮次中按更新不及时的指标处理。"
            )
        return notes

    def summary_lines(self) -> list[str]:
        """The plan in Chinese, as the command line prints it."""
        lines = [f"文件「{self.file_name}」"]
        for sheet in self.sheets:
            if sheet.skipped:
                lines.append(f"  工作表「{sheet.name}」：已跳过（{sheet.skipped}）")
                continue
            noun = "新媒体账号" if sheet.kind == "account" else "政府网站"
            lines.append(f"  工作表「{sheet.name}」：{noun} {sheet.rows} 条")
            if sheet.ignored_columns:
                lines.append(
                    f"    以下列台账中没有对应项，不导入：{'、'.join(sheet.ignored_columns)}"
                )
        lines += [f"  {item.text}" for item in self.items if item.action != "unchanged"]
        lines.append(
            f"新增 {self.added}、更新 {self.updated}、无变化 {self.unchanged}、"
            f"错误行 {len(self.bad_rows)}"
        )
        if self.new_units:
            lines.append(f"将新建单位 {len(self.new_units)} 个：{'、'.join(self.new_units)}")
        lines += self.notes()
        if self.duplicates:
            lines.append(f"表内重复已合并 {len(self.duplicates)} 处：")
            lines += [f"  {text}" for text in self.duplicates]
        if self.bad_rows:
            lines.append("错误行：")
            lines += [f"  {bad.text}" for bad in self.bad_rows]
        return lines


@dataclass(frozen=True)
class ImportResult:
    """What :func:`apply_import` wrote (counted at write time, not from the preview)."""

    added: int
    updated: int
    unchanged: int
    new_units: tuple[str, ...]
    skipped_rows: int

    @property
    def text(self) -> str:
        parts = [f"已导入：新增 {self.added}、更新 {self.updated}、无变化 {self.unchanged}"]
        if self.new_units:
            parts.append(f"新建单位 {len(self.new_units)} 个")
        if self.skipped_rows:
            parts.append(f"跳过错误行 {self.skipped_rows} 行")
        return "；".join(parts) + "。"


# --------------------------------------------------------------------------------- plan


def plan_import(
    registry: Registry,
    path: str | Path,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportPlan:
    """Read ``path`` (one sheet, or every sheet with a header) and compare it with the registry.

    Writes nothing. Raises ImportFormatError/FileAccessError for an unreadable file and
    ImportCancelled when ``cancel()`` returns True.
    """
    path = Path(path)
    sf = registry.db.session_factory
    with sf() as s:
        aliases = dict(s.execute(select(UnitAlias.alias, Unit.name).join(UnitAlias.unit)).all())
    plan = ImportPlan(str(path), path.name)
    parsed = _read_sheets(path, sheet, aliases, plan, progress, cancel)
    rows = _merge_across_sheets(parsed, plan)
    headers = {p.sheet_name: p.columns for p in parsed}
    order = {p.sheet_name: n for n, p in enumerate(parsed)}
    today = date.today()
    with sf() as s:
        index = RegistryIndex(s)
        for n, (sheet_name, row) in enumerate(rows):
            poll(n, len(rows), progress, cancel)
            try:
                change = diff_row(index, row.kind, row.fields, headers[sheet_name], today)
            except ValidationError as exc:
                plan.bad_rows.append(PlanBadRow(sheet_name, row.sheet_row, exc.message))
                continue
            plan.items.append(_item(sheet_name, row, change))
            if (
                plan.items[-1].action == "add"
                and row.kind == "account"
                and "filing_status" not in row.fields
            ):
                plan.filing_assumed += 1
            if NOT_UPDATED in row.fields.get("flags", ()):  # type: ignore[operator]
                plan.not_updated += 1
    plan.bad_rows.sort(key=lambda b: (order[b.sheet], b.sheet_row))
    plan.demo_units = _demo_units_joined(registry, plan.items)
    return plan


def _demo_units_joined(registry: Registry, items: list[PlanItem]) -> list[str]:
    """Units of the sheet that are the demo dataset's units: their rows would join demo data."""
    if not registry.demo.has_demo_data():
        return []
    demo = {}
    for unit in registry.units.list():
        if unit.is_demo:
            demo.update((name_key(n), unit.name) for n in (unit.name, *unit.aliases))
    return sorted({demo[name_key(i.unit)] for i in items if name_key(i.unit) in demo})


def _read_sheets(
    path: Path,
    sheet: str | None,
    aliases: dict[str, str],
    plan: ImportPlan,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> list[ParsedSheet]:
    """Parse the chosen sheet, or every sheet (recording why one is skipped)."""
    if sheet is not None:
        names = [sheet]
    else:
        names = list_sheets(path)
    parsed: list[ParsedSheet] = []
    for name in names:
        try:
            result = parse_registry_sheet(read_table(path, name, progress, cancel), aliases)
        except ImportFormatError as exc:
            if len(names) == 1:
                raise
            plan.sheets.append(PlanSheet(name, skipped=exc.message))
            continue
        parsed.append(result)
        ignored = [h for f, h in result.columns.items() if f not in USED_FIELDS[result.kind]]
        plan.sheets.append(
            PlanSheet(name, result.kind, len(result.rows), dict(result.columns), ignored)
        )
        plan.bad_rows += [PlanBadRow(name, b.sheet_row, b.reason) for b in result.bad_rows]
    if not parsed:
        reasons = "；".join(f"「{s.name}」{s.skipped}" for s in plan.sheets)
        raise ImportFormatError(f"文件「{path.name}」中没有可导入的工作表：{reasons}")
    return parsed


def _merge_across_sheets(
    parsed: list[ParsedSheet], plan: ImportPlan
) -> list[tuple[str, ParsedRow]]:
    """Rows of all sheets; a record listed in two sheets is merged (later values win)."""
    seen: dict[tuple[str, ...], tuple[str, ParsedRow]] = {}
    rows: list[tuple[str, ParsedRow]] = []
    for sheet in parsed:
        noun = _NOUN[sheet.kind]
        for first, later in sheet.merged_duplicates:
            plan.duplicates.append(
                f"工作表「{sheet.sheet_name}」第{first}行与第{later}行是同一{noun}，已合并"
            )
        for row in sheet.rows:
            keys = [(row.kind, *k) for k in row_keys(row.kind, row.fields)]
            hit = next((seen[k] for k in keys if k in seen), None)
            if hit is None:
                seen.update((k, (sheet.sheet_name, row)) for k in keys)
                rows.append((sheet.sheet_name, row))
                continue
            merge_into(hit[1], row)
            seen.update((k, hit) for k in keys if k not in seen)
            plan.duplicates.append(
                f"工作表「{hit[0]}」第{hit[1].sheet_row}行与工作表「{sheet.sheet_name}」"
                f"第{row.sheet_row}行是同一{noun}，已合并"
            )
    return rows


def _item(sheet: str, row: ParsedRow, change: RowChange) -> PlanItem:
    platform = row.fields.get("platform")
    return PlanItem(
        sheet=sheet,
        sheet_row=row.sheet_row,
        kind=row.kind,
        action=change.action,
        name=change.name,
        unit=change.unit_name,
        changes=change.changes,
        new_unit=change.new_unit,
        platform=platform.label if isinstance(platform, Platform) else "",
        section=row.section or "",
        fields=dict(row.fields),
    )


# -------------------------------------------------------------------------------- apply


def apply_import(
    registry: Registry,
    plan: ImportPlan,
    *,
    skip_bad_rows: bool,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Write ``plan`` in one transaction; any error or a cancel leaves the registry untouched.

    Rows are compared again inside the transaction. Raises ValidationError (naming sheet,
    row and field) for bad rows unless ``skip_bad_rows``, or for a value that fails the
    registry rules; ImportCancelled when ``cancel()`` returns True.
    """
    if not skip_bad_rows:
        refuse_bad_rows([b.text for b in plan.bad_rows])
    headers = {s.name: s.columns for s in plan.sheets}
    counts = {"add": 0, "update": 0, "unchanged": 0}
    new_units: list[str] = []
    today = date.today()
    total = len(plan.items)
    source = f"从Excel导入：{plan.file_name}"
    backup_before(registry.db.path, "import")  # 导入前自动备份
    with registry.db.session_factory.begin() as s:
        index = RegistryIndex(s)
        adds: list[tuple[RowChange, str]] = []
        for n, item in enumerate(plan.items):
            poll(n, total, progress, cancel)
            try:
                change = diff_row(index, item.kind, item.fields, headers.get(item.sheet, {}), today)
            except ValidationError as exc:
                raise ValidationError(
                    f"工作表「{item.sheet}」第{item.sheet_row}行：{exc.message}（未写入任何数据）",
                    exc.field,
                ) from exc
            counts[change.action] += 1
            if change.action == "unchanged":
                continue
            if change.new_unit and change.unit_name not in new_units:
                new_units.append(change.unit_name)
            if change.action == "add":
                adds.append((change, f"{source}（工作表「{item.sheet}」）"))
            else:
                write_change(s, index, change, f"{source}（工作表「{item.sheet}」）", registry.user)
        try:
            write_adds(s, index, adds, registry.user)
        except IntegrityError as exc:
            raise ValidationError(
                "导入的数据与台账中已有的记录冲突（同一网址、标识码或同平台同名账号），未写入任何数据。"
                "请刷新后重新预览导入。"
            ) from exc
        if cancel is not None and cancel():
            raise ImportCancelled()
        if progress is not None:
            progress(total, total)
    return ImportResult(
        counts["add"],
        counts["update"],
        counts["unchanged"],
        tuple(new_units),
        len(plan.bad_rows),
    )
