"""What websites and accounts share: closing, reopening, history and deletion.

A 关停 keeps the record (with its history); only a record never inspected may be deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.dto import EventRow
from app.services.history import record_event, to_event_rows
from db.enums import AccountStatus, EventKind, WebsiteStatus
from db.models import Account, RoundTarget, Website

T = TypeVar("T", Website, Account)


class TargetService(Generic[T]):
    """Lifecycle operations common to :class:`Website` and :class:`Account`."""

    model: type[T]
    noun: str  # 网站 / 账号, used in messages

    def __init__(self, session_factory: sessionmaker[Session], user: str) -> None:
        self._sf = session_factory
        self._user = user

    def _load(self, s: Session, record_id: int) -> T:
        record = s.get(self.model, record_id)
        if record is None:
            raise NotFoundError(f"该{self.noun}已不存在（可能已被删除），请刷新列表。")
        return record

    def close(self, record_id: int, on: date, reason: str, *, migrated: bool = False) -> None:
        """关停 (or 整合迁移 for a website) on ``on``; the record and its history stay."""
        if on > date.today():
            raise ValidationError("「关停日期」不能晚于今天。", "closed_on")
        with self._sf.begin() as s:
            record = self._load(s, record_id)
            if record.status in (
                WebsiteStatus.CLOSED,
                WebsiteStatus.MIGRATED,
                AccountStatus.CLOSED,
            ):
                raise ConflictError(f"「{record.name}」已是关停状态。")
            if record.opened_on and on < record.opened_on:
                raise ValidationError(
                    f"「关停日期」{on.isoformat()} 早于开设日期 {record.opened_on.isoformat()}。",
                    "closed_on",
                )
            if isinstance(record, Website):
                record.status = WebsiteStatus.MIGRATED if migrated else WebsiteStatus.CLOSED
                kind = EventKind.MIGRATED if migrated else EventKind.CLOSED
            else:
                record.status = AccountStatus.CLOSED
                kind = EventKind.CLOSED
            record.closed_on = on
            record_event(s, record, kind, on, kind.label, reason, self._user)

    def reopen(self, record_id: int, on: date, reason: str) -> None:
        """Bring a closed record back to 运行; the closing stays in its history."""
        if on > date.today():
            raise ValidationError("「恢复日期」不能晚于今天。", "event_date")
        with self._sf.begin() as s:
            record = self._load(s, record_id)
            if record.status in (
                WebsiteStatus.RUNNING,
                AccountStatus.RUNNING,
                AccountStatus.CHANGED,
            ):
                raise ConflictError(f"「{record.name}」正在运行，无需恢复。")
            if record.closed_on and on < record.closed_on:
                raise ValidationError(
                    f"「恢复日期」{on.isoformat()} 早于关停日期 {record.closed_on.isoformat()}。",
                    "event_date",
                )
            record.status = (
                WebsiteStatus.RUNNING if isinstance(record, Website) else AccountStatus.RUNNING
            )
            record.closed_on = None
            record_event(s, record, EventKind.REOPENED, on, "恢复运行", reason, self._user)

    def history(self, record_id: int) -> list[EventRow]:
        with self._sf() as s:
            return to_event_rows(list(self._load(s, record_id).events))

    def delete(self, record_id: int) -> None:
        """Remove a record entered by mistake, with its history; never one already inspected."""
        with self._sf.begin() as s:
            record = s.get(self.model, record_id)
            if record is None:
                return
            column = (
                RoundTarget.website_id if isinstance(record, Website) else RoundTarget.account_id
            )
            rounds = s.scalar(
                select(func.count()).select_from(RoundTarget).where(column == record_id)
            )
            if rounds:
                raise ConflictError(
                    f"「{record.name}」已在 {rounds} 个检查轮次中被检查，不能删除（检查记录需要保留）。"
                    "已停止运行的请使用“关停”。"
                )
            s.delete(record)
