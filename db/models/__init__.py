"""ORM models. Import from here: ``from db.models import Unit, Website, Account``."""

from db.models.registry import Account, RecordEvent, Unit, UnitAlias, Website

__all__ = ["Account", "RecordEvent", "Unit", "UnitAlias", "Website"]
