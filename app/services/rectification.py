"""整改跟踪: rectification items from finding to re-check, per unit, with their history.

Items made from a round's findings are kept in step by :mod:`app.services.rectification_sync`;
this service lists them, adds items by hand (上级抽查 …) and records each step: the unit's
report (报送整改情况), the re-check (复查) and closing. Every status change is an event that is
never edited or deleted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.domain import rectification as rules
from app.domain.dates import local_time
from app.domain.deadlines import (
    DUE_SOON_DAYS,
    Deadline,
    Urgency,
    deadline_after,
    describe_term,
    urgency,
)
from app.domain.text import clean_text, tidy_text
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.file_store import copy_in, fingerprint
from app.services.rectification_sync import Term, default_term, save_default_term
from app.services.units import find_unit
from db.enums import RectificationSource, RectificationStatus, TargetState, TargetType
from db.models import (
    Account,
    RectificationEvent,
    RectificationItem,
    RectificationUnit,
    Round,
    RoundTarget,
    Website,
)

Status = RectificationStatus
_WAITING = frozenset({Status.OPEN, Status.FAILED})


@dataclass(frozen=True)
class ItemRow:
    """One rectification item as the tracker lists it."""

    id: int
    source: RectificationSource
    source_note: str
    round_id: int | None
    round_name: str
    target_kind: TargetType | None
    record_id: int | None
    target_name: str
    target_subtype: str  # platform or website kind
    unit_ids: tuple[int, ...]
    unit_names: tuple[str, ...]
    region: str
    indicator_code: str
    indicator_name: str
    problem_text: str
    auto: bool
    found_on: date
    deadline: date
    deadline_days: int | None
    deadline_working_days: bool
    notified_on: date | None
    status: RectificationStatus
    report_received_on: date | None
    report_note: str
    report_file_name: str
    report_path: Path | None
    recheck_on: date | None
    recheck_note: str
    recheck_round_name: str
    closed_on: date | None
    note: str
    urgency: Urgency

    @property
    def units_text(self) -> str:
        return "、".join(self.unit_names)

    @property
    def status_text(self) -> str:
        return f"{self.status.label}（已关闭）" if self.closed_on else self.status.label

    @property
    def deadline_text(self) -> str:
        term = describe_term(self.deadline_days, self.deadline_working_days)
        return f"{self.deadline.isoformat()}（{term}）" if term else self.deadline.isoformat()

    @property
    def waiting_for_unit(self) -> bool:
        return self.closed_on is None and self.status in _WAITING

    def days_late(self, today: date) -> int:
        return max(0, (today - self.deadline).days) if self.waiting_for_unit else 0

    @property
    def fixed_on(self) -> date | None:
        return rules.fixed_on(
            passed=self.status is Status.PASSED,
            report_on=self.report_received_on,
            recheck_on=self.recheck_on,
        )


@dataclass(frozen=True)
class EventLine:
    event_date: date
    from_status: str
    to_status: str
    summary: str
    recorded_by: str
    recorded_at: datetime | None


@dataclass(frozen=True)
class ItemDetail:
    row: ItemRow
    events: list[EventLine]


@dataclass
class ItemInput:
    """What the clerk enters for an item added by hand (or edits on any item).

    The deadline is either a date or a term in days counted from ``found_on``.
    """

    unit_names: list[str]
    problem_text: str
    found_on: date | None
    deadline: date | None = None
    deadline_days: int | None = None
    working_days: bool = True
    source: RectificationSource = RectificationSource.SELF
    source_note: str = ""
    round_id: int | None = None
    website_id: int | None = None
    account_id: int | None = None
    indicator_name: str = ""
    note: str = ""


@dataclass(frozen=True)
class TrackerCounts:
    waiting: int  # 待整改 + 复查未通过, not closed
    overdue: int
    due_soon: int
    reported: int  # waiting for the office's re-check

    @classmethod
    def of(cls, rows: list[ItemRow]) -> TrackerCounts:
        """Counts over rows already listed (the tab has them; no second query)."""
        return cls(
            waiting=sum(r.waiting_for_unit for r in rows),
            overdue=sum(r.urgency is Urgency.OVERDUE for r in rows),
            due_soon=sum(r.urgency is Urgency.DUE_SOON for r in rows),
            reported=sum(r.closed_on is None and r.status is Status.REPORTED for r in rows),
        )

    @property
    def tab_text(self) -> str:
        return f"整改（{self.overdue} 逾期）" if self.overdue else "整改"

    @property
    def line(self) -> str:
        """「待整改 3 · 逾期 1 · 3天内到期 1 · 待复查 2」"""
        return (
            f"待整改 {self.waiting} · 逾期 {self.overdue} · "
            f"{DUE_SOON_DAYS}天内到期 {self.due_soon} · 待复查 {self.reported}"
        )


@dataclass(frozen=True)
class RepeatRow:
    """A problem a unit was named for in more than one round (反复整改、反复被通报)."""

    problem: str
    times: int
    rounds: tuple[str, ...]


@dataclass(frozen=True)
class UnitHistory:
    unit_name: str
    items: list[ItemRow]
    repeats: list[RepeatRow]
    rounds_named: tuple[str, ...]  # rounds in which the unit had any item


@dataclass(frozen=True)
class KindSummary:
    """Last round's failed sites (or accounts) and how their rectification stands."""

    failed: int
    fixed: int
    fixed_on_time: int
    still_open: int
    open_names: tuple[str, ...]


