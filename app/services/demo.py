"""Demo dataset (演示数据) built from published notices, offered on an empty database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.registry_rules import site_code_key, url_key
from app.domain.text import name_key
from app.paths import resource_path
from app.services.history import record_event
from db.enums import (
    AccountStatus,
    EventKind,
    FilingStatus,
    Platform,
    UnitKind,
    WebsiteKind,
    WebsiteStatus,
)
from db.models import Account, Unit, UnitAlias, Website

DEMO_FILE = resource_path("demo", "demo_registry.json")
DEMO_USER = "演示数据"
REGISTERED_ON = date(2021, 1, 4)  # demo records entered at the start of 2021 …
CLOSED_ON = date(2021, 6, 8)  # … and the 通城 accounts closed after the notice of 2021-06-04


class DemoService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sf = session_factory

    def registry_is_empty(self) -> bool:
        with self._sf() as s:
            return not any(
                s.scalar(select(func.count()).select_from(model))
                for model in (Unit, Website, Account)
            )

    def has_demo_data(self) -> bool:
        with self._sf() as s:
            return any(
                s.scalar(select(func.count()).select_from(model).where(model.is_demo))
                for model in (Unit, Website, Account)
            )

    def description(self, path: Path = DEMO_FILE) -> str:
        return json.loads(path.read_text(encoding="utf-8"))["description"]

    def load(self, path: Path = DEMO_FILE) -> tuple[int, int, int]:
        """Insert the demo units, websites and accounts in one transaction; returns their counts."""
        data = json.loads(path.read_text(encoding="utf-8"))
        with self._sf.begin() as s:
            units: dict[str, Unit] = {}
            for u in data["units"]:
                unit = Unit(
                    name=u["name"],
                    name_key=name_key(u["name"]),
                    region=u.get("region") or "",
                    kind=UnitKind(u["kind"]),
                    contact=u.get("contact") or "",
                    phone=u.get("phone") or "",
                    email=u.get("email") or "",
                    is_demo=True,
                    aliases=[
                        UnitAlias(alias=a, alias_key=name_key(a)) for a in u.get("aliases", [])
                    ],
                )
                s.add(unit)
                units[u["name"]] = unit
            for w in data["websites"]:
                site = Website(
                    name=w["name"],
                    unit=units[w["unit"]],
                    kind=WebsiteKind(w["kind"]),
                    site_code=w.get("site_code") or "",
                    site_code_key=site_code_key(w.get("site_code") or ""),
                    url=w.get("url") or "",
                    url_key=url_key(w.get("url") or ""),
                    icp=w.get("icp") or "",
                    status=WebsiteStatus(w["status"]),
                    opened_on=_date(w.get("opened_on")),
                    is_demo=True,
                )
                s.add(site)
                first = EventKind.first(site.opened_on)
                record_event(
                    s, site, first, site.opened_on or REGISTERED_ON, "演示数据", "", DEMO_USER
                )
            for a in data["accounts"]:
                status = AccountStatus(a["status"])
                account = Account(
                    platform=Platform(a["platform"]),
                    name=a["name"],
                    name_key=name_key(a["name"]),
                    account_id=a.get("account_id") or "",
                    unit=units[a["unit"]],
                    region=a.get("region") or units[a["unit"]].region,
                    filing_status=FilingStatus(a["filing_status"]),
                    status=status,
                    maintainer=a.get("maintainer") or "",
                    maintainer_phone=a.get("maintainer_phone") or "",
                    is_zombie=bool(a.get("is_zombie")),
                    is_empty_shell=bool(a.get("is_empty_shell")),
                    closed_on=CLOSED_ON if status is AccountStatus.CLOSED else None,
                    is_demo=True,
                )
                s.add(account)
                record_event(
                    s, account, EventKind.REGISTERED, REGISTERED_ON, "演示数据", "", DEMO_USER
                )
                if status is AccountStatus.CLOSED:
                    record_event(
                        s,
                        account,
                        EventKind.CLOSED,
                        CLOSED_ON,
                        "关停",
                        "通报责令关停（演示数据）",
                        DEMO_USER,
                    )
            return len(units), len(data["websites"]), len(data["accounts"])

    def clear(self) -> None:
        """Remove every demo record (and units left empty by that) in one transaction.

        Through the session, not bulk statements, so each removal is in the audit trail.
        """
        with self._sf.begin() as s:
            for model in (Website, Account):
                for record in s.scalars(select(model).where(model.is_demo)).all():
                    s.delete(record)
            s.flush()
            used = set(s.scalars(select(Website.unit_id).union(select(Account.unit_id))))
            for unit in s.scalars(select(Unit).where(Unit.is_demo)).all():
                if unit.id in used:
                    unit.is_demo = False  # kept: the clerk's own records use it
                else:
                    s.delete(unit)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
