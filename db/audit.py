"""Audit trail (修改记录) written in the same transaction as the change it records.

:func:`install_audit` hooks ``after_flush`` on a session factory: for every flushed insert,
update or delete of an audited record it adds :class:`AuditEntry` rows on the session's own
connection, so a rolled-back transaction leaves no entry and no change goes unrecorded.
Who: ``session.info["user"]`` (the Registry sets the OS user name on the factory).

Statements that bypass the unit of work (bulk ``insert(Model)`` of the registry import)
record themselves with :func:`record_inserts`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import InstanceState, Session, UOWTransaction, sessionmaker

from db.models import (
    Account,
    AuditEntry,
    Finding,
    RectificationItem,
    RectificationUnit,
    Round,
    RoundTarget,
    Unit,
    UnitAlias,
    Website,
)

DEFAULT_USER = "未知用户"

# Bookkeeping and derived columns: their changes are never interesting on their own.
SKIPPED = frozenset(
    {
        "created_at",
        "updated_at",
        "name_key",
        "alias_key",
        "url_key",
        "site_code_key",
        "checked_at",  # the entry's own time and user say when and who
        "checked_by",
        "report_stored_name",  # derived from the report file's SHA-256
    }
)


@dataclass(frozen=True)
class Audited:
    """How entries of one model are filed: the row's id column and, for a part of another
    record, that record's table and the column holding its id."""

    row_key: str = "id"
    owner_table: str | None = None
    owner_key: str | None = None


AUDITED: dict[type, Audited] = {
    Unit: Audited(),
    UnitAlias: Audited(owner_table="unit", owner_key="unit_id"),
    Website: Audited(),
    Account: Audited(),
    Round: Audited(),
    RoundTarget: Audited(),
    Finding: Audited(owner_table="round_target", owner_key="target_id"),
    RectificationItem: Audited(),
    RectificationUnit: Audited(
        row_key="unit_id", owner_table="rectification_item", owner_key="item_id"
    ),
}


def as_text(value: object) -> str:
    """A stored value as the clerk reads it: enum labels, ISO dates, exact decimals, 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return label if isinstance(label, str) else str(value.value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def snapshot(values: Mapping[str, Any]) -> str:
    """A whole record's audited values as a JSON object (for insert/delete), leaving out
    the empty ones and unset flags (``False``), which every new record has."""
    shown = {
        k: v if type(v) is str else as_text(v)  # most values are text already: fast path
        for k, v in values.items()
        if v is not None and v is not False and v != "" and k not in SKIPPED and k != "id"
    }
    return json.dumps(shown, ensure_ascii=False)


def install_audit(factory: sessionmaker[Session]) -> None:
    """Record the audited changes of every session ``factory`` makes."""
    event.listen(factory, "after_flush", _after_flush)


def record_inserts(
    session: Session, model: type, rows: Iterable[tuple[int, Mapping[str, Any]]]
) -> None:
    """One 'insert' entry per ``(id, values)`` written by a bulk statement outside the flush."""
    table = model.__tablename__
    batch = _Batch(session)
    for row_id, values in rows:
        batch.add(table, row_id, table, row_id, "insert", new=snapshot(values))
    batch.write()


_COLUMNS = (
    "at, user, table_name, row_id, owner_table, owner_id, action, field, old_value, new_value"
)
# Plain DB-API executemany: an import of 10 000 records adds its entries in a few
# hundredths of a second (a Core insert spends several times that on per-row processing).
_INSERT = f"INSERT INTO {AuditEntry.__tablename__} ({_COLUMNS}) VALUES ({', '.join('?' * 10)})"


class _Batch:
    """The entries of one flush or bulk statement: one time, one user."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # the text SQLAlchemy's SQLite DateTime stores, so the model reads it back
        self.at = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.user = session.info.get("user") or DEFAULT_USER
        self.rows: list[tuple[object, ...]] = []

    def add(
        self,
        table: str,
        row_id: int,
        owner_table: str,
        owner_id: int,
        action: str,
        field: str = "",
        old: str = "",
        new: str = "",
    ) -> None:
        self.rows.append(
            (self.at, self.user, table, row_id, owner_table, owner_id, action, field, old, new)
        )

    def write(self) -> None:
        """Insert the entries, a record's own before its parts': a new record's 'insert' then
        precedes its parts' entries, and its history can start there (see AuditService)."""
        if self.rows:
            self.rows.sort(key=lambda row: row[2] != row[4])  # table_name != owner_table
            self.session.connection().exec_driver_sql(_INSERT, self.rows)


def _after_flush(session: Session, context: UOWTransaction) -> None:
    # The flush's own list of states, not session.deleted: that one misses the orphans a
    # collection removal deletes (a finding taken out of a checklist).
    batch = _Batch(session)
    pending = session.new  # still the objects before this flush
    for state, (is_delete, list_only) in context.states.items():
        obj = state.obj()
        spec = AUDITED.get(type(obj))
        if spec is None or list_only:
            continue
        action = "delete" if is_delete else "insert" if obj in pending else "update"
        _add_entries(batch, state, spec, action)
    batch.write()


def _add_entries(batch: _Batch, state: InstanceState, spec: Audited, action: str) -> None:
    mapper = state.mapper
    values = state.dict  # never loads anything: the flush is under way
    table = mapper.local_table.name
    row_id = values.get(spec.row_key)
    owner_id = values.get(spec.owner_key) if spec.owner_key else row_id
    if row_id is None or owner_id is None:
        return
    where = (table, row_id, spec.owner_table or table, owner_id, action)
    keys = [a.key for a in mapper.column_attrs if a.key not in SKIPPED]
    if action == "insert":
        batch.add(*where, new=snapshot({k: values.get(k) for k in keys}))
    elif action == "delete":
        batch.add(*where, old=snapshot({k: values.get(k) for k in keys}))
    else:
        for key in keys:
            history = state.attrs[key].history
            if not history.added and not history.deleted:
                continue
            old = as_text(history.deleted[0] if history.deleted else None)
            new = as_text(history.added[0] if history.added else None)
            if old != new:
                batch.add(*where, field=key, old=old, new=new)