@dataclass(frozen=True)
class RectificationSummary:
    round_name: str
    websites: KindSummary
    accounts: KindSummary


@dataclass(frozen=True)
class UnitReminder:
    """催办: one unit's overdue items."""

    unit_name: str
    items: list[ItemRow] = field(default_factory=list)


class RectificationService:
    def __init__(self, session_factory: sessionmaker[Session], user: str, report_dir: Path) -> None:
        self._sf = session_factory
        self._user = user
        self.report_dir = report_dir

    # -- queries ---------------------------------------------------------------------------
    def list(self, today: date | None = None) -> list[ItemRow]:
        today = today or date.today()
        with self._sf() as s:
            return [self._row(i, today) for i in s.scalars(_item_query())]

    def get(self, item_id: int, today: date | None = None) -> ItemDetail:
        today = today or date.today()
        with self._sf() as s:
            item = _load(s, item_id)
            return ItemDetail(self._row(item, today), [_event_line(e) for e in item.events])

    def counts(self, today: date | None = None) -> TrackerCounts:
        return TrackerCounts.of(self.list(today))

    def for_record(
        self, kind: TargetType, record_id: int, exclude_round_id: int | None = None
    ) -> list[ItemRow]:
        """Items of one site/account still being followed (shown in its checklist)."""
        column = (
            RectificationItem.website_id
            if kind is TargetType.WEBSITE
            else RectificationItem.account_id
        )
        today = date.today()
        with self._sf() as s:
            query = _item_query().where(column == record_id, RectificationItem.closed_on.is_(None))
            if exclude_round_id is not None:
                query = query.where(RectificationItem.round_id.is_distinct_from(exclude_round_id))
            return [self._row(i, today) for i in s.scalars(query)]

    def unit_history(self, unit_name: str, today: date | None = None) -> UnitHistory:
        """One unit's full list and the problems it was named for more than once."""
        today = today or date.today()
        with self._sf() as s:
            unit = find_unit(s, unit_name)
            if unit is None:
                raise NotFoundError(f"单位「{unit_name}」不在台账中。")
            items = s.scalars(
                _item_query().where(
                    RectificationItem.id.in_(
                        select(RectificationUnit.item_id).where(
                            RectificationUnit.unit_id == unit.id
                        )
                    )
                )
            ).all()
            rows = [self._row(i, today) for i in items]
            name = unit.name
        by_problem: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            key = row.indicator_name or row.problem_text
            by_problem[key].append(row.round_name or row.found_on.isoformat())
        repeats = [
            RepeatRow(problem, len(rounds), tuple(dict.fromkeys(rounds)))
            for problem, rounds in by_problem.items()
            if len(set(rounds)) > 1
        ]
        repeats.sort(key=lambda r: -r.times)
        rounds_named = tuple(dict.fromkeys(r.round_name for r in rows if r.round_name))
        return UnitHistory(name, rows, repeats, rounds_named)

    def reminders(self, today: date | None = None) -> list[UnitReminder]:
        """催办: overdue items grouped by responsible unit (an item with two units is in both)."""
        today = today or date.today()
        groups: dict[str, list[ItemRow]] = defaultdict(list)
        for row in self.list(today):
            if row.urgency is Urgency.OVERDUE:
                for name in row.unit_names:
                    groups[name].append(row)
        return [UnitReminder(name, groups[name]) for name in sorted(groups)]

    def round_summary(self, round_id: int) -> RectificationSummary:
        """How the failed targets of ``round_id`` stand now (for the next notice's 一、(一))."""
        with self._sf() as s:
            round_ = s.get(Round, round_id)
            if round_ is None:
                raise NotFoundError("该检查轮次已不存在。")
            items = s.scalars(
                select(RectificationItem).where(RectificationItem.round_id == round_id)
            ).all()
            by_target: dict[int, list[RectificationItem]] = defaultdict(list)
            for item in items:
                if item.round_target_id is not None:
                    by_target[item.round_target_id].append(item)
            kinds: dict[str, list[tuple[str, rules.TargetOutcome]]] = {
                "websites": [],
                "accounts": [],
            }
            for t in round_.targets:
                if t.state is not TargetState.FAILED:
                    continue
                if t.id not in by_target:  # e.g. an imported round: judged by later verdicts
                    outcome = rules.TargetOutcome(_passed_later(s, t, round_), False)
                else:
                    outcome = rules.target_outcome(
                        [
                            (
                                rules.fixed_on(
                                    passed=i.status is Status.PASSED,
                                    report_on=i.report_received_on,
                                    recheck_on=i.recheck_on,
                                ),
                                i.deadline,
                            )
                            for i in by_target[t.id]
                        ]
                    )
                record = t.website or t.account
                assert record is not None
                kinds["websites" if t.website_id else "accounts"].append((record.name, outcome))
            return RectificationSummary(
                round_.name, _kind_summary(kinds["websites"]), _kind_summary(kinds["accounts"])
            )

    def default_term(self) -> Term:
        with self._sf() as s:
            return default_term(s)

    def compute_deadline(self, found_on: date, days: int, working_days: bool) -> Deadline:
        return deadline_after(found_on, days, working_days=working_days)

    # -- commands --------------------------------------------------------------------------
    def set_default_term(self, term: Term) -> None:
        if not 1 <= term.days <= 365:
            raise ValidationError("默认整改期限应在 1 到 365 天之间。", "deadline_days")
        with self._sf.begin() as s:
            save_default_term(s, term)

    def create(self, data: ItemInput) -> int:
        """Add an item by hand; returns its id."""
        with self._sf.begin() as s:
            item = RectificationItem(auto=False, status=Status.OPEN)
            self._apply(s, item, data)
            s.add(item)
            item.events.append(
                RectificationEvent(
                    event_date=item.found_on,
                    to_status=Status.OPEN,
                    summary=f"登记整改事项（{item.source.label}）",
                    round_id=item.round_id,
                    recorded_by=self._user,
                )
            )
            s.flush()
            return item.id

    def update(self, item_id: int, data: ItemInput) -> None:
        with self._sf.begin() as s:
            item = _load(s, item_id)
            _ensure_not_closed(item)
            before = (item.deadline, tuple(u.unit_id for u in item.unit_links))
            self._apply(s, item, data)
            after = (item.deadline, tuple(u.unit_id for u in item.unit_links))
            if before != after:
                self._event(item, date.today(), None, "修改整改期限或责任单位")

    def record_report(
        self, item_id: int, received_on: date, note: str = "", file: Path | None = None
    ) -> None:
        """登记报送: the unit's report arrived (with its file, copied into the data folder)."""
        stored = fingerprint(Path(file), "report_file") if file else None
        with self._sf.begin() as s:
            item = _load(s, item_id)
            _check(
                rules.check_report,
                closed=item.closed_on is not None,
                passed=item.status is Status.PASSED,
                found_on=item.found_on,
                received_on=received_on,
                today=date.today(),
            )
            if stored is not None:
                copy_in(Path(file), self.report_dir, stored)  # type: ignore[arg-type]
                item.report_file_name = stored.file_name
                item.report_stored_name = stored.stored_name
                item.report_sha256 = stored.sha256
            item.report_received_on = received_on
            item.report_note = tidy_text(note)
            self._event(item, received_on, Status.REPORTED, "单位报送整改情况")

    def record_recheck(self, item_id: int, on: date, passed: bool, note: str = "") -> None:
        """复查: the office looked again and found the problem fixed (or not)."""
        with self._sf.begin() as s:
            item = _load(s, item_id)
            _check(
                rules.check_recheck,
                closed=item.closed_on is not None,
                found_on=item.found_on,
                report_on=item.report_received_on,
                recheck_on=on,
                today=date.today(),
            )
            item.recheck_on = on
            item.recheck_note = tidy_text(note)
            item.recheck_round_id = None
            status = Status.PASSED if passed else Status.FAILED
            self._event(item, on, status, f"复查{'通过' if passed else '未通过'}")

    def close(self, item_id: int, on: date, note: str = "") -> None:
        with self._sf.begin() as s:
            item = _load(s, item_id)
            _check(
                rules.check_close,
                closed=item.closed_on is not None,
                recheck_on=item.recheck_on,
                on=on,
                today=date.today(),
            )
            item.closed_on = on
            self._event(item, on, None, "关闭" + (f"：{tidy_text(note)}" if note.strip() else ""))

    def reopen(self, item_id: int, reason: str) -> None:
        """Undo a closing (e.g. closed by mistake); the reason is recorded."""
        reason = tidy_text(reason)
        if not reason:
            raise ValidationError("请填写重新打开的原因。", "reason")
        with self._sf.begin() as s:
            item = _load(s, item_id)
            if item.closed_on is None:
                raise ConflictError("该整改事项没有关闭，无需重新打开。")
            item.closed_on = None
            self._event(item, date.today(), None, f"重新打开：{reason}")

    def delete(self, item_id: int) -> None:
        """Only items entered by hand that nothing has happened to yet may be deleted."""
        with self._sf.begin() as s:
            item = _load(s, item_id)
            if item.auto:
                raise ConflictError(
                    "该事项由检查结果生成，不能单独删除；如问题有误，请修改该对象的检查表。"
                )
            if item.notified_on or item.report_received_on or item.recheck_on or item.closed_on:
                raise ConflictError("该事项已通报或已有报送、复查记录，不能删除，可以关闭。")
            s.delete(item)

    # -- helpers ---------------------------------------------------------------------------
    def _apply(self, s: Session, item: RectificationItem, data: ItemInput) -> None:
        problem = tidy_text(data.problem_text)
        if not problem:
            raise ValidationError("请填写问题描述。", "problem_text")
        if data.found_on is None:
            raise ValidationError("请填写发现日期。", "found_on")
        names = [clean_text(n) for n in data.unit_names if clean_text(n)]
        if not names:
            raise ValidationError("请至少选择一个责任单位。", "units")
        units = []
        for name in dict.fromkeys(names):
            unit = find_unit(s, name)
            if unit is None:
                raise ValidationError(
                    f"责任单位「{name}」不在台账中，请先在台账的「单位」页添加该单位。", "units"
                )
            if unit not in units:
                units.append(unit)
        if data.deadline is not None:
            deadline, days = data.deadline, None
        elif data.deadline_days is not None:
            if not 1 <= data.deadline_days <= 365:
                raise ValidationError("整改期限天数应在 1 到 365 之间。", "deadline_days")
            deadline = deadline_after(
                data.found_on, data.deadline_days, working_days=data.working_days
            ).day
            days = data.deadline_days
        else:
            raise ValidationError("请填写整改期限（日期或天数）。", "deadline")
        _check(rules.check_deadline, data.found_on, deadline)
        if data.website_id is not None and s.get(Website, data.website_id) is None:
            raise NotFoundError("所选网站已不在台账中。")
        if data.account_id is not None and s.get(Account, data.account_id) is None:
            raise NotFoundError("所选新媒体账号已不在台账中。")
        if data.round_id is not None and s.get(Round, data.round_id) is None:
            raise NotFoundError("所选检查轮次已不存在。")
        item.problem_text = problem
        item.found_on = data.found_on
        item.deadline = deadline
        item.deadline_days = days
        item.deadline_working_days = data.working_days if days is not None else False
        if not item.auto:
            item.source = data.source
            item.source_note = tidy_text(data.source_note)
            item.round_id = data.round_id
            item.website_id = data.website_id
            item.account_id = data.account_id
            item.indicator_name = tidy_text(data.indicator_name)
        item.note = tidy_text(data.note)
        wanted = [u.id for u in units]
        if [link.unit_id for link in item.unit_links] != wanted:
            item.unit_links.clear()
            s.flush()
            for position, unit_id in enumerate(wanted):
                item.unit_links.append(RectificationUnit(unit_id=unit_id, position=position))

    def _event(
        self, item: RectificationItem, on: date, status: Status | None, summary: str
    ) -> None:
        item.events.append(
            RectificationEvent(
                event_date=on,
                from_status=item.status if status is not None else None,
                to_status=status,
                summary=summary,
                recorded_by=self._user,
            )
        )
        if status is not None:
            item.status = status

    def _row(self, item: RectificationItem, today: date) -> ItemRow:
        record = item.website or item.account
        units = [link.unit for link in item.unit_links]
        if item.website is not None:
            kind, subtype = TargetType.WEBSITE, item.website.kind.label
        elif item.account is not None:
            kind, subtype = TargetType.ACCOUNT, item.account.platform.label
        else:
            kind, subtype = None, ""
        region = ""
        if item.account is not None and item.account.region:
            region = item.account.region
        elif units:
            region = units[0].region
        waiting = item.closed_on is None and item.status in _WAITING
        return ItemRow(
            id=item.id,
            source=item.source,
            source_note=item.source_note,
            round_id=item.round_id,
            round_name=item.round.name if item.round else "",
            target_kind=kind,
            record_id=record.id if record else None,
            target_name=record.name if record else "",
            target_subtype=subtype,
            unit_ids=tuple(u.id for u in units),
            unit_names=tuple(u.name for u in units),
            region=region,
            indicator_code=item.indicator_code or "",
            indicator_name=item.indicator_name,
            problem_text=item.problem_text,
            auto=item.auto,
            found_on=item.found_on,
            deadline=item.deadline,
            deadline_days=item.deadline_days,
            deadline_working_days=item.deadline_working_days,
            notified_on=item.notified_on,
            status=item.status,
            report_received_on=item.report_received_on,
            report_note=item.report_note,
            report_file_name=item.report_file_name,
            report_path=(
                self.report_dir / item.report_stored_name if item.report_stored_name else None
            ),
            recheck_on=item.recheck_on,
            recheck_note=item.recheck_note,
            recheck_round_name=item.recheck_round.name if item.recheck_round else "",
            closed_on=item.closed_on,
            note=item.note,
            urgency=urgency(item.deadline, today, waiting_for_unit=waiting),
        )


def mark_round_notified(s: Session, round_id: int, on: date, user: str) -> int:
    """Issuing a round's notice: its items are now notified (通报) and can no longer vanish."""
    items = s.scalars(
        select(RectificationItem).where(
            RectificationItem.round_id == round_id, RectificationItem.notified_on.is_(None)
        )
    ).all()
    for item in items:
        item.notified_on = on
        item.events.append(
            RectificationEvent(
                event_date=on, summary="随检查情况通报印发", round_id=round_id, recorded_by=user
            )
        )
    return len(items)


def _item_query():  # noqa: ANN202 (a Select of RectificationItem)
    return (
        select(RectificationItem)
        .options(
            selectinload(RectificationItem.unit_links).joinedload(RectificationUnit.unit),
            selectinload(RectificationItem.round),
            selectinload(RectificationItem.recheck_round),
            selectinload(RectificationItem.website),
            selectinload(RectificationItem.account),
        )
        .order_by(RectificationItem.deadline, RectificationItem.id)
    )


def _load(s: Session, item_id: int) -> RectificationItem:
    item = s.get(RectificationItem, item_id)
    if item is None:
        raise NotFoundError("该整改事项已不存在，请刷新。")
    return item


def _ensure_not_closed(item: RectificationItem) -> None:
    if item.closed_on is not None:
        raise ConflictError("该整改事项已关闭，如需修改请先重新打开。")


