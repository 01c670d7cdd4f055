"""政府网站 registry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.domain.registry_rules import (
    check_dates,
    check_site_code,
    check_url,
    require,
    site_code_key,
    url_key,
)
from app.domain.text import clean_text
from app.errors import DuplicateError, ValidationError
from app.services.dto import WebsiteInput, WebsiteRow
from app.services.history import describe_changes, record_event
from app.services.targets import TargetService
from app.services.units import resolve_unit
from db.enums import EventKind, WebsiteKind
from db.models import Website

CHANGE_LABELS = {
    "url": "网址",
    "site_code": "网站标识码",
    "kind": "网站类型",
    "icp": "ICP备案号",
    "opened_on": "开设日期",
}


class WebsiteService(TargetService[Website]):
    model = Website
    noun = "网站"

    def list(self) -> list[WebsiteRow]:
        with self._sf() as s:
            sites = s.scalars(
                select(Website).options(joinedload(Website.unit)).order_by(Website.id)
            )
            return [_to_row(w) for w in sites]

    def get(self, website_id: int) -> WebsiteRow:
        with self._sf() as s:
            return _to_row(self._load(s, website_id))

    def create(self, data: WebsiteInput, *, create_unit: bool = False) -> int:
        """Register a site; raises UnitNotFoundError for an unknown unit unless ``create_unit``."""
        with self._sf.begin() as s:
            site = Website()
            self._apply(s, site, data, create_unit)
            s.add(site)
            s.flush()
            record_event(
                s,
                site,
                EventKind.first(data.opened_on),
                data.opened_on or date.today(),
                "登记入台账",
                "",
                self._user,
            )
            return site.id

    def update(self, website_id: int, data: WebsiteInput, *, create_unit: bool = False) -> None:
        with self._sf.begin() as s:
            site = self._load(s, website_id)
            before = {f: getattr(site, f) for f in CHANGE_LABELS}
            old_name, old_unit = site.name, site.unit
            self._apply(s, site, data, create_unit)
            today = date.today()
            if site.name != old_name:
                record_event(
                    s, site, EventKind.RENAMED, today, f"{old_name} → {site.name}", "", self._user
                )
            if site.unit is not old_unit:
                summary = f"{old_unit.name} → {site.unit.name}"
                record_event(s, site, EventKind.OWNER_CHANGED, today, summary, "", self._user)
            changes = describe_changes(
                before, {f: getattr(site, f) for f in CHANGE_LABELS}, CHANGE_LABELS
            )
            if changes:
                record_event(s, site, EventKind.CHANGED, today, changes, "", self._user)

    def _apply(self, s: Session, site: Website, data: WebsiteInput, create_unit: bool) -> None:
        name = require(clean_text(data.name), "name", "网站名称")
        url = check_url(data.url)
        code = check_site_code(data.site_code)
        if not url and not code:
            raise ValidationError("请至少填写「网址」或「网站标识码」之一。", "url")
        check_dates(data.opened_on, site.closed_on, date.today())
        ukey, ckey = url_key(url), site_code_key(code)
        if ukey:
            clash = s.scalar(select(Website).where(Website.url_key == ukey, Website.id != site.id))
            if clash is not None:
                raise DuplicateError(f"网址 {url} 已登记为「{clash.name}」，不能重复登记。", "url")
        if ckey:
            clash = s.scalar(
                select(Website).where(Website.site_code_key == ckey, Website.id != site.id)
            )
            if clash is not None:
                raise DuplicateError(
                    f"网站标识码 {code} 已登记为「{clash.name}」，不能重复登记。", "site_code"
                )
        site.unit = resolve_unit(s, data.unit_name, create=create_unit)
        site.name = name
        site.url, site.url_key = url, ukey
        site.site_code, site.site_code_key = code, ckey
        site.kind = WebsiteKind(data.kind)
        site.icp = clean_text(data.icp)
        site.opened_on = data.opened_on
        site.note = data.note.strip()


def _to_row(w: Website) -> WebsiteRow:
    return WebsiteRow(
        id=w.id,
        name=w.name,
        site_code=w.site_code,
        url=w.url,
        unit_id=w.unit_id,
        unit_name=w.unit.name,
        region=w.unit.region,
        kind=w.kind,
        icp=w.icp,
        status=w.status,
        opened_on=w.opened_on,
        closed_on=w.closed_on,
        note=w.note,
        is_demo=w.is_demo,
    )
