"""Keep 整改 items in step with a checklist, inside the checklist's own transaction.

- Every veto hit and every deduction of a target becomes one item (per target and indicator);
  re-saving updates it, never duplicates it; a finding removed before the item was notified
  takes its item with it.
- When a later round inspects the same site or account, its earlier open items get that
  round's re-check result: the same indicator found again → 复查未通过, otherwise 复查通过.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain import scoring
from app.domain.deadlines import deadline_after
from app.services.settings import read_setting, write_setting
from db.enums import RectificationStatus, TargetState
from db.models import (
    RectificationEvent,
    RectificationItem,
    RectificationUnit,
    Round,
    RoundTarget,
)

WHOLE_TARGET = ""  # indicator code of an item that stands for a whole failed target
DEFAULT_TERM_KEY = "rectification.default_term"


@dataclass(frozen=True)
class Term:
    """Default 整改期限 for items made from findings when the round names no deadline."""

    days: int = 15
    working_days: bool = True


def default_term(s: Session) -> Term:
    data = read_setting(s, DEFAULT_TERM_KEY)
    if not isinstance(data, dict):
        return Term()
    return Term(int(data.get("days", 15)), bool(data.get("working_days", True)))


def save_default_term(s: Session, term: Term) -> None:
    write_setting(s, DEFAULT_TERM_KEY, {"days": term.days, "working_days": term.working_days})


def found_date(t: RoundTarget) -> date:
    """The day a problem counts as found: the round's 检查日期, else the day it was entered."""
    if t.round.inspection_date is not None:
        return t.round.inspection_date
    return (t.checked_at or datetime.now()).date()


def sync_target(
    s: Session,
    t: RoundTarget,
    rules: scoring.RuleSet | None,
    result: scoring.ScoreResult | None,
    user: str,
) -> None:
    """Bring the items of ``t`` (and the re-checks it performs) in line with its verdict.

    ``result`` None means the target is back to 未检 (its re-checks are withdrawn).
    """
    s.flush()
    wanted = _wanted_items(t, rules, result)
    existing = {
        item.indicator_code or WHOLE_TARGET: item
        for item in s.scalars(
            select(RectificationItem).where(RectificationItem.round_target_id == t.id)
        )
    }
    for code, item in existing.items():
        if code not in wanted and _still_draft(item):
            s.delete(item)
    term = default_term(s)
    for code, (name, text) in wanted.items():
        item = existing.get(code)
        if item is None:
            s.add(_new_item(t, code, name, text, term, user))
        elif item.notified_on is None:
            item.problem_text, item.indicator_name = text, name
    _record_rechecks(s, t, set(wanted) if result is not None else None, user)
    s.flush()


def _wanted_items(
    t: RoundTarget, rules: scoring.RuleSet | None, result: scoring.ScoreResult | None
) -> dict[str, tuple[str, str]]:
    """indicator code → (indicator name, 主要问题 text) of the items the verdict calls for."""
    if result is None or rules is None:
        return {}
    wanted: dict[str, tuple[str, str]] = {}
    for code in result.vetoes:
        text = scoring.compose_problem_text(rules, [], [code])
        wanted[code] = (rules.indicator(code).name, _with_note(t, code, text))
    for code, points in result.deductions:
        text = scoring.compose_problem_text(rules, [(code, points)], [])
        wanted[code] = (rules.indicator(code).name, _with_note(t, code, text))
    if not wanted and t.state is TargetState.FAILED:
        wanted[WHOLE_TARGET] = ("", t.problem_text or "检查不合格")
    return wanted


def _with_note(t: RoundTarget, code: str, text: str) -> str:
    note = next((f.note for f in t.findings if f.indicator_code == code and f.note), "")
    return f"{text}（{note}）" if note else text


def _still_draft(item: RectificationItem) -> bool:
    """Nothing has happened to the item yet: not notified, no report, no re-check."""
    return (
        item.notified_on is None
        and item.status is RectificationStatus.OPEN
        and item.report_received_on is None
    )


def _new_item(
    t: RoundTarget, code: str, name: str, text: str, term: Term, user: str
) -> RectificationItem:
    found_on = found_date(t)
    round_deadline = t.round.report_deadline
    if round_deadline is not None and round_deadline >= found_on:
        deadline, days, working = round_deadline, None, False
    else:
        deadline = deadline_after(found_on, term.days, working_days=term.working_days).day
        days, working = term.days, term.working_days
    record = t.website or t.account
    assert record is not None
    item = RectificationItem(
        round_id=t.round_id,
        round_target_id=t.id,
        website_id=t.website_id,
        account_id=t.account_id,
        indicator_code=code,
        indicator_name=name,
        problem_text=text,
        auto=True,
        found_on=found_on,
        deadline=deadline,
        deadline_days=days,
        deadline_working_days=working,
        status=RectificationStatus.OPEN,
    )
    item.unit_links.append(RectificationUnit(unit_id=record.unit_id, position=0))
    item.events.append(
        RectificationEvent(
            event_date=found_on,
            to_status=RectificationStatus.OPEN,
            summary=f"{t.round.name}检查发现问题",
            round_id=t.round_id,
            recorded_by=user,
        )
    )
    return item


def _record_rechecks(s: Session, t: RoundTarget, found_codes: set[str] | None, user: str) -> None:
    """Earlier rounds' items of the same site/account take this round's result as 复查."""
    this_round: Round = t.round
    record_filter = (
        RectificationItem.website_id == t.website_id
        if t.website_id is not None
        else RectificationItem.account_id == t.account_id
    )
    earlier = s.scalars(
        select(RectificationItem)
        .join(Round, Round.id == RectificationItem.round_id)
        .where(
            record_filter,
            RectificationItem.round_id != this_round.id,
            Round.window_end <= this_round.window_end,
            RectificationItem.closed_on.is_(None),
            or_(
                RectificationItem.status != RectificationStatus.PASSED,
                RectificationItem.recheck_round_id == this_round.id,
            ),
        )
    ).all()
    for item in earlier:
        if found_codes is None:
            _withdraw_recheck(item, this_round, user)
            continue
        code = item.indicator_code or WHOLE_TARGET
        still_there = t.state is TargetState.FAILED if code == WHOLE_TARGET else code in found_codes
        status = RectificationStatus.FAILED if still_there else RectificationStatus.PASSED
        if item.recheck_round_id == this_round.id and item.status is status:
            continue
        on = found_date(t)
        item.events.append(
            RectificationEvent(
                event_date=on,
                from_status=item.status,
                to_status=status,
                summary=f"{this_round.name}复查：{'问题仍存在' if still_there else '已整改'}",
                round_id=this_round.id,
                recorded_by=user,
            )
        )
        item.status = status
        item.recheck_on = on
        item.recheck_round_id = this_round.id
        item.recheck_note = (
            f"{this_round.name}检查{'仍存在该问题' if still_there else '未再发现该问题'}"
        )


def _withdraw_recheck(item: RectificationItem, this_round: Round, user: str) -> None:
    """The re-checking target went back to 未检: restore the status from before that re-check."""
    if item.recheck_round_id != this_round.id:
        return
    before = next(
        (
            e.from_status
            for e in item.events
            if e.round_id == this_round.id and e.from_status is not None
        ),
        RectificationStatus.OPEN,
    )
    item.events.append(
        RectificationEvent(
            event_date=date.today(),
            from_status=item.status,
            to_status=before,
            summary=f"{this_round.name}检查结果已撤回，复查结果随之撤销",
            round_id=this_round.id,
            recorded_by=user,
        )
    )
    item.status = before
    item.recheck_on = None
    item.recheck_round_id = None
    item.recheck_note = ""
