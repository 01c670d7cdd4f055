"""One imported row against the registry (台账比对): compare, then write.

:class:`RegistryIndex` holds one session's units, accounts and websites in dictionaries, so
comparing thousands of rows costs no query per row. :func:`diff_row` says what importing one
row would do, without writing; :func:`write_change` carries it out. The import service runs
the same comparison for its preview and again inside the write transaction, so a stale
preview can never create a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.domain.registry_rules import (
    check_dates,
    check_phone,
    check_site_code,
    check_url,
    site_code_key,
    url_key,
)
from app.domain.text import clean_text, name_key
from app.errors import ValidationError
from app.services.accounts import CHANGE_LABELS as _ACCOUNT_LABELS
from app.services.history import describe_changes, record_event
from app.services.units import new_unit
from app.services.websites import CHANGE_LABELS as _WEBSITE_LABELS
from db.audit import record_inserts
from db.enums import AccountStatus, EventKind, Platform, UnitKind, WebsiteStatus
from db.models import Account, RecordEvent, Unit, Website

Kind = Literal["account", "website"]
Action = Literal["add", "update", "unchanged"]

ACCOUNT_FIELDS: dict[str, str] = {
    "account_id": "account_id",
    "region": "region",
    "filing_status": "filing_status",
    "status": "status",
    "opened_on": "opened_on",
    "closed_on": "closed_on",
    "maintainer": "maintainer",
    "maintainer_phone": "maintainer_phone",
    "is_zombie": "is_zombie",
    "is_empty_shell": "is_empty_shell",
    "note": "note",
}
"""Sheet field → :class:`Account` attribute an import may set."""

WEBSITE_FIELDS: dict[str, str] = {
    "website_name": "name",
    "url": "url",
    "site_code": "site_code",
    "icp": "icp",
    "website_kind": "kind",
    "status": "status",
    "opened_on": "opened_on",
    "closed_on": "closed_on",
    "note": "note",
}
"""Sheet field → :class:`Website` attribute an import may set."""

USED_FIELDS: dict[str, frozenset[str]] = {
    "account": frozenset({"unit", "unit_kind", "platform", "account_name", *ACCOUNT_FIELDS}),
    "website": frozenset({"unit", "unit_kind", "region", *WEBSITE_FIELDS}),
}
"""Sheet fields the registry stores; other recognised columns are reported as not imported."""

LABELS: dict[str, dict[str, str]] = {
    "account": {"unit": "主办单位", **_ACCOUNT_LABELS, "closed_on": "关停日期", "note": "备注"},
    "website": {
        "name": "网站名称",
        "unit": "主办单位",
        **_WEBSITE_LABELS,
        "status": "状态",
        "closed_on": "关停日期",
        "note": "备注",
    },
}

CLOSED_STATES = frozenset({AccountStatus.CLOSED, WebsiteStatus.CLOSED, WebsiteStatus.MIGRATED})
LIFECYCLE = frozenset({"status", "closed_on"})


@dataclass
class RowChange:
    """What importing one row does: add a record, update some attributes, or nothing."""

    action: Action
    kind: Kind
    name: str
    unit_name: str
    """The unit's registry name, or the name as written when the unit is new."""
    new_unit: bool
    unit_region: str
    unit_kind: UnitKind | None
    record: Account | Website | None
    values: dict[str, object] = field(default_factory=dict)
    """Attribute → value to set ('unit' holds a unit name): all of them for an add."""
    before: dict[str, object] = field(default_factory=dict)
    """Old values of the attributes in ``values`` (update only)."""

    @property
    def changes(self) -> str:
        """'备案状态：未备案 → 未及时备案；…' for an update, '' otherwise."""
        return describe_changes(self.before, self.values, LABELS[self.kind]) if self.before else ""


