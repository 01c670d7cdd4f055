"""Inspection rounds (检查轮次): create one over the registry, adjust its scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.registry_rules import require
from app.domain.text import clean_text
from app.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from app.services.rectification_sync import sync_target
from db.enums import RoundKind, RoundStatus, TargetState, TargetType
from db.models import Account, IndicatorSet, RectificationItem, Round, RoundTarget, Website


@dataclass
class RoundInput:
    name: str
    kind: RoundKind
    window_start: date | None
    window_end: date | None
    website_set_id: int
    account_set_id: int
    inspection_date: date | None = None
    report_deadline: date | None = None
    note: str = ""


@dataclass(frozen=True)
class CandidateRow:
    """A registry record that is not (yet) in a round: what 调整检查范围 offers."""

    id: int  # the website's or account's id
    kind: TargetType
    name: str
    subtype: str
    unit_name: str
    region: str
    running: bool


@dataclass(frozen=True)
class RoundRow:
    id: int
    name: str
    kind: RoundKind
    window_start: date
    window_end: date
    inspection_date: date | None
    report_deadline: date | None
    status: RoundStatus
    website_set_id: int
    account_set_id: int
    website_set: str
    account_set: str
    total: int
    checked: int
    passed: int
    failed: int
    note: str

    @property
    def progress_text(self) -> str:
        return f"已检 {self.checked} / {self.total}"


def in_scope(opened_on: date | None, closed_on: date | None, start: date, end: date) -> bool:
    """Running at the end of the data-collection window: opened by then, not closed by then."""
    return (opened_on is None or opened_on <= end) and (closed_on is None or closed_on > end)


class RoundService:
    def __init__(self, session_factory: sessionmaker[Session], user: str) -> None:
        self._sf = session_factory
        self._user = user

    # -- queries ---------------------------------------------------------------------------
    def list(self) -> list[RoundRow]:
        with self._sf() as s:
            rounds = s.scalars(select(Round).order_by(Round.window_start.desc(), Round.id.desc()))
            return [_row(s, r) for r in rounds]

    def get(self, round_id: int) -> RoundRow:
        with self._sf() as s:
            return _row(s, _load(s, round_id))

    def find_id(self, name: str) -> int | None:
        with self._sf() as s:
            return s.scalar(select(Round.id).where(Round.name == clean_text(name)))

    def require_id(self, name: str) -> int:
        """The id of the round called ``name``; NotFoundError listing the rounds there are."""
        round_id = self.find_id(name)
        if round_id is None:
            names = "、".join(r.name for r in self.list()) or "（还没有检查轮次）"
            raise NotFoundError(f"没有名为「{name}」的检查轮次。现有轮次：{names}")
        return round_id

    def scope_preview(self, start: date, end: date) -> tuple[int, int]:
        """How many websites and accounts a round over this window would cover."""
        with self._sf() as s:
            sites, accounts = _scope(s, start, end)
            return len(sites), len(accounts)

    def candidates(self, round_id: int) -> list[CandidateRow]:
        """Websites and accounts of the registry that the round does not cover."""
        with self._sf() as s:
            round_ = _load(s, round_id)
            have_sites = {t.website_id for t in round_.targets}
            have_accounts = {t.account_id for t in round_.targets}
            rows = [
                CandidateRow(
                    w.id,
                    TargetType.WEBSITE,
                    w.name,
                    w.kind.label,
                    w.unit.name,
                    w.unit.region,
                    w.closed_on is None,
                )
                for w in s.scalars(select(Website).order_by(Website.id))
                if w.id not in have_sites
            ]
            rows += [
                CandidateRow(
                    a.id,
                    TargetType.ACCOUNT,
                    a.name,
                    a.platform.label,
                    a.unit.name,
                    a.region or a.unit.region,
                    a.closed_on is None,
                )
                for a in s.scalars(select(Account).order_by(Account.id))
                if a.id not in have_accounts
            ]
            return rows

    # -- commands --------------------------------------------------------------------------
    def create(self, data: RoundInput) -> int:
        """Create a round whose targets are the sites and accounts running in its window."""
        with self._sf.begin() as s:
            round_ = Round()
            self.fill(s, round_, data)
            sites, accounts = _scope(s, round_.window_start, round_.window_end)
            if not sites and not accounts:
                raise ValidationError(
                    f"{round_.window_start}—{round_.window_end} 期间台账中没有运行的网站或新媒体，"
                    "本轮没有检查对象。请先登记或导入台账，或调整数据采集时间。",
                    "window_end",
                )
            round_.targets = [RoundTarget(website=w) for w in sites] + [
                RoundTarget(account=a) for a in accounts
            ]
            s.add(round_)
            s.flush()
            return round_.id

    def update(self, round_id: int, data: RoundInput) -> None:
        """Change name, dates or note; indicator sets only while nothing has been checked."""
        with self._sf.begin() as s:
            round_ = _load_open(s, round_id)
            checked = any(t.state is not TargetState.PENDING for t in round_.targets)
            if checked and (data.website_set_id, data.account_set_id) != (
                round_.website_set_id,
                round_.account_set_id,
            ):
                raise ConflictError(
                    "本轮已有检查结果，不能更换指标体系（已评分的结果不会被重算）。"
                )
            self.fill(s, round_, data)

    def add_targets(self, round_id: int, website_ids: list[int], account_ids: list[int]) -> int:
        """Add sites/accounts by hand (e.g. one opened after the window); returns how many were new."""
        with self._sf.begin() as s:
            round_ = _load_open(s, round_id)
            have_sites = {t.website_id for t in round_.targets}
            have_accounts = {t.account_id for t in round_.targets}
            added = 0
            for wid in website_ids:
                if wid not in have_sites and s.get(Website, wid) is not None:
                    round_.targets.append(RoundTarget(website_id=wid))
                    added += 1
            for aid in account_ids:
                if aid not in have_accounts and s.get(Account, aid) is not None:
                    round_.targets.append(RoundTarget(account_id=aid))
                    added += 1
            return added

    def remove_target(self, target_id: int, *, even_if_checked: bool = False) -> None:
        with self._sf.begin() as s:
            target = s.get(RoundTarget, target_id)
            if target is None:
                return
            _ensure_open(target.round)
            if target.state is not TargetState.PENDING and not even_if_checked:
                raise ConflictError("该对象已有检查结果，移出本轮会删除这些结果，请确认后再移出。")
            sync_target(s, target, None, None, self._user)
            s.delete(target)

    def delete(self, round_id: int) -> None:
        with self._sf.begin() as s:
            round_ = _load_open(s, round_id)
            notified = s.scalar(
                select(func.count(RectificationItem.id)).where(
                    RectificationItem.round_id == round_id,
                    RectificationItem.notified_on.is_not(None),
                )
            )
            if notified:
                raise ConflictError(
                    f"检查轮次「{round_.name}」的问题已通报并进入整改跟踪（{notified}项），不能删除。"
                )
            for target in round_.targets:
                sync_target(s, target, None, None, self._user)
            s.delete(round_)

    def fill(self, s: Session, round_: Round, data: RoundInput) -> None:
        """Validate ``data`` and copy it onto ``round_`` inside the caller's transaction."""
        name = require(clean_text(data.name), "name", "轮次名称")
        clash = s.scalar(select(Round).where(Round.name == name, Round.id != round_.id))
        if clash is not None:
            raise DuplicateError(f"检查轮次「{name}」已存在，请换一个名称。", "name")
        if data.window_start is None:
            raise ValidationError("请填写数据采集的开始日期。", "window_start")
        if data.window_end is None:
            raise ValidationError("请填写数据采集的结束日期。", "window_end")
        if data.window_end < data.window_start:
            raise ValidationError(
                f"数据采集结束日期 {data.window_end} 早于开始日期 {data.window_start}，请检查。",
                "window_end",
            )
        if (
            data.report_deadline
            and data.inspection_date
            and data.report_deadline < data.inspection_date
        ):
            raise ValidationError("整改报送截止日期早于检查日期，请检查。", "report_deadline")
        for set_id, kind, field in (
            (data.website_set_id, TargetType.WEBSITE, "website_set_id"),
            (data.account_set_id, TargetType.ACCOUNT, "account_set_id"),
        ):
            found = s.get(IndicatorSet, set_id)
            if found is None or found.target_type is not kind:
                raise ValidationError(f"请选择{kind.label}的指标体系。", field)
        round_.name = name
        round_.kind = RoundKind(data.kind)
        round_.window_start, round_.window_end = data.window_start, data.window_end
        round_.inspection_date, round_.report_deadline = data.inspection_date, data.report_deadline
        round_.website_set_id, round_.account_set_id = data.website_set_id, data.account_set_id
        round_.note = data.note.strip()


