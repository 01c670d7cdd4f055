"""Indicator sets are versioned: edits make a new version or a new local set, never a change."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from app.errors import DuplicateError, NotFoundError, ValidationError
from app.services.dto import WebsiteInput
from app.services.rounds import RoundInput
from db.enums import RoundKind, TargetType

WEBSITE = "national-2019-website"


def reweighted(rules, code: str, points: str):
    """``rules`` with indicator ``code`` given new per-occurrence points, confirmed."""
    items = tuple(
        dataclasses.replace(i, points_per=Decimal(points), confirmed=True) if i.code == code else i
        for i in rules.indicators
    )
    return dataclasses.replace(rules, indicators=items)


def versions(registry, code: str) -> list[int]:
    return [row.version for row in registry.indicators.list() if row.code == code]


@pytest.fixture
def website_v1(registry) -> int:
    return registry.indicators.default_id(TargetType.WEBSITE)


def test_save_new_version_leaves_the_old_one_and_its_rounds_alone(registry, website_v1):
    registry.websites.create(
        WebsiteInput("通城县人民政府网站", "通城县人民政府", url="www.tongcheng.gov.cn"),
        create_unit=True,
    )
    round_id = registry.rounds.create(
        RoundInput(
            "2023年第一季度",
            RoundKind.QUARTERLY,
            date(2023, 1, 1),
            date(2023, 3, 25),
            website_v1,
            registry.indicators.default_id(TargetType.ACCOUNT),
        )
    )
    old_rules = registry.indicators.rules(website_v1)

    new_id = registry.indicators.save_new_version(
        website_v1, reweighted(old_rules, "W-D4", "3"), "国家指标（本省核实）"
    )

    assert versions(registry, WEBSITE) == [1, 2]
    new = registry.indicators.get(new_id)
    assert (new.code, new.version, new.name, new.is_latest) == (
        WEBSITE,
        2,
        "国家指标（本省核实）",
        True,
    )
    assert new.target_type is TargetType.WEBSITE and new.title == "国家指标（本省核实）（第2版）"
    assert registry.indicators.get(website_v1).is_latest is False
    assert registry.indicators.rules(new_id).indicator("W-D4").points_per == 3
    assert registry.indicators.rules(new_id).indicator("W-D4").confirmed is True
    assert registry.indicators.rules(website_v1) == old_rules  # never edited in place
    assert registry.rounds.get(round_id).website_set_id == website_v1  # the round keeps v1
    assert registry.indicators.default_id(TargetType.WEBSITE) == new_id  # new rounds get v2


def test_save_new_version_keeps_the_name_when_none_is_given(registry, website_v1):
    name = registry.indicators.get(website_v1).name
    rules = registry.indicators.rules(website_v1)
    first = registry.indicators.save_new_version(website_v1, rules)
    assert registry.indicators.get(first).name == name
    second = registry.indicators.save_new_version(website_v1, rules, "   ")
    assert registry.indicators.get(second).name == name


def test_an_older_version_saves_as_the_next_version_of_the_same_code(registry, website_v1):
    rules = registry.indicators.rules(website_v1)
    registry.indicators.save_new_version(website_v1, reweighted(rules, "W-D5", "4"))
    third = registry.indicators.save_new_version(website_v1, reweighted(rules, "W-D6", "1"))
    assert registry.indicators.get(third).version == 3
    assert versions(registry, WEBSITE) == [1, 2, 3]


def test_invalid_rules_are_refused_in_chinese_and_nothing_is_saved(registry, website_v1):
    rules = registry.indicators.rules(website_v1)
    items = tuple(
        dataclasses.replace(i, points_per=Decimal(20)) if i.code == "W-D4" else i
        for i in rules.indicators
    )  # cap 6 below points 20
    with pytest.raises(ValidationError, match="W-D4.*cap"):
        registry.indicators.save_new_version(
            website_v1, dataclasses.replace(rules, indicators=items)
        )
    with pytest.raises(NotFoundError, match="不存在"):
        registry.indicators.save_new_version(99999, rules)
    assert versions(registry, WEBSITE) == [1]


def test_save_as_new_set_makes_version_one_of_a_local_code(registry, website_v1):
    rules = reweighted(registry.indicators.rules(website_v1), "W-D10", "2")
    new_id = registry.indicators.save_as_new_set(
        website_v1, rules, " 通城县政府网站检查（本地） ", "local-tongcheng-website"
    )
    row = registry.indicators.get(new_id)
    assert (row.code, row.version, row.name, row.target_type, row.is_latest) == (
        "local-tongcheng-website",
        1,
        "通城县政府网站检查（本地）",
        TargetType.WEBSITE,
        True,
    )
    assert "复制自" in row.source and "国家" in row.source
    assert registry.indicators.rules(new_id) == rules
    assert versions(registry, WEBSITE) == [1]  # the national set is untouched
    # the local set has its own version line from now on
    later = registry.indicators.save_new_version(new_id, rules)
    assert registry.indicators.get(later).code == "local-tongcheng-website"
    assert registry.indicators.get(later).version == 2


@pytest.mark.parametrize(
    ("name", "code", "error", "field"),
    [
        ("本地规则", "local-xinxiang-2023-website", DuplicateError, "code"),  # shipped code
        ("本地规则", "tongcheng", ValidationError, "code"),  # no local- prefix
        ("本地规则", "local-通城", ValidationError, "code"),
        ("本地规则", "local-Tong Cheng", ValidationError, "code"),
        ("本地规则", "local-", ValidationError, "code"),
        ("  ", "local-tongcheng", ValidationError, "name"),
    ],
)
def test_save_as_new_set_refuses_bad_names_and_codes(
    registry, website_v1, name, code, error, field
):
    before = registry.indicators.list()
    with pytest.raises(error) as caught:
        registry.indicators.save_as_new_set(
            website_v1, registry.indicators.rules(website_v1), name, code
        )
    assert caught.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    assert registry.indicators.list() == before


def test_save_as_new_set_refuses_invalid_rules_and_unknown_base(registry, website_v1):
    rules = registry.indicators.rules(website_v1)
    veto_only = dataclasses.replace(rules, mode="veto_only")  # still has deduction items
    with pytest.raises(ValidationError, match="仅单项否决"):
        registry.indicators.save_as_new_set(website_v1, veto_only, "本地", "local-a")
    with pytest.raises(NotFoundError):
        registry.indicators.save_as_new_set(99999, rules, "本地", "local-a")
    assert "local-a" not in {row.code for row in registry.indicators.list()}