class RegistryIndex:
    """Units, accounts and websites of one session, looked up without a query per row."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._units: dict[str, Unit | None] = {}
        self._accounts: dict[tuple[str, str], Account] = {}
        self._sites: dict[tuple[str, str], Website] = {}
        self._site_names: dict[tuple[str, str], Website] = {}
        # every unit under its name and aliases: no query (and no autoflush) per row
        for unit in session.scalars(select(Unit).options(selectinload(Unit.aliases))):
            self.add_unit(unit)
        for account in session.scalars(select(Account).options(joinedload(Account.unit))):
            self.remember(account)
        for site in session.scalars(select(Website).options(joinedload(Website.unit))):
            self.remember(site)

    def unit(self, name: str) -> Unit | None:
        """The unit called ``name`` or having it as an alias."""
        return self._units.get(name_key(name))

    def add_unit(self, unit: Unit) -> None:
        self._units[unit.name_key] = unit
        for alias in unit.aliases:
            self._units[alias.alias_key] = unit

    def account(self, platform: Platform, name: str) -> Account | None:
        return self._accounts.get((Platform(platform).value, name_key(name)))

    def website(self, url: str, code: str, name: str, unit: Unit | None) -> Website | None:
        """The site with this URL or 网站标识码; by name within the unit when neither is given."""
        by_url = self._sites.get(("u", url_key(url) or ""))
        by_code = self._sites.get(("c", site_code_key(code) or ""))
        if by_url is not None and by_code is not None and by_url is not by_code:
            raise ValidationError(
                f"网址 {url} 已登记为「{by_url.name}」，网站标识码 {code} 却已登记为"
                f"「{by_code.name}」，无法确定是哪个网站，请核对。",
                "site_code",
            )
        found = by_url or by_code
        if found is None and not url and not code and unit is not None:
            found = self._site_names.get((unit.name_key, name_key(name)))
        return found

    def remember(self, record: Account | Website) -> None:
        """Index ``record`` under its current keys (after adding or changing it)."""
        if isinstance(record, Account):
            self._accounts[(Platform(record.platform).value, record.name_key)] = record
            return
        if record.url_key:
            self._sites[("u", record.url_key)] = record
        if record.site_code_key:
            self._sites[("c", record.site_code_key)] = record
        if record.unit is not None:
            self._site_names[(record.unit.name_key, name_key(record.name))] = record

    def forget(self, record: Website) -> None:
        """Drop a site's keys before they change."""
        for key in (("u", record.url_key or ""), ("c", record.site_code_key or "")):
            if self._sites.get(key) is record:
                del self._sites[key]
        name = (record.unit.name_key if record.unit else "", name_key(record.name))
        if self._site_names.get(name) is record:
            del self._site_names[name]


def row_keys(kind: Kind, fields: dict[str, object]) -> list[tuple[str, ...]]:
    """Keys under which two rows of different sheets denote the same account or website."""
    if kind == "account":
        return [("a", str(fields["platform"]), name_key(fields["account_name"]))]
    keys: list[tuple[str, ...]] = []
    try:
        ukey = url_key(str(fields.get("url", "")))
    except ValueError:  # malformed; reported when the row is compared
        ukey = None
    ckey = site_code_key(str(fields.get("site_code", "")))
    if ukey:
        keys.append(("u", ukey))
    if ckey:
        keys.append(("c", ckey))
    return keys


