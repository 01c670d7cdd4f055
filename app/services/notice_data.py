"""Gather a round's results as :mod:`app.domain.notice_facts` for the 通报."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.domain.notice_facts import (
    AccountFact,
    PreviousFacts,
    ProblemFact,
    RegionRate,
    RoundFacts,
    SiteFact,
    Tally,
)
from app.errors import NotFoundError
from app.services.indicators import IndicatorService
from app.services.rectification import RectificationSummary
from db.enums import TargetState
from db.models import Account, Round, RoundTarget, Website

NO_REGION = "（未填县区）"


def previous_round_id(s: Session, round_id: int) -> int | None:
    """The latest round that ended before this one (its problems are reported on now)."""
    current = s.get(Round, round_id)
    if current is None:
        raise NotFoundError("该检查轮次已不存在。")
    return s.scalar(
        select(Round.id)
        .where(Round.id != round_id, Round.window_end < current.window_end)
        .order_by(Round.window_end.desc(), Round.id.desc())
        .limit(1)
    )


def gather(
    s: Session,
    round_id: int,
    indicators: IndicatorService,
    previous: RectificationSummary | None,
) -> RoundFacts:
    round_ = s.get(Round, round_id)
    if round_ is None:
        raise NotFoundError("该检查轮次已不存在。")
    targets = s.scalars(
        select(RoundTarget)
        .where(RoundTarget.round_id == round_id)
        .options(
            joinedload(RoundTarget.website).joinedload(Website.unit),
            joinedload(RoundTarget.account).joinedload(Account.unit),
            selectinload(RoundTarget.findings),
        )
        .order_by(RoundTarget.id)
    ).all()
    site_rules = indicators.rules(round_.website_set_id)
    account_rules = indicators.rules(round_.account_set_id)
    sites: list[SiteFact] = []
    accounts: list[AccountFact] = []
    problems: list[ProblemFact] = []
    regions: dict[str, list[TargetState]] = defaultdict(list)
    for t in targets:
        checked = t.state is not TargetState.PENDING
        passed = t.state is TargetState.PASSED
        if t.website is not None:
            w = t.website
            sites.append(
                SiteFact(
                    w.name,
                    w.unit.name,
                    w.unit.region,
                    w.kind.value == "portal",
                    checked,
                    passed,
                    t.score,
                    t.problem_text,
                )
            )
            region, rules, shown = w.unit.region, site_rules, w.name
        else:
            a = t.account
            assert a is not None
            region = a.region or a.unit.region
            accounts.append(
                AccountFact(
                    a.name, a.platform.label, a.unit.name, region, checked, passed, t.problem_text
                )
            )
            rules, shown = account_rules, f"“{a.name}”{a.platform.label}"
        regions[region or NO_REGION].append(t.state)
        for f in t.findings:
            try:
                item = rules.indicator(f.indicator_code)
            except KeyError:
                continue  # an indicator dropped from the set: its text is in problem_text
            problems.append(
                ProblemFact(
                    is_website=t.website is not None,
                    target_name=shown,
                    unit_name=(t.website or t.account).unit.name,  # type: ignore[union-attr]
                    indicator_name=item.name,
                    category=item.category,
                    veto=item.part == "veto",
                )
            )
    return RoundFacts(
        round_name=round_.name,
        window_start=round_.window_start,
        window_end=round_.window_end,
        report_deadline=round_.report_deadline,
        sites=sites,
        accounts=accounts,
        problems=problems,
        site_tally=_tally([s.checked, s.passed] for s in sites),
        account_tally=_tally([a.checked, a.passed] for a in accounts),
        regions=[
            RegionRate(
                region,
                sum(x is TargetState.PASSED for x in states),
                sum(x is not TargetState.PENDING for x in states),
            )
            for region, states in sorted(regions.items())
        ],
        previous=_previous(previous),
    )


def _tally(rows) -> Tally:  # noqa: ANN001 (iterable of [checked, passed])
    rows = list(rows)
    return Tally(
        total=len(rows),
        passed=sum(1 for checked, passed in rows if checked and passed),
        failed=sum(1 for checked, passed in rows if checked and not passed),
        pending=sum(1 for checked, _ in rows if not checked),
    )


def _previous(summary: RectificationSummary | None) -> PreviousFacts | None:
    if summary is None:
        return None
    w, a = summary.websites, summary.accounts
    return PreviousFacts(
        round_name=summary.round_name,
        sites_failed=w.failed,
        sites_fixed=w.fixed,
        sites_open=w.open_names,
        accounts_failed=a.failed,
        accounts_fixed=a.fixed,
        accounts_open=a.open_names,
        fixed_on_time=w.fixed_on_time + a.fixed_on_time,
    )
