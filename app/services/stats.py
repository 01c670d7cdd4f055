"""Round results (检查结果统计): counts and 合格率 by kind and by region."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from app.domain.rates import pass_rate
from app.errors import NotFoundError
from db.enums import TargetState
from db.models import Account, Round, RoundTarget, Website

KIND_KEYS = {"website": "websites", "account": "accounts"}


@dataclass(frozen=True)
class Counts:
    total: int
    passed: int
    failed: int
    pending: int

    @property
    def pass_rate(self) -> str:
        """Passing ÷ inspected (合格 + 不合格), "—" before any is inspected.

        Once a round is complete this is the notices' figure over every target
        (267/279 → 95.7%); while it is in progress, unchecked targets do not count as failures.
        """
        return pass_rate(self.passed, self.passed + self.failed)

    def as_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "passed": self.passed,
            "failed": self.failed,
            "pass_rate": self.pass_rate,
        }


@dataclass(frozen=True)
class RegionCounts:
    region: str
    kind: str  # "websites" | "accounts"
    counts: Counts


@dataclass(frozen=True)
class RoundStats:
    round_name: str
    websites: Counts
    accounts: Counts
    by_region: list[RegionCounts]

    def as_json(self) -> dict[str, object]:
        return {
            "round": self.round_name,
            "websites": self.websites.as_json(),
            "accounts": self.accounts.as_json(),
            "by_region": [
                {"region": r.region, "kind": r.kind, **r.counts.as_json()} for r in self.by_region
            ],
        }


def _counts(states: list[TargetState]) -> Counts:
    return Counts(
        total=len(states),
        passed=sum(1 for x in states if x is TargetState.PASSED),
        failed=sum(1 for x in states if x is TargetState.FAILED),
        pending=sum(1 for x in states if x is TargetState.PENDING),
    )


class StatsService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sf = session_factory

    def round_stats(self, round_id: int) -> RoundStats:
        with self._sf() as s:
            round_ = s.get(Round, round_id)
            if round_ is None:
                raise NotFoundError("该检查轮次已不存在。")
            targets = s.scalars(
                select(RoundTarget)
                .where(RoundTarget.round_id == round_id)
                .options(
                    joinedload(RoundTarget.website).joinedload(Website.unit),
                    joinedload(RoundTarget.account).joinedload(Account.unit),
                )
            ).all()
            by_kind: dict[str, list[TargetState]] = defaultdict(list)
            by_region: dict[tuple[str, str], list[TargetState]] = defaultdict(list)
            for t in targets:
                if t.website is not None:
                    kind, region = "websites", t.website.unit.region
                else:
                    assert t.account is not None
                    kind, region = "accounts", t.account.region or t.account.unit.region
                by_kind[kind].append(t.state)
                by_region[(region or "（未填县区）", kind)].append(t.state)
            regions = [
                RegionCounts(region, kind, _counts(states))
                for (region, kind), states in sorted(
                    by_region.items(), key=lambda kv: (kv[0][1] != "websites", kv[0][0])
                )
            ]
            return RoundStats(
                round_.name, _counts(by_kind["websites"]), _counts(by_kind["accounts"]), regions
            )