def diff_row(
    index: RegistryIndex,
    kind: Kind,
    fields: dict[str, object],
    headers: dict[str, str],
    today: date,
) -> RowChange:
    """Compare one parsed row with the registry; raises ValidationError for a bad value."""
    unit_name = clean_text(fields["unit"])
    unit = index.unit(unit_name)
    wanted = {
        attr: fields[fld]
        for fld, attr in (ACCOUNT_FIELDS if kind == "account" else WEBSITE_FIELDS).items()
        if fields.get(fld) not in (None, "")
    }
    identity: dict[str, object]
    if kind == "account":
        platform = Platform(fields["platform"])  # type: ignore[arg-type]
        name = clean_text(fields["account_name"])
        if "maintainer_phone" in wanted:
            label = headers.get("maintainer_phone", "管理员电话")
            wanted["maintainer_phone"] = check_phone(
                str(wanted["maintainer_phone"]), "maintainer_phone", label
            )
        record: Account | Website | None = index.account(platform, name)
        identity = {"platform": platform, "name": name}
    else:
        name = clean_text(fields["website_name"])
        url = check_url(str(fields.get("url", "")), "url", headers.get("url", "网址"))
        code = check_site_code(str(fields.get("site_code", "")))
        wanted.update({k: v for k, v in (("url", url), ("site_code", code)) if v})
        record = index.website(url, code, name, unit)
        identity = {"name": name}
    _lifecycle(kind, record, wanted, headers, today)
    opened = wanted.get("opened_on", record.opened_on if record else None)
    closed = wanted.get("closed_on", record.closed_on if record else None)
    check_dates(opened, closed, today)  # type: ignore[arg-type]

    shown_unit = unit.name if unit is not None else unit_name
    unit_kind = fields.get("unit_kind")
    change = RowChange(
        "add",
        kind,
        name,
        shown_unit,
        unit is None,
        clean_text(fields.get("region", "")),
        unit_kind if isinstance(unit_kind, UnitKind) else None,
        record,
    )
    if record is None:
        change.values = {**identity, **wanted, "unit": shown_unit}
        if kind == "account" and "region" not in wanted:
            change.values["region"] = unit.region if unit is not None else change.unit_region
        return change
    if unit is None or unit is not record.unit:
        change.before["unit"], change.values["unit"] = record.unit.name, shown_unit
    for attr, value in wanted.items():
        old = getattr(record, attr)
        if not _same(attr, old, value):
            change.before[attr], change.values[attr] = old, value
    change.action = "update" if change.values else "unchanged"
    return change


def _lifecycle(
    kind: Kind,
    record: Account | Website | None,
    wanted: dict[str, object],
    headers: dict[str, str],
    today: date,
) -> None:
    """Settle status and closing date: a 关停日期 alone means closed; closing needs a date."""
    current_closed = record is not None and record.status in CLOSED_STATES
    target = wanted.get("status")
    if target is None:
        if "closed_on" in wanted and not current_closed:
            wanted["status"] = AccountStatus.CLOSED if kind == "account" else WebsiteStatus.CLOSED
        return
    if target in CLOSED_STATES:
        if not current_closed:
            wanted.setdefault("closed_on", today)
        return
    if "closed_on" in wanted:
        status = headers.get("status", "状态")
        closed = headers.get("closed_on", "关停日期")
        raise ValidationError(
            f"「{status}」为「{getattr(target, 'label', target)}」，却填写了「{closed}」，请核对。",
            "closed_on",
        )
    if current_closed:
        wanted["closed_on"] = None


def _same(attr: str, old: object, new: object) -> bool:
    """Equal as the registry compares them (URL/标识码 by key, text ignoring spacing)."""
    if attr == "url":
        return url_key(str(old or "")) == url_key(str(new))
    if attr == "site_code":
        return site_code_key(str(old or "")) == site_code_key(str(new))
    if isinstance(new, str) and not isinstance(old, (date, bool)):
        return name_key(old) == name_key(new)
    return old == new


# ------------------------------------------------------------------------------ writing


def _unit_for(s: Session, index: RegistryIndex, change: RowChange) -> Unit:
    """The row's unit, created (with the row's region and unit kind) when it is new."""
    unit = index.unit(change.unit_name)
    if unit is None:
        unit = new_unit(s, change.unit_name, change.unit_region)
        if change.unit_kind is not None:
            unit.kind = change.unit_kind
        index.add_unit(unit)
    return unit


def write_adds(
    s: Session, index: RegistryIndex, adds: list[tuple[RowChange, str]], user: str
) -> None:
    """Insert every new account/website of an import, with its 开设 (and 关停) history line.

    Batched ``INSERT … RETURNING`` statements instead of one ORM object per row: an import
    of 10 000 rows then costs a handful of statements, not 20 000 (see bench/import_registry.py).
    Units are created first (ORM, one flush) so the rows can refer to their ids. Each add
    comes with the source text for its history line (file and sheet).
    """
    if not adds:
        return
    changes = [change for change, _source in adds]
    sources = [source for _change, source in adds]
    units = [_unit_for(s, index, change) for change in changes]
    s.flush()
    today = date.today()
    for model, kind in ((Account, "account"), (Website, "website")):
        batch = [
            (c, u, src) for c, u, src in zip(changes, units, sources, strict=True) if c.kind == kind
        ]
        if not batch:
            continue
        rows = [_insert_values(c, u) for c, u, _src in batch]
        ids = s.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows).all()
        record_inserts(s, model, zip(ids, rows, strict=True))  # bulk: not seen by the flush
        events: list[dict[str, object]] = []
        id_column = "account_id" if kind == "account" else "website_id"
        for record_id, row, (_c, _u, source) in zip(ids, rows, batch, strict=True):
            first = EventKind.first(row.get("opened_on"))
            on = row.get("opened_on") or today
            events.append(_event(id_column, record_id, first, on, source, "", user))
            if row.get("status") in CLOSED_STATES:
                closing = (
                    EventKind.MIGRATED
                    if row["status"] is WebsiteStatus.MIGRATED
                    else EventKind.CLOSED
                )
                on = row.get("closed_on") or today
                events.append(
                    _event(id_column, record_id, closing, on, closing.label, source, user)
                )
        s.execute(insert(RecordEvent), events)