def _scope(s: Session, start: date, end: date) -> tuple[list[Website], list[Account]]:
    sites = [
        w
        for w in s.scalars(select(Website).order_by(Website.id))
        if in_scope(w.opened_on, w.closed_on, start, end)
    ]
    accounts = [
        a
        for a in s.scalars(select(Account).order_by(Account.id))
        if in_scope(a.opened_on, a.closed_on, start, end)
    ]
    return sites, accounts


def _load(s: Session, round_id: int) -> Round:
    found = s.get(Round, round_id)
    if found is None:
        raise NotFoundError("该检查轮次已不存在。")
    return found


def _ensure_open(round_: Round) -> None:
    if round_.status is RoundStatus.FINALIZED:
        raise ConflictError(
            f"检查轮次「{round_.name}」已定稿（通报已印发），不能再修改。如需修改请先重新打开该轮次。"
        )


def _load_open(s: Session, round_id: int) -> Round:
    round_ = _load(s, round_id)
    _ensure_open(round_)
    return round_


def _row(s: Session, r: Round) -> RoundRow:
    states = Counter(s.scalars(select(RoundTarget.state).where(RoundTarget.round_id == r.id)))
    total = sum(states.values())
    return RoundRow(
        id=r.id,
        name=r.name,
        kind=r.kind,
        window_start=r.window_start,
        window_end=r.window_end,
        inspection_date=r.inspection_date,
        report_deadline=r.report_deadline,
        status=r.status,
        website_set_id=r.website_set_id,
        account_set_id=r.account_set_id,
        website_set=f"{r.website_set.name}（第{r.website_set.version}版）",
        account_set=f"{r.account_set.name}（第{r.account_set.version}版）",
        total=total,
        checked=total - states[TargetState.PENDING],
        passed=states[TargetState.PASSED],
        failed=states[TargetState.FAILED],
        note=r.note,
    )
