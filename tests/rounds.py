"""Rounds for tests: a quarterly round over the default national indicator sets."""

from __future__ import annotations

from datetime import date

from app.services.rounds import RoundInput
from app.vocab import RoundKind, TargetType


def create_round(
    registry,  # noqa: ANN001 (app.services.registry.Registry)
    name: str,
    start: date,
    end: date,
    *,
    inspected: date | None = None,
    deadline: date | None = None,
) -> int:
    return registry.rounds.create(
        RoundInput(
            name=name,
            kind=RoundKind.QUARTERLY,
            window_start=start,
            window_end=end,
            website_set_id=registry.indicators.default_id(TargetType.WEBSITE),
            account_set_id=registry.indicators.default_id(TargetType.ACCOUNT),
            inspection_date=inspected,
            report_deadline=deadline,
        )
    )
