"""Plain records handed between services and the UI (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.enums import (
    AccountStatus,
    EventKind,
    FilingStatus,
    Platform,
    UnitKind,
    WebsiteKind,
    WebsiteStatus,
)


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    aliases: tuple[str, ...]
    region: str
    kind: UnitKind
    contact: str
    phone: str
    email: str
    note: str
    website_count: int
    account_count: int
    is_demo: bool


@dataclass
class UnitInput:
    """What the unit dialog edits."""

    name: str
    region: str = ""
    kind: UnitKind = UnitKind.DEPARTMENT
    aliases: list[str] = field(default_factory=list)
    contact: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""


@dataclass(frozen=True)
class WebsiteRow:
    id: int
    name: str
    site_code: str
    url: str
    unit_id: int
    unit_name: str
    region: str
    kind: WebsiteKind
    icp: str
    status: WebsiteStatus
    opened_on: date | None
    closed_on: date | None
    note: str
    is_demo: bool

    @property
    def is_running(self) -> bool:
        return self.status is WebsiteStatus.RUNNING


@dataclass
class WebsiteInput:
    """What the website dialog edits; the status changes only through close/reopen."""

    name: str
    unit_name: str
    url: str = ""
    site_code: str = ""
    kind: WebsiteKind = WebsiteKind.DEPARTMENT
    icp: str = ""
    opened_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class AccountRow:
    id: int
    platform: Platform
    name: str
    account_id: str
    unit_id: int
    unit_name: str
    region: str
    filing_status: FilingStatus
    status: AccountStatus
    opened_on: date | None
    closed_on: date | None
    maintainer: str
    maintainer_phone: str
    is_zombie: bool
    is_empty_shell: bool
    note: str
    is_demo: bool

    @property
    def is_running(self) -> bool:
        return self.status is not AccountStatus.CLOSED

    @property
    def flags_text(self) -> str:
        return "、".join(
            label for on, label in ((self.is_zombie, "僵尸"), (self.is_empty_shell, "空壳")) if on
        )


@dataclass
class AccountInput:
    """What the account dialog edits; 关停 happens only through close/reopen."""

    platform: Platform
    name: str
    unit_name: str
    account_id: str = ""
    region: str = ""
    filing_status: FilingStatus = FilingStatus.FILED
    changing: bool = False
    opened_on: date | None = None
    maintainer: str = ""
    maintainer_phone: str = ""
    is_zombie: bool = False
    is_empty_shell: bool = False
    note: str = ""


@dataclass(frozen=True)
class EventRow:
    """One line of a record's history (变更记录)."""

    id: int
    kind: EventKind
    event_date: date
    summary: str
    reason: str
    recorded_by: str
    recorded_at: datetime | None
