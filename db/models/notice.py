"""Issued notices (通报, 整改通知书), a round's status changes, and saved settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.enums import NoticeKind, RoundAction
from db.models.inspection import Round
from db.models.registry import Unit
from db.types import enum_column


class IssuedNotice(Base):
    """A notice file as issued: kept in the data folder, identified by its SHA-256."""

    __tablename__ = "issued_notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind), default=NoticeKind.ROUND)
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_round.id", ondelete="SET NULL"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    stored_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(100), default="")
    issued_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    round: Mapped[Round | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class RoundEvent(Base):
    """定稿 / 重新打开 of a round, with who, when and why."""

    __tablename__ = "round_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_round.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[RoundAction] = mapped_column(enum_column(RoundAction))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class AppSetting(Base):
    """A saved setting as JSON text (office profile, notice templates, last used values)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )
