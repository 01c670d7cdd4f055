"""整改: one problem followed from finding to re-check, with its status history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, TimestampMixin
from db.enums import RectificationSource, RectificationStatus
from db.models.inspection import Round, RoundTarget
from db.models.registry import Account, Unit, Website
from db.types import enum_column


class RectificationItem(TimestampMixin, Base):
    """整改事项. Items made from a round's findings link to their target and indicator;
    items entered by hand (上级抽查 …) may name only responsible units."""

    __tablename__ = "rectification_item"
    __table_args__ = (
        UniqueConstraint("round_target_id", "indicator_code", name="uq_rectification_finding"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[RectificationSource] = mapped_column(
        enum_column(RectificationSource), default=RectificationSource.SELF
    )
    source_note: Mapped[str] = mapped_column(Text, default="")
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_round.id", ondelete="SET NULL"), index=True
    )
    round_target_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_target.id", ondelete="SET NULL"), index=True
    )
    website_id: Mapped[int | None] = mapped_column(
        ForeignKey("website.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT"), index=True
    )
    indicator_code: Mapped[str | None] = mapped_column(String(50))
    indicator_name: Mapped[str] = mapped_column(String(200), default="")
    problem_text: Mapped[str] = mapped_column(Text)
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    found_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    deadline_days: Mapped[int | None] = mapped_column(Integer)
    deadline_working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    notified_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[RectificationStatus] = mapped_column(
        enum_column(RectificationStatus), default=RectificationStatus.OPEN
    )
    report_received_on: Mapped[date | None] = mapped_column(Date)
    report_note: Mapped[str] = mapped_column(Text, default="")
    report_file_name: Mapped[str] = mapped_column(String(300), default="")
    report_stored_name: Mapped[str] = mapped_column(String(300), default="")
    report_sha256: Mapped[str] = mapped_column(String(64), default="")
    recheck_on: Mapped[date | None] = mapped_column(Date)
    recheck_note: Mapped[str] = mapped_column(Text, default="")
    recheck_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_round.id", ondelete="SET NULL"), index=True
    )
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round | None] = relationship(foreign_keys=[round_id])
    recheck_round: Mapped[Round | None] = relationship(foreign_keys=[recheck_round_id])
    round_target: Mapped[RoundTarget | None] = relationship()
    website: Mapped[Website | None] = relationship()
    account: Mapped[Account | None] = relationship()
    unit_links: Mapped[list[RectificationUnit]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RectificationUnit.position",
    )
    events: Mapped[list[RectificationEvent]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RectificationEvent.id",
    )


class RectificationUnit(Base):
    """A responsible unit (责任单位) of an item; the first is the lead unit."""

    __tablename__ = "rectification_unit"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_item.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[RectificationItem] = relationship(back_populates="unit_links")
    unit: Mapped[Unit] = relationship()


class RectificationEvent(Base):
    """One status change or recorded step of an item; never edited or deleted."""

    __tablename__ = "rectification_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_item.id", ondelete="CASCADE"), index=True
    )
    event_date: Mapped[date] = mapped_column(Date)
    from_status: Mapped[RectificationStatus | None] = mapped_column(
        enum_column(RectificationStatus)
    )
    to_status: Mapped[RectificationStatus | None] = mapped_column(enum_column(RectificationStatus))
    summary: Mapped[str] = mapped_column(Text, default="")
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_round.id", ondelete="SET NULL")
    )
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    item: Mapped[RectificationItem] = relationship(back_populates="events")
