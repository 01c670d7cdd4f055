"""Inspection (读网检查): indicator sets, rounds, the sites/accounts in them, findings, evidence."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
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
from db.enums import RoundKind, RoundStatus, TargetState, TargetType
from db.models.registry import Account, Website
from db.types import DecimalText, enum_column


class IndicatorSet(Base):
    """One version of an indicator set (指标体系); rules as JSON. Never edited in place."""

    __tablename__ = "indicator_set"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_indicator_set_code_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    target_type: Mapped[TargetType] = mapped_column(enum_column(TargetType))
    source: Mapped[str] = mapped_column(Text, default="")
    rules_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Round(TimestampMixin, Base):
    """检查轮次, e.g. 2023年第一季度; pins the indicator-set versions it is scored with."""

    __tablename__ = "inspection_round"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[RoundKind] = mapped_column(enum_column(RoundKind), default=RoundKind.QUARTERLY)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    inspection_date: Mapped[date | None] = mapped_column(Date)
    report_deadline: Mapped[date | None] = mapped_column(Date)
    website_set_id: Mapped[int] = mapped_column(ForeignKey("indicator_set.id", ondelete="RESTRICT"))
    account_set_id: Mapped[int] = mapped_column(ForeignKey("indicator_set.id", ondelete="RESTRICT"))
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus), default=RoundStatus.OPEN)
    note: Mapped[str] = mapped_column(Text, default="")

    website_set: Mapped[IndicatorSet] = relationship(foreign_keys=[website_set_id])
    account_set: Mapped[IndicatorSet] = relationship(foreign_keys=[account_set_id])
    targets: Mapped[list[RoundTarget]] = relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True
    )


class RoundTarget(Base):
    """One website or account inspected in a round, with its verdict."""

    __tablename__ = "round_target"
    __table_args__ = (
        CheckConstraint("(website_id IS NULL) <> (account_id IS NULL)", name="exactly_one_target"),
        UniqueConstraint("round_id", "website_id", name="uq_round_target_website"),
        UniqueConstraint("round_id", "account_id", name="uq_round_target_account"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_round.id", ondelete="CASCADE"), index=True
    )
    website_id: Mapped[int | None] = mapped_column(
        ForeignKey("website.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[TargetState] = mapped_column(
        enum_column(TargetState), default=TargetState.PENDING
    )
    score: Mapped[Decimal | None] = mapped_column(DecimalText)
    problem_text: Mapped[str] = mapped_column(Text, default="")
    problem_text_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    no_services: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    checked_by: Mapped[str] = mapped_column(String(100), default="")

    round: Mapped[Round] = relationship(back_populates="targets")
    website: Mapped[Website | None] = relationship()
    account: Mapped[Account | None] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="target", cascade="all, delete-orphan", passive_deletes=True
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="target", cascade="all, delete-orphan", passive_deletes=True
    )


class Finding(Base):
    """A veto or deduction found on one target (one row per indicator)."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("target_id", "indicator_code", name="uq_finding_indicator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("round_target.id", ondelete="CASCADE"), index=True
    )
    indicator_code: Mapped[str] = mapped_column(String(50))
    count: Mapped[int] = mapped_column(Integer, default=1)
    points: Mapped[Decimal | None] = mapped_column(DecimalText)
    note: Mapped[str] = mapped_column(Text, default="")

    target: Mapped[RoundTarget] = relationship(back_populates="findings")


class Evidence(Base):
    """A screenshot or file attached to a target's finding, copied into the data folder."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("round_target.id", ondelete="CASCADE"), index=True
    )
    indicator_code: Mapped[str] = mapped_column(String(50), default="")
    file_name: Mapped[str] = mapped_column(String(300))
    stored_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    added_by: Mapped[str] = mapped_column(String(100), default="")

    target: Mapped[RoundTarget] = relationship(back_populates="evidence")
