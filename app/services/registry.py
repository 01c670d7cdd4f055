"""One object that gives the UI and the CLI every registry service over one database."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from app.database import Database
from app.services.accounts import AccountService
from app.services.audit import AuditService
from app.services.demo import DemoService
from app.services.indicators import IndicatorService
from app.services.inspection import InspectionService
from app.services.notice import NoticeService
from app.services.overview import OverviewService
from app.services.rectification import RectificationService
from app.services.rounds import RoundService
from app.services.stats import StatsService
from app.services.units import UnitService
from app.services.websites import WebsiteService


def current_user() -> str:
    """The operating-system user name recorded as 'who' in histories."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "未知用户"


@dataclass
class Registry:
    db: Database
    user: str = field(default_factory=current_user)

    def __post_init__(self) -> None:
        sf = self.db.session_factory
        sf.configure(info={"user": self.user})  # who, in the audit trail (db/audit.py)
        self.units = UnitService(sf, self.user)
        self.websites = WebsiteService(sf, self.user)
        self.accounts = AccountService(sf, self.user)
        self.demo = DemoService(sf)
        self.indicators = IndicatorService(sf, self.user)
        self.indicators.ensure_builtin()
        self.rounds = RoundService(sf, self.user)
        evidence_dir = self.db.path.parent / "evidence"
        self.inspection = InspectionService(sf, self.user, self.indicators, evidence_dir)
        self.stats = StatsService(sf)
        self.rectification = RectificationService(
            sf, self.user, self.db.path.parent / "rectification"
        )
        self.audit = AuditService(sf, self.indicators)
        self.overview = OverviewService(sf, self.rectification, self.indicators)
        self.notices = NoticeService(
            sf, self.user, self.indicators, self.rectification, self.db.path.parent / "notices"
        )
