"""History (变更记录) of websites and accounts: recording and describing changes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from app.domain.dates import local_time
from app.services.dto import EventRow
from db.enums import EventKind
from db.models import Account, RecordEvent, Website


def record_event(
    session: Session,
    target: Website | Account,
    kind: EventKind,
    on: date,
    summary: str,
    reason: str,
    user: str,
) -> None:
    """Append one history line to ``target`` inside the caller's transaction.

    No flush here: the line is inserted with the rest of the unit of work, so an import of
    thousands of rows is written in a few batched statements instead of one per line.
    """
    event = RecordEvent(
        kind=kind, event_date=on, summary=summary, reason=reason.strip(), recorded_by=user
    )
    target.events.append(event)


def describe_changes(
    before: Mapping[str, object], after: Mapping[str, object], labels: Mapping[str, str]
) -> str:
    """'网址：a → b；ICP备案号：（空） → c' for every labelled field that changed."""
    parts = []
    for field, label in labels.items():
        old, new = before.get(field), after.get(field)
        if old != new:
            parts.append(f"{label}：{_show(old)} → {_show(new)}")
    return "；".join(parts)


def _show(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_event_rows(events: list[RecordEvent]) -> list[EventRow]:
    """History lines oldest first (by event date, then by entry order)."""
    ordered = sorted(events, key=lambda e: (e.event_date, e.id))
    return [
        EventRow(
            id=e.id,
            kind=e.kind,
            event_date=e.event_date,
            summary=e.summary,
            reason=e.reason,
            recorded_by=e.recorded_by,
            recorded_at=local_time(e.recorded_at),
        )
        for e in ordered
    ]
