"""Match results rows with registry records (结果行与台账匹配) for the results import.

:class:`RecordMatcher` finds the website or account each row names — by URL, 标识码, name,
the unit a 部门 cell names, or the county's portal; :func:`register_missing` registers the
sites and accounts the registry lacks with the registry import's writer.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.domain.registry_rules import site_code_key, url_key
from app.domain.text import name_key
from app.errors import ValidationError
from app.services.import_matching import RegistryIndex, RowChange, diff_row, write_adds
from app.services.rounds import in_scope
from app.services.units import find_unit
from db.enums import Platform, UnitKind, WebsiteKind
from db.models import Account, Unit, Website

if TYPE_CHECKING:
    from app.services.registry import Registry
    from app.services.results_import import ResultRow, ResultsPlan

NOUN = {"website": "网站", "account": "账号"}
_COUNTY = re.compile(r"^[^\s市省]{1,6}(县|市|区|旗)$")
_NOT_COUNTY = re.compile(r"(示范区|开发区|新区|园区|管理区|景区)$")

Record = Website | Account


class RowError(ValueError):
    """A row whose result cannot be read or matched; the message names the row (and column)."""


def _county_like(text: str) -> bool:
    """'长垣市', '红旗区': a county-level name whose site is the government portal."""
    return bool(_COUNTY.match(text)) and not _NOT_COUNTY.search(text)


# ------------------------------------------------------------------------------ matching


class RecordMatcher:
    """Finds the registry record each results row names, within one session."""

    def __init__(self, s: Session, window: tuple[date, date]) -> None:
        self._s = s
        self._window = window
        self._units: dict[str, Unit | None] = {}
        sites = s.scalars(select(Website).options(joinedload(Website.unit))).all()
        self._site_keys: dict[tuple[str, str], Website] = {}
        self._site_names: dict[str, list[Website]] = {}
        self._unit_sites: dict[int, list[Website]] = {}
        self._portals: dict[str, list[Website]] = {}
        for w in sites:
            if w.url_key:
                self._site_keys[("u", w.url_key)] = w
            if w.site_code_key:
                self._site_keys[("c", w.site_code_key)] = w
            self._site_names.setdefault(name_key(w.name), []).append(w)
            self._unit_sites.setdefault(w.unit_id, []).append(w)
            if w.kind is WebsiteKind.PORTAL and w.unit.region:
                self._portals.setdefault(name_key(w.unit.region), []).append(w)
        accounts = s.scalars(select(Account).options(joinedload(Account.unit))).all()
        self._accounts = {(Platform(a.platform).value, a.name_key): a for a in accounts}
        self._account_names: dict[str, list[Account]] = {}
        for a in accounts:
            self._account_names.setdefault(a.name_key, []).append(a)

    def unit(self, text: str) -> Unit | None:
        """The unit a 部门 cell names: by name or alias, or as '长垣市' for 长垣市人民政府."""
        key = name_key(text)
        if key not in self._units:
            found = None
            for candidate in (text, f"{text}人民政府", f"{text}政府"):
                found = find_unit(self._s, candidate)
                if found is not None:
                    break
            self._units[key] = found
        return self._units[key]

    def match(self, rows: list[ResultRow]) -> tuple[dict[int, Record], dict[int, str]]:
        """Row index → record, and row index → why the row is a bad row.

        Exact names and addresses are matched first, so a unit's other site (信用中国 listed
        under its own name) is not taken for the unit's main site.
        """
        found: dict[int, Record] = {}
        errors: dict[int, str] = {}
        for i, row in enumerate(rows):
            try:
                hit = self._direct(row)
            except RowError as exc:
                errors[i] = str(exc)
                continue
            if hit is not None:
                found[i] = hit
        claimed = {id(r) for r in found.values()}
        for i, row in enumerate(rows):
            if i in found or i in errors or row.kind != "website":
                continue
            try:
                hit = self._by_unit(row, claimed)
            except RowError as exc:
                errors[i] = str(exc)
                continue
            if hit is not None:
                found[i] = hit
        self._repeats(rows, found, errors)
        return found, errors

    def _direct(self, row: ResultRow) -> Record | None:
        f = row.fields
        if row.kind == "account":
            return self._account(row)
        for prefix, key in (
            ("u", url_key(str(f.get("url") or ""))),
            ("c", site_code_key(str(f.get("site_code") or ""))),
        ):
            if key and (prefix, key) in self._site_keys:
                return self._site_keys[(prefix, key)]
        name = str(f.get("website_name") or "") or row.unit
        sites = self._site_names.get(name_key(name), [])
        if len(sites) > 1 and row.unit and f.get("website_name"):
            unit = self.unit(row.unit)
            sites = [w for w in sites if unit is not None and w.unit_id == unit.id] or sites
        sites = self._narrow(sites, set())
        if len(sites) > 1:
            raise RowError(
                f"第{row.sheet_row}行：台账中有 {len(sites)} 个名为「{name}」的网站，"
                "请在表中写明单位"
            )
        return sites[0] if sites else None

    def _by_unit(self, row: ResultRow, claimed: set[int]) -> Website | None:
        """The one website of the unit a 部门 cell names (or the county's portal)."""
        if not row.unit:
            return None
        unit = self.unit(row.unit)
        if unit is not None:
            sites = self._unit_sites.get(unit.id, [])
        else:
            sites = self._portals.get(name_key(row.unit), [])
        sites = self._narrow(sites, claimed)
        if len(sites) > 1 and row.fields.get("website_name"):
            return None  # a site of that unit not registered yet (or renamed): not a guess
        if len(sites) > 1:
            names = "、".join(w.name for w in sites)
            raise RowError(
                f"第{row.sheet_row}行：「{row.unit}」有 {len(sites)} 个网站（{names}），"
                "无法确定是哪一个，请在表中加「网站名称」列"
            )
        return sites[0] if sites else None

    def _account(self, row: ResultRow) -> Account | None:
        key = name_key(row.name)
        if row.platform is not None:
            return self._accounts.get((row.platform.value, key))
        accounts = self._account_names.get(key, [])
        if len(accounts) > 1 and row.unit:
            unit = self.unit(row.unit)
            accounts = [a for a in accounts if unit is not None and a.unit_id == unit.id]
        accounts = self._narrow(accounts, set())
        if len(accounts) > 1:
            platforms = "、".join(Platform(a.platform).label for a in accounts)
            raise RowError(
                f"第{row.sheet_row}行：台账中有 {len(accounts)} 个名为「{row.name}」的账号"
                f"（{platforms}），请在表中加「平台」列"
            )
        return accounts[0] if accounts else None

    def _narrow(self, records: list[Any], claimed: set[int]) -> list[Any]:
        """Of several candidates, prefer unclaimed, then running, then main (not 其他) sites."""
        start, end = self._window
        for keep in (
            lambda r: id(r) not in claimed,
            lambda r: in_scope(r.opened_on, r.closed_on, start, end),
            lambda r: not isinstance(r, Website) or r.kind is not WebsiteKind.OTHER,
        ):
            if len(records) <= 1:
                break
            records = [r for r in records if keep(r)] or records
        return records

    @staticmethod
    def _repeats(rows: list[ResultRow], found: dict[int, Record], errors: dict[int, str]) -> None:
        """A record (or a new name) listed twice: the later row is a bad row."""
        first: dict[object, int] = {}
        for i, row in enumerate(rows):
            if i in errors:
                continue
            record = found.get(i)
            key: object = (
                ("r", id(record)) if record is not None else ("n", row.kind, _new_key(row))
            )
            if key in first:
                earlier = rows[first[key]]
                where = (
                    f"第{earlier.sheet_row}行"
                    if earlier.sheet == row.sheet
                    else f"工作表「{earlier.sheet}」第{earlier.sheet_row}行"
                )
                errors[i] = (
                    f"第{row.sheet_row}行：与{where}是同一{NOUN[row.kind]}「{row.name}」，"
                    "请删去重复的一行"
                )
            else:
                first[key] = i


def _new_key(row: ResultRow) -> tuple[str, ...]:
    platform = row.platform.value if row.platform else ""
    return (name_key(row.unit), name_key(row.name), platform)


def cannot_register_reason(row: ResultRow, headers: dict[str, str]) -> str:
    if not row.unit:
        return f"缺少「{headers.get('unit') or '单位'}」，无法登记到台账"
    if row.kind == "account" and row.platform is None:
        return f"缺少「{headers.get('platform') or '平台'}」，无法登记到台账"
    return ""


# ------------------------------------------------------------------- registering


def register_missing(
    registry: Registry,
    s: Session,
    plan: ResultsPlan,
    wanted: list[tuple[ResultRow, Record | None]],
) -> list[str]:
    """Register the rows' missing sites/accounts with the registry import's writer; fills
    their records into ``wanted`` and returns the names of units created."""
    missing = [i for i, (_row, record) in enumerate(wanted) if record is None]
    if not missing:
        return []
    index = RegistryIndex(s)
    today = date.today()
    adds: list[tuple[RowChange, str]] = []
    changes: dict[int, RowChange] = {}
    for i in missing:
        row = wanted[i][0]
        try:
            change = diff_row(index, row.kind, _registry_fields(row), {}, today)
        except ValidationError as exc:
            raise ValidationError(
                f"工作表「{row.sheet}」第{row.sheet_row}行：{exc.message}（未写入任何数据）",
                exc.field,
            ) from exc
        changes[i] = change
        if change.action == "add":
            source = f"从Excel导入检查结果：{plan.file_name}（工作表「{row.sheet}」）"
            adds.append((change, source))
    new_units = list(dict.fromkeys(c.unit_name for c, _src in adds if c.new_unit))
    try:
        write_adds(s, index, adds, registry.user)
    except IntegrityError as exc:
        raise ValidationError(
            "要登记的网站/账号与台账中已有的记录冲突，未写入任何数据。请刷新后重新预览导入。"
        ) from exc
    for i, change in changes.items():
        row = wanted[i][0]
        record = change.record or _find_new(s, change)
        wanted[i] = (row, record)
    return new_units


def _registry_fields(row: ResultRow) -> dict[str, object]:
    """Registry-import fields of a site/account the sheet names but the registry lacks."""
    fields = dict(row.fields)
    if row.kind == "account":
        return fields
    if "website_name" not in fields and _county_like(row.unit):
        # '长垣市' in 附件1: the county government's portal
        fields["unit"] = f"{row.unit}人民政府"
        fields["website_name"] = f"{row.unit}人民政府网站"
        fields.setdefault("website_kind", WebsiteKind.PORTAL)
        fields.setdefault("region", row.unit)
        fields["unit_kind"] = UnitKind.COUNTY_GOV
    fields.setdefault("website_name", f"{row.unit}网站")
    return fields


def _find_new(s: Session, change: RowChange) -> Record:
    """A record just inserted by ``write_adds`` (which returns no objects)."""
    if change.kind == "account":
        platform = Platform(change.values["platform"])  # type: ignore[arg-type]
        found: Record | None = s.scalar(
            select(Account).where(
                Account.platform == platform, Account.name_key == name_key(change.name)
            )
        )
    else:
        unit = find_unit(s, change.unit_name)
        found = s.scalar(
            select(Website)
            .where(Website.unit_id == (unit.id if unit else -1), Website.name == change.name)
            .order_by(Website.id.desc())
        )
    assert found is not None, "write_adds inserted it in this transaction"
    return found
