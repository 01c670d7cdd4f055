"""Registry (台账): units, their websites and new-media accounts, and lifecycle history."""

from __future__ import annotations

from datetime import date, datetime

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
from db.enums import (
    AccountStatus,
    EventKind,
    FilingStatus,
    Platform,
    UnitKind,
    WebsiteKind,
    WebsiteStatus,
)
from db.types import enum_column


class Unit(TimestampMixin, Base):
    """单位: a body that hosts websites or accounts (county government, township, department)."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind), default=UnitKind.DEPARTMENT)
    contact: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitAlias.alias"
    )
    websites: Mapped[list[Website]] = relationship(back_populates="unit")
    accounts: Mapped[list[Account]] = relationship(back_populates="unit")


class UnitAlias(Base):
    """Another spelling of a unit's name (e.g. 县市监局 for 县市场监管局)."""

    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    alias_key: Mapped[str] = mapped_column(String(200), unique=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class Website(TimestampMixin, Base):
    """政府网站."""

    __tablename__ = "website"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    site_code: Mapped[str] = mapped_column(String(20), default="")
    site_code_key: Mapped[str | None] = mapped_column(String(20), unique=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    url_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[WebsiteKind] = mapped_column(
        enum_column(WebsiteKind), default=WebsiteKind.DEPARTMENT
    )
    icp: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[WebsiteStatus] = mapped_column(
        enum_column(WebsiteStatus), default=WebsiteStatus.RUNNING
    )
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    unit: Mapped[Unit] = relationship(back_populates="websites")
    events: Mapped[list[RecordEvent]] = relationship(
        back_populates="website", cascade="all, delete-orphan", passive_deletes=True
    )


class Account(TimestampMixin, Base):
    """政务新媒体 account on one platform."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("platform", "name_key", name="uq_account_platform_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[Platform] = mapped_column(enum_column(Platform))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    filing_status: Mapped[FilingStatus] = mapped_column(
        enum_column(FilingStatus), default=FilingStatus.FILED
    )
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus), default=AccountStatus.RUNNING
    )
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    maintainer: Mapped[str] = mapped_column(String(100), default="")
    maintainer_phone: Mapped[str] = mapped_column(String(100), default="")
    is_zombie: Mapped[bool] = mapped_column(Boolean, default=False)
    is_empty_shell: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    unit: Mapped[Unit] = relationship(back_populates="accounts")
    events: Mapped[list[RecordEvent]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )


class RecordEvent(Base):
    """One line of a site's or account's history: opened, renamed, closed, reopened …"""

    __tablename__ = "record_event"
    __table_args__ = (
        CheckConstraint("(website_id IS NULL) <> (account_id IS NULL)", name="exactly_one_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    website_id: Mapped[int | None] = mapped_column(
        ForeignKey("website.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    event_date: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    website: Mapped[Website | None] = relationship(back_populates="events")
    account: Mapped[Account | None] = relationship(back_populates="events")
