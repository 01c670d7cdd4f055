"""Rounds for tests: a quarterly round over the default national indicator sets."""

from __future__ import annotations

from datetime import date

from app.services.dto import AccountInput, WebsiteInput
from app.services.rounds import RoundInput
from app.vocab import Platform, RoundKind, TargetType, WebsiteKind


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


def hongqi_round(registry) -> dict:  # noqa: ANN001
    """红旗区's portal and one account in a 2025 Q3 round (inspected 9-26, reports due 10-20),
    with the site's first veto and first counted deduction."""
    registry.websites.create(
        WebsiteInput(
            "红旗区人民政府网站", "红旗区人民政府", url="www.hqq.gov.cn", kind=WebsiteKind.PORTAL
        ),
        create_unit=True,
    )
    registry.accounts.create(
        AccountInput(Platform.WECHAT, "红旗民政", "红旗区民政局"), create_unit=True
    )
    round_id = create_round(
        registry,
        "2025年第三季度",
        date(2025, 7, 1),
        date(2025, 9, 20),
        inspected=date(2025, 9, 26),
        deadline=date(2025, 10, 20),
    )
    targets = {t.name: t for t in registry.inspection.targets(round_id)}
    rules = registry.inspection.checklist(targets["红旗区人民政府网站"].id).rules
    veto = next(i for i in rules.indicators if i.part == "veto")
    deduction = next(i for i in rules.indicators if i.part == "deduction" and i.points_per)
    return {"round": round_id, "targets": targets, "veto": veto, "deduction": deduction}