def _insert_values(change: RowChange, unit: Unit) -> dict[str, object]:
    """Column values of a new record, with its comparison keys (name_key, url_key …)."""
    values = {k: v for k, v in change.values.items() if k != "unit"}
    values["unit_id"] = unit.id
    if change.kind == "account":
        values["name_key"] = name_key(values["name"])
    else:
        values["url_key"] = url_key(str(values.get("url", "")))
        values["site_code_key"] = site_code_key(str(values.get("site_code", "")))
    return values


def _event(
    id_column: str,
    record_id: int,
    kind: EventKind,
    on: object,
    summary: str,
    reason: str,
    user: str,
) -> dict[str, object]:
    return {
        id_column: record_id,
        "kind": kind,
        "event_date": on,
        "summary": summary,
        "reason": reason,
        "recorded_by": user,
    }


def write_change(
    s: Session, index: RegistryIndex, change: RowChange, source: str, user: str
) -> None:
    """Carry out one update inside the caller's transaction, with the history lines the
    registry services write (更名, 变更主办单位, 关停/恢复运行, 信息变更)."""
    today = date.today()
    values = dict(change.values)
    unit = _unit_for(s, index, change) if "unit" in values else None
    values.pop("unit", None)
    record = change.record
    assert record is not None, "new records are written by write_adds"
    before = change.before
    old_unit = record.unit.name
    if isinstance(record, Website):
        index.forget(record)
    if unit is not None:
        record.unit = unit
    _assign(record, values)
    s.flush()
    index.remember(record)
    if "name" in values:
        summary = f"{before['name']} → {record.name}"
        record_event(s, record, EventKind.RENAMED, today, summary, source, user)
    if unit is not None:
        summary = f"{old_unit} → {unit.name}"
        record_event(s, record, EventKind.OWNER_CHANGED, today, summary, source, user)
    was_closed = before.get("status", record.status) in CLOSED_STATES
    lifecycle = "status" in values and was_closed != (record.status in CLOSED_STATES)
    if lifecycle and not was_closed:
        kind = _closing_event(record)
        record_event(s, record, kind, record.closed_on or today, kind.label, source, user)
    elif lifecycle:
        record_event(s, record, EventKind.REOPENED, today, "恢复运行", source, user)
    skip = {"name", "unit"} | (LIFECYCLE if lifecycle else set())
    rest = [a for a in values if a not in skip]
    text = describe_changes(
        {a: before[a] for a in rest}, {a: values[a] for a in rest}, LABELS[change.kind]
    )
    if text:
        record_event(s, record, EventKind.CHANGED, today, text, source, user)


def _assign(record: Account | Website, values: dict[str, object]) -> None:
    """Set attributes, keeping the comparison keys (name_key, url_key …) in step."""
    for attr, value in values.items():
        setattr(record, attr, value)
        if attr == "name" and isinstance(record, Account):
            record.name_key = name_key(value)
        elif attr == "url":
            record.url_key = url_key(str(value))  # type: ignore[union-attr]
        elif attr == "site_code":
            record.site_code_key = site_code_key(str(value))  # type: ignore[union-attr]


def _closing_event(record: Account | Website) -> EventKind:
    return EventKind.MIGRATED if record.status is WebsiteStatus.MIGRATED else EventKind.CLOSED
