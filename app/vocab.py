"""The registry's closed vocabularies, as the UI may use them (the UI never imports ``db``)."""

from db.enums import (
    AccountStatus,
    EventKind,
    FilingStatus,
    LabeledEnum,
    Platform,
    RectificationSource,
    RectificationStatus,
    RoundKind,
    RoundStatus,
    TargetState,
    TargetType,
    UnitKind,
    WebsiteKind,
    WebsiteStatus,
)

__all__ = [
    "AccountStatus",
    "EventKind",
    "FilingStatus",
    "LabeledEnum",
    "Platform",
    "RectificationSource",
    "RectificationStatus",
    "RoundKind",
    "RoundStatus",
    "TargetState",
    "TargetType",
    "UnitKind",
    "WebsiteKind",
    "WebsiteStatus",
]