def _check(rule, *args, **kwargs) -> None:  # noqa: ANN001 (a rule function)
    try:
        rule(*args, **kwargs)
    except rules.RectificationRuleError as exc:
        raise ValidationError(exc.message, exc.field) from exc


def _event_line(e: RectificationEvent) -> EventLine:
    return EventLine(
        event_date=e.event_date,
        from_status=e.from_status.label if e.from_status else "",
        to_status=e.to_status.label if e.to_status else "",
        summary=e.summary,
        recorded_by=e.recorded_by,
        recorded_at=local_time(e.recorded_at),
    )


def _passed_later(s: Session, t: RoundTarget, round_: Round) -> bool:
    """A failed target with no items counts as fixed once a later round passed it."""
    column = RoundTarget.website_id if t.website_id else RoundTarget.account_id
    record_id = t.website_id or t.account_id
    return (
        s.scalar(
            select(RoundTarget.id)
            .join(Round, Round.id == RoundTarget.round_id)
            .where(
                column == record_id,
                Round.window_end > round_.window_end,
                RoundTarget.state == TargetState.PASSED,
            )
            .limit(1)
        )
        is not None
    )


def _kind_summary(outcomes: list[tuple[str, rules.TargetOutcome]]) -> KindSummary:
    fixed = [o for _, o in outcomes if o.fixed]
    return KindSummary(
        failed=len(outcomes),
        fixed=len(fixed),
        fixed_on_time=sum(o.on_time for o in fixed),
        still_open=len(outcomes) - len(fixed),
        open_names=tuple(name for name, o in outcomes if not o.fixed),
    )
