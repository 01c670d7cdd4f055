"""单位 registry: create, edit, alias and merge units."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.domain.registry_rules import check_email, check_phone, require
from app.domain.text import clean_text, name_key
from app.domain.unit_names import guess_unit_kind
from app.errors import ConflictError, DuplicateError, NotFoundError, UnitNotFoundError
from app.services.dto import UnitInput, UnitRow
from app.services.history import record_event
from db.enums import EventKind, UnitKind
from db.models import Account, Unit, UnitAlias, Website


def find_unit(session: Session, name: str) -> Unit | None:
    """The unit called ``name`` or having it as an alias (spelling-insensitive)."""
    key = name_key(name)
    if not key:
        return None
    unit = session.scalar(select(Unit).where(Unit.name_key == key))
    if unit is None:
        unit = session.scalar(select(Unit).join(UnitAlias).where(UnitAlias.alias_key == key))
    return unit


def resolve_unit(
    session: Session, name: str, *, create: bool, region: str = "", is_demo: bool = False
) -> Unit:
    """Find the unit for a site/account; create it when allowed, else raise UnitNotFoundError."""
    name = clean_text(name)
    require(name, "unit_name", "主办单位")
    unit = find_unit(session, name)
    if unit is not None:
        return unit
    if not create:
        raise UnitNotFoundError(name)
    return new_unit(session, name, region, is_demo=is_demo)


def new_unit(session: Session, name: str, region: str = "", *, is_demo: bool = False) -> Unit:
    """Add a unit the caller has checked does not exist yet (no lookup, no flush)."""
    name = clean_text(name)
    unit = Unit(
        name=name,
        name_key=name_key(name),
        region=clean_text(region),
        kind=UnitKind(guess_unit_kind(name)),
        is_demo=is_demo,
        aliases=[],
    )
    session.add(unit)
    return unit


class UnitService:
    def __init__(self, session_factory: sessionmaker[Session], user: str) -> None:
        self._sf = session_factory
        self._user = user

    # -- queries ---------------------------------------------------------------------------
    def list(self) -> list[UnitRow]:
        with self._sf() as s:
            site_counts = dict(
                s.execute(select(Website.unit_id, func.count()).group_by(Website.unit_id)).all()
            )
            account_counts = dict(
                s.execute(select(Account.unit_id, func.count()).group_by(Account.unit_id)).all()
            )
            units = s.scalars(select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.id))
            return [
                _to_row(u, site_counts.get(u.id, 0), account_counts.get(u.id, 0)) for u in units
            ]

    def get(self, unit_id: int) -> UnitRow:
        with self._sf() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                raise NotFoundError("该单位已不存在（可能已被合并或删除）。")
            return _to_row(unit, len(unit.websites), len(unit.accounts))

    def names(self) -> list[str]:
        """Unit names and aliases, for completers."""
        with self._sf() as s:
            names = list(s.scalars(select(Unit.name).order_by(Unit.name)))
            names += list(s.scalars(select(UnitAlias.alias).order_by(UnitAlias.alias)))
            return names

    def regions(self) -> list[str]:
        """Every region used by a unit or an account, sorted, without blanks."""
        with self._sf() as s:
            found = set(s.scalars(select(Unit.region).distinct()))
            found |= set(s.scalars(select(Account.region).distinct()))
        return sorted(r for r in found if r)

    def find_id(self, name: str) -> int | None:
        with self._sf() as s:
            unit = find_unit(s, name)
            return unit.id if unit else None

    # -- commands --------------------------------------------------------------------------
    def create(self, data: UnitInput) -> int:
        with self._sf.begin() as s:
            unit = Unit()
            self._apply(s, unit, data)
            s.add(unit)
            s.flush()
            return unit.id

    def update(self, unit_id: int, data: UnitInput) -> None:
        with self._sf.begin() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                raise NotFoundError("该单位已不存在（可能已被合并或删除）。")
            self._apply(s, unit, data)

    def merge(self, keep_id: int, absorb_id: int) -> None:
        """Fold unit ``absorb_id`` into ``keep_id``: its sites, accounts and names move over.

        The absorbed name becomes an alias, so later imports that spell it that way still
        land on the kept unit. Each moved site/account records an owner change.
        """
        if keep_id == absorb_id:
            raise ConflictError("请选择两个不同的单位进行合并。")
        with self._sf.begin() as s:
            keep, absorb = s.get(Unit, keep_id), s.get(Unit, absorb_id)
            if keep is None or absorb is None:
                raise NotFoundError("要合并的单位已不存在，请刷新后重试。")
            summary = f"单位合并：{absorb.name} → {keep.name}"
            today = date.today()
            for site in list(absorb.websites):
                site.unit = keep
                record_event(s, site, EventKind.OWNER_CHANGED, today, summary, "", self._user)
            for account in list(absorb.accounts):
                account.unit = keep
                record_event(s, account, EventKind.OWNER_CHANGED, today, summary, "", self._user)
            moved_aliases = [(a.alias, a.alias_key) for a in absorb.aliases]
            absorbed_name, absorbed_key = absorb.name, absorb.name_key
            for field in ("region", "contact", "phone", "email"):
                if not getattr(keep, field) and getattr(absorb, field):
                    setattr(keep, field, getattr(absorb, field))
            keep.is_demo = keep.is_demo and absorb.is_demo
            s.delete(absorb)
            s.flush()
            for alias, key in [*moved_aliases, (absorbed_name, absorbed_key)]:
                keep.aliases.append(UnitAlias(alias=alias, alias_key=key))

    def delete(self, unit_id: int) -> None:
        with self._sf.begin() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                return
            if unit.websites or unit.accounts:
                raise ConflictError(
                    f"单位「{unit.name}」名下还有 {len(unit.websites)} 个网站、"
                    f"{len(unit.accounts)} 个新媒体账号，不能删除。可先把它们移到其他单位，或使用“合并单位”。"
                )
            s.delete(unit)

    # -- helpers ---------------------------------------------------------------------------
    def _apply(self, s: Session, unit: Unit, data: UnitInput) -> None:
        name = require(clean_text(data.name), "name", "单位名称")
        key = name_key(name)
        clash = find_unit(s, name)
        if clash is not None and clash is not unit:
            raise DuplicateError(
                f"单位「{name}」已存在（与「{clash.name}」重名或为其别名）。", "name"
            )
        aliases: dict[str, str] = {}
        for raw in data.aliases:
            alias = clean_text(raw)
            akey = name_key(alias)
            if not akey or akey == key or akey in aliases:
                continue
            other = find_unit(s, alias)
            if other is not None and other is not unit:
                raise DuplicateError(
                    f"别名「{alias}」已属于单位「{other.name}」。如是同一单位，请使用“合并单位”。",
                    "aliases",
                )
            aliases[akey] = alias
        unit.name, unit.name_key = name, key
        unit.region = clean_text(data.region)
        unit.kind = UnitKind(data.kind)
        unit.contact = clean_text(data.contact)
        unit.phone = check_phone(data.phone, "phone", "联系电话")
        unit.email = check_email(data.email)
        unit.note = data.note.strip()
        existing = {a.alias_key: a for a in unit.aliases}
        for akey, alias in existing.items():
            if akey not in aliases:
                unit.aliases.remove(alias)
        s.flush()
        for akey, alias in aliases.items():
            if akey in existing:
                existing[akey].alias = alias
            else:
                unit.aliases.append(UnitAlias(alias=alias, alias_key=akey))


def _to_row(unit: Unit, websites: int, accounts: int) -> UnitRow:
    return UnitRow(
        id=unit.id,
        name=unit.name,
        aliases=tuple(a.alias for a in unit.aliases),
        region=unit.region,
        kind=unit.kind,
        contact=unit.contact,
        phone=unit.phone,
        email=unit.email,
        note=unit.note,
        website_count=websites,
        account_count=accounts,
        is_demo=unit.is_demo,
    )
