"""政务新媒体 account registry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.domain.registry_rules import check_dates, check_phone, require
from app.domain.text import clean_text, name_key
from app.errors import DuplicateError
from app.services.dto import AccountInput, AccountRow
from app.services.history import describe_changes, record_event
from app.services.targets import TargetService
from app.services.units import resolve_unit
from db.enums import AccountStatus, EventKind, FilingStatus, Platform
from db.models import Account

CHANGE_LABELS = {
    "platform": "平台",
    "account_id": "账号ID",
    "region": "所属县区",
    "filing_status": "备案状态",
    "status": "状态",
    "opened_on": "开设日期",
    "maintainer": "管理员",
    "maintainer_phone": "管理员电话",
    "is_zombie": "僵尸",
    "is_empty_shell": "空壳",
}


class AccountService(TargetService[Account]):
    model = Account
    noun = "账号"

    def list(self) -> list[AccountRow]:
        with self._sf() as s:
            accounts = s.scalars(
                select(Account).options(joinedload(Account.unit)).order_by(Account.id)
            )
            return [_to_row(a) for a in accounts]

    def get(self, account_id: int) -> AccountRow:
        with self._sf() as s:
            return _to_row(self._load(s, account_id))

    def create(self, data: AccountInput, *, create_unit: bool = False) -> int:
        """Register an account; raises UnitNotFoundError for an unknown unit unless ``create_unit``."""
        with self._sf.begin() as s:
            account = Account()
            self._apply(s, account, data, create_unit)
            s.add(account)
            s.flush()
            record_event(
                s,
                account,
                EventKind.first(data.opened_on),
                data.opened_on or date.today(),
                "登记入台账",
                "",
                self._user,
            )
            return account.id

    def update(self, account_id: int, data: AccountInput, *, create_unit: bool = False) -> None:
        with self._sf.begin() as s:
            account = self._load(s, account_id)
            before = {f: getattr(account, f) for f in CHANGE_LABELS}
            old_name, old_unit = account.name, account.unit
            self._apply(s, account, data, create_unit)
            today = date.today()
            if account.name != old_name:
                summary = f"{old_name} → {account.name}"
                record_event(s, account, EventKind.RENAMED, today, summary, "", self._user)
            if account.unit is not old_unit:
                summary = f"{old_unit.name} → {account.unit.name}"
                record_event(s, account, EventKind.OWNER_CHANGED, today, summary, "", self._user)
            after = {f: getattr(account, f) for f in CHANGE_LABELS}
            changes = describe_changes(before, after, CHANGE_LABELS)
            if changes:
                record_event(s, account, EventKind.CHANGED, today, changes, "", self._user)

    def _apply(self, s: Session, account: Account, data: AccountInput, create_unit: bool) -> None:
        platform = Platform(data.platform)
        name = require(clean_text(data.name), "name", "账号名称")
        key = name_key(name)
        clash = s.scalar(
            select(Account).where(
                Account.platform == platform, Account.name_key == key, Account.id != account.id
            )
        )
        if clash is not None:
            raise DuplicateError(
                f"{platform.label}账号「{clash.name}」已在台账中（主办单位：{clash.unit.name}），不能重复登记。",
                "name",
            )
        check_dates(data.opened_on, account.closed_on, date.today())
        unit = resolve_unit(s, data.unit_name, create=create_unit, region=data.region)
        account.platform = platform
        account.name, account.name_key = name, key
        account.account_id = clean_text(data.account_id)
        account.unit = unit
        account.region = clean_text(data.region) or unit.region
        account.filing_status = FilingStatus(data.filing_status)
        if account.status is not AccountStatus.CLOSED:
            account.status = AccountStatus.CHANGED if data.changing else AccountStatus.RUNNING
        account.opened_on = data.opened_on
        account.maintainer = clean_text(data.maintainer)
        account.maintainer_phone = check_phone(
            data.maintainer_phone, "maintainer_phone", "管理员电话"
        )
        account.is_zombie = data.is_zombie
        account.is_empty_shell = data.is_empty_shell
        account.note = data.note.strip()


def _to_row(a: Account) -> AccountRow:
    return AccountRow(
        id=a.id,
        platform=a.platform,
        name=a.name,
        account_id=a.account_id,
        unit_id=a.unit_id,
        unit_name=a.unit.name,
        region=a.region,
        filing_status=a.filing_status,
        status=a.status,
        opened_on=a.opened_on,
        closed_on=a.closed_on,
        maintainer=a.maintainer,
        maintainer_phone=a.maintainer_phone,
        is_zombie=a.is_zombie,
        is_empty_shell=a.is_empty_shell,
        note=a.note,
        is_demo=a.is_demo,
    )
