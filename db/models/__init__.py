"""ORM models. Import from here: ``from db.models import Unit, Website, Account``."""

from db.models.audit import AuditEntry
from db.models.inspection import Evidence, Finding, IndicatorSet, Round, RoundTarget
from db.models.notice import AppSetting, IssuedNotice, RoundEvent
from db.models.rectification import RectificationEvent, RectificationItem, RectificationUnit
from db.models.registry import Account, RecordEvent, Unit, UnitAlias, Website

__all__ = [
    "Account",
    "AppSetting",
    "AuditEntry",
    "IssuedNotice",
    "RectificationEvent",
    "RectificationItem",
    "RectificationUnit",
    "RoundEvent",
    "Evidence",
    "Finding",
    "IndicatorSet",
    "RecordEvent",
    "Round",
    "RoundTarget",
    "Unit",
    "UnitAlias",
    "Website",
]
