"""Scoring rules of 国办秘函〔2019〕19号 and the 新乡 2023 Q1 local set."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.indicator_sets import indicator_set_from_dict
from app.domain.scoring import (
    Category,
    Finding,
    Indicator,
    RuleSet,
    ScoringError,
    compose_problem_text,
    format_score,
    score,
)

INDICATORS = Path(__file__).resolve().parents[2] / "resources" / "indicators"
D = Decimal


def load(code: str) -> RuleSet:
    doc = json.loads((INDICATORS / f"{code}.json").read_text(encoding="utf-8"))
    return indicator_set_from_dict(doc).rules


NATIONAL = load("national-2019-website")
ACCOUNTS = load("national-2019-account")
WEEKLY = load("local-weekly-update-account")
XINXIANG = load("local-xinxiang-2023-website")


def small_rules(**overrides) -> RuleSet:
    """A tiny scored set with known numbers, independent of the shipped data."""
    params = {
        "mode": "scored",
        "categories": (
            Category("甲类", D(10)),
            Category("服务类", D(25), services=True),
            Category("大类", D(50)),
            Category("加分", D(40)),
        ),
        "indicators": (
            Indicator("V1", "veto", "", "首页不更新", "首页不更新"),
            Indicator("V2", "veto", "", "互动回应差", "没有咨询建言"),
            Indicator("A1", "deduction", "甲类", "甲一", "甲一", points_per=D(2), cap=D(5)),
            Indicator("A2", "deduction", "甲类", "甲二", "甲二", points_per=D(6)),
            Indicator("S1", "deduction", "服务类", "服务一", "服务一", points_per=D(5)),
            Indicator("S2", "deduction", "服务类", "服务二", "服务二", cap=D(20)),
            Indicator("B1", "deduction", "大类", "大项", "大项", cap=D(50)),
            Indicator("P1", "bonus", "加分", "加分一", "加分一", cap=D(25)),
            Indicator("P2", "bonus", "加分", "加分二", "加分二", cap=D(25)),
        ),
    }
    params.update(overrides)
    return RuleSet(**params)


RULES = small_rules()


# --- vetoes ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", [i.code for i in NATIONAL.indicators if i.part == "veto"])
def test_every_national_website_veto_fails_without_score(code):
    result = score(NATIONAL, [Finding(code)], portal=True)
    assert not result.passed
    assert result.score is None
    assert result.vetoes == (code,)
    assert result.problem_text == NATIONAL.indicator(code).short_name + "(单否)"
    assert format_score(result.score) == "不合格"


def test_veto_count_above_one_is_just_present_and_zero_is_absent():
    assert score(RULES, [Finding("V1", count=3)]).vetoes == ("V1",)
    result = score(RULES, [Finding("V1", count=0)])
    assert result.passed and result.vetoes == () and result.score == RULES.base


def test_veto_text_comes_first_and_keeps_the_deductions():
    result = score(RULES, [Finding("A2"), Finding("V2")])
    assert result.vetoes == ("V2",)
    assert result.deductions == (("A2", D(6)),)
    assert result.problem_text == "没有咨询建言(单否);甲二-6"
    assert result.bonus == 0


def test_several_vetoes_in_indicator_order():
    result = score(RULES, [Finding("V2"), Finding("V1")])
    assert result.vetoes == ("V1", "V2")
    assert result.problem_text == "首页不更新(单否);没有咨询建言(单否)"


# --- deductions and caps ----------------------------------------------------------------


def test_nothing_found_scores_base_with_text_wu():
    result = score(RULES, [])
    assert result.passed and result.score == RULES.base
    assert result.deductions == () and result.problem_text == "无"


def test_count_times_points_per():
    a2 = RULES.indicator("A2")
    result = score(RULES, [Finding("A2", count=1)])
    assert result.score == RULES.base - a2.points_per


def test_indicator_cap():
    a1 = RULES.indicator("A1")
    expected = min(4 * a1.points_per, a1.cap)
    assert expected < 4 * a1.points_per  # the cap really bites
    result = score(RULES, [Finding("A1", count=4)])
    assert result.deductions == (("A1", expected),)
    assert result.score == RULES.base - expected


def test_category_cap_takes_indicators_in_order():
    cap = RULES.category("甲类").points
    a1 = RULES.indicator("A1")
    first = min(2 * a1.points_per, a1.cap)
    second = min(2 * RULES.indicator("A2").points_per, cap - first)
    result = score(RULES, [Finding("A2", count=2), Finding("A1", count=2)])
    assert result.deductions == (("A1", first), ("A2", second))
    assert first + second == cap
    assert result.score == RULES.base - cap


def test_findings_with_one_code_add_up_before_the_cap():
    a1 = RULES.indicator("A1")
    result = score(RULES, [Finding("A1", count=1), Finding("A1", count=2)])
    assert result.deductions == (("A1", min(3 * a1.points_per, a1.cap)),)


def test_deduction_capped_to_zero_shows_short_name_only():
    result = score(RULES, [Finding("A2", count=2), Finding("A1", count=0), Finding("A1")])
    # A1 comes first: 2; A2 then gets the rest of 10
    assert result.deductions == (("A1", D(2)), ("A2", D(8)))
    full = score(RULES, [Finding("A1", count=3), Finding("A2", count=2)])
    assert full.deductions == (("A1", D(5)), ("A2", D(5)))
    three = RuleSet(
        mode="scored",
        categories=(Category("甲类", D(5)),),
        indicators=(
            Indicator("X1", "deduction", "甲类", "一", "一", points_per=D(5)),
            Indicator("X2", "deduction", "甲类", "二", "二", points_per=D(1)),
        ),
    )
    capped = score(three, [Finding("X1"), Finding("X2")])
    assert capped.deductions == (("X1", D(5)), ("X2", D(0)))
    assert capped.problem_text == "一-5;二"


def test_manual_points_and_decimal_text():
    result = score(RULES, [Finding("B1", points=D("2.5"))])
    assert result.score == D("97.5")
    assert result.problem_text == "大项-2.5"
    assert format_score(result.score) == "97.5"


def test_manual_points_override_points_per():
    result = score(RULES, [Finding("A2", points=D(3))])
    assert result.deductions == (("A2", D(3)),)


def test_deductions_listed_in_indicator_order_not_entry_order():
    result = score(RULES, [Finding("B1", points=D(1)), Finding("A2")])
    assert [code for code, _ in result.deductions] == ["A2", "B1"]
    assert result.problem_text == "甲二-6;大项-1"


# --- pass mark ----------------------------------------------------------------------------


def test_exactly_sixty_passes():
    points = RULES.base - RULES.pass_mark
    result = score(RULES, [Finding("B1", points=points)])
    assert result.score == RULES.pass_mark and result.passed


def test_below_sixty_fails_but_keeps_its_score():
    points = RULES.base - RULES.pass_mark + D("0.5")
    result = score(RULES, [Finding("B1", points=points)])
    assert result.score == D("59.5") and not result.passed
    assert format_score(result.score) == "59.5"


# --- bonus --------------------------------------------------------------------------------


def test_no_bonus_at_exactly_eighty():
    points = RULES.base - RULES.bonus_after
    result = score(RULES, [Finding("B1", points=points), Finding("P1", points=D(5))], portal=True)
    assert result.bonus == 0 and result.score == RULES.bonus_after


def test_bonus_above_eighty_on_a_portal():
    deducted = RULES.base - RULES.bonus_after - D("0.5")
    result = score(RULES, [Finding("B1", points=deducted), Finding("P1", points=D(5))], portal=True)
    assert result.bonus == D(5)
    assert result.score == RULES.base - deducted + 5
    assert result.problem_text == "大项-19.5"  # bonus is never shown


def test_bonus_capped_and_final_can_exceed_base():
    result = score(RULES, [Finding("P1", points=D(25)), Finding("P2", points=D(10))], portal=True)
    assert result.bonus == RULES.bonus_cap
    assert result.score == RULES.base + RULES.bonus_cap
    assert format_score(result.score) == "130"


def test_bonus_on_department_site_is_an_error():
    with pytest.raises(ScoringError, match="门户"):
        score(RULES, [Finding("P1", points=D(5))], portal=False)


def test_bonus_for_any_site_when_not_portal_only():
    rules = small_rules(bonus_portal_only=False)
    assert score(rules, [Finding("P1", points=D(5))]).score == rules.base + 5


def test_bonus_count_zero_is_no_bonus_even_on_a_department_site():
    assert score(RULES, [Finding("P1", count=0)]).score == RULES.base


# --- sites without services ---------------------------------------------------------------


def test_no_services_scales_75_minus_15_to_80():
    deducted = D(15)
    result = score(RULES, [Finding("B1", points=deducted)], no_services=True)
    expected = (RULES.no_service_base - deducted) * RULES.base / RULES.no_service_base
    assert expected == 80
    assert result.score == expected and result.passed


def test_no_services_ignores_service_findings():
    findings = [Finding("S1"), Finding("S2", points=D(20)), Finding("B1", points=D(15))]
    result = score(RULES, findings, no_services=True)
    assert result.score == 80
    assert result.deductions == (("B1", D(15)),)
    assert result.problem_text == "大项-15"
    # the same findings on a site with services count in full
    with_services = score(RULES, findings)
    assert with_services.score == RULES.base - 5 - 20 - 15


def test_no_services_rounds_at_the_end_only():
    result = score(RULES, [Finding("B1", points=D(1))], no_services=True)
    # (75 − 1) × 100 / 75 = 98.666… → 98.7
    assert result.score == D("98.7")
    fail = score(RULES, [Finding("B1", points=D(31))], no_services=True)
    # (75 − 31) × 4/3 = 58.67 → fail; (75 − 30) × 4/3 = 60 → pass
    assert fail.score == D("58.7") and not fail.passed
    assert score(RULES, [Finding("B1", points=D(30))], no_services=True).passed


def test_rounding_is_half_up():
    rules = small_rules(no_service_base=D(80))
    # (80 − 0.6) × 100 / 80 = 99.25 → 99.3 (banker's rounding would give 99.2)
    assert score(rules, [Finding("B1", points=D("0.6"))], no_services=True).score == D("99.3")


def test_format_score():
    assert format_score(D(87)) == "87"
    assert format_score(D("87.0")) == "87"
    assert format_score(D("87.5")) == "87.5"
    assert format_score(D("87.25")) == "87.3"
    assert format_score(None) == "不合格"


# --- veto-only accounts -------------------------------------------------------------------


@pytest.mark.parametrize("rules", [ACCOUNTS, WEEKLY], ids=["national", "weekly"])
def test_accounts_pass_without_veto_and_have_no_score(rules):
    result = score(rules, [])
    assert result.passed and result.score is None and result.problem_text == "无"


@pytest.mark.parametrize("code", [i.code for i in WEEKLY.indicators])
def test_each_account_veto_fails(code):
    result = score(WEEKLY, [Finding(code)])
    assert not result.passed and result.score is None
    assert result.problem_text == WEEKLY.indicator(code).short_name + "(单否)"


def test_account_short_names():
    assert ACCOUNTS.mode == "veto_only"
    assert ACCOUNTS.indicator("M-V2").short_name == "2周内无更新"
    assert ACCOUNTS.indicator("M-V3").short_name == "互动回应差"
    assert "未按要求每周更新" in {i.short_name for i in WEEKLY.indicators}


def test_veto_only_ignores_deduction_items():
    rules = RuleSet(
        mode="veto_only",
        indicators=(
            Indicator("M-V2", "veto", "", "内容不更新", "2周内无更新"),
            Indicator("L-D1", "deduction", "本地", "商业广告", "商业广告", points_per=D(5)),
        ),
    )
    result = score(rules, [Finding("L-D1", count=2)])
    assert result.passed and result.deductions == () and result.problem_text == "无"
    result = score(rules, [Finding("L-D1"), Finding("M-V2")])
    assert not result.passed and result.problem_text == "2周内无更新(单否)"


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finding", "words"),
    [
        (Finding("ZZ-9"), "ZZ-9"),
        (Finding("A1", count=-1), "负数"),
        (Finding("V1", count=-1), "负数"),
        (Finding("B1"), "分值"),
        (Finding("B1", points=D(-1)), "负数"),
        (Finding("B1", points=D(51)), "上限"),
        (Finding("S2", points=D(21)), "上限"),
        (Finding("A2", points=D(11)), "上限"),  # no indicator cap: the category's 10
    ],
)
def test_scoring_errors_name_the_indicator(finding, words):
    with pytest.raises(ScoringError) as info:
        score(RULES, [finding], portal=True)
    assert words in str(info.value)
    known = {i.code: i for i in RULES.indicators}
    if finding.code in known:  # named as the checklist shows it; codes mean nothing to a clerk
        assert f"「{known[finding.code].name}」" in str(info.value)
        assert finding.code not in str(info.value)
    else:
        assert finding.code in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_indicator_lookup_is_a_chinese_key_error():
    with pytest.raises(KeyError, match="没有指标"):
        RULES.indicator("nope")


def test_compose_problem_text_directly():
    assert compose_problem_text(RULES, (), ()) == "无"
    assert compose_problem_text(RULES, (("A1", D(4)),), ("V1",)) == "首页不更新(单否);甲一-4"


# --- national 2019 set --------------------------------------------------------------------


def test_national_confirmed_items():
    for code, expected in (("W-D1", 5), ("W-D2", 2), ("W-D3", 3)):
        item = NATIONAL.indicator(code)
        assert item.points_per == expected and item.confirmed
        assert score(NATIONAL, [Finding(code)]).score == NATIONAL.base - expected


def test_national_department_site_without_services():
    d1 = NATIONAL.indicator("W-D1").points_per
    result = score(NATIONAL, [Finding("W-D1"), Finding("W-D2")], no_services=True)
    expected = (NATIONAL.no_service_base - d1) * NATIONAL.base / NATIONAL.no_service_base
    assert result.score == expected.quantize(D("0.1"))
    assert result.problem_text == "政策文件不更新-5"


def test_national_bonus_on_portal():
    result = score(NATIONAL, [Finding("W-B1", points=D(4))], portal=True)
    assert result.score == NATIONAL.base + 4


# --- 新乡 2023 Q1 rows (附件1 / 附件2), text and score exactly as published ---------------

XX_ROWS = [
    ("红旗区", [Finding("XX-D10", points=D(13))], "87", "咨询建言功能不全-13"),
    ("市发改委", [Finding("XX-D2")], "94", "历史信件展示、统计-6"),
    ("市粮食和储备局", [Finding("XX-D10", points=D(10))], "90", "咨询建言功能不全-10"),
    ("市水利局", [Finding("XX-D11", points=D(10))], "90", "咨询建言-10"),
    (
        "市体育局",
        [Finding("XX-D9"), Finding("XX-D5", points=D(5))],
        "89",
        "政务服务链接-5;信箱、调查征集-6",
    ),
    (
        "市城管局",
        [Finding("XX-D4", points=D(3)), Finding("XX-D3"), Finding("XX-D2")],
        "84",
        "历史信件展示、统计-6;意见征集不更新-7;政务服务-3",
    ),
    (
        "市资源规划局",
        [Finding("XX-D8"), Finding("XX-D7", points=D(10))],
        "84",
        "办事服务链接-10;在线信访、办事大厅-6",
    ),
    (
        "市退役军人局",
        [Finding("XX-D1"), Finding("W-V5a")],
        "不合格",
        "没有咨询建言(单否);空白栏目-10",
    ),
    (
        "市民政局",
        [Finding("XX-D6", points=D(10)), Finding("XX-V1")],
        "不合格",
        "首页布局混乱(单否);政务服务链接错误-10",
    ),
    ("长垣市", [], "100", "无"),
]


@pytest.mark.parametrize(
    ("unit", "findings", "published_score", "published_text"),
    XX_ROWS,
    ids=[row[0] for row in XX_ROWS],
)
def test_xinxiang_rows_reproduced(unit, findings, published_score, published_text):
    result = score(XINXIANG, findings)
    assert format_score(result.score) == published_score
    assert result.problem_text == published_text
    assert result.passed == (published_score != "不合格")
