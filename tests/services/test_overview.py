"""总览 figures from a known dataset: three rounds, known verdicts, items with known dates.

The dataset is described in tests/services/overview_samples.py.
"""

from datetime import date

import pytest
from sqlalchemy import update

from app.domain.problems import problem_parts
from app.services.overview import (
    Attention,
    LinkKind,
    on_time_chart,
    pass_rate_chart,
    problem_units_chart,
    year_rate_chart,
)
from app.vocab import TargetType
from db.enums import RoundStatus
from db.models import Round
from tests.services.overview_samples import TODAY, build_world


@pytest.fixture
def world(registry):
    return build_world(registry)


def test_today_lists_what_needs_attention(registry, world):
    q1, q2, q3 = world["rounds"]
    today = registry.overview.today(TODAY)
    assert not today.registry_empty and today.round_count == 3
    assert today.current_round is not None and today.current_round.round_id == q3
    assert today.current_round.text == "已检 1 / 5"
    assert (today.current_round.passed, today.current_round.failed) == (1, 0)
    assert today.last_round == today.current_round

    counts = {c: today.count(c) for c in Attention}
    assert counts == {
        Attention.OVERDUE: 1,
        Attention.DUE_SOON: 1,
        Attention.UNFILED: 1,
        Attention.LATE_FILING: 1,
        Attention.ZOMBIE: 1,
        Attention.NOT_INSPECTED: 1,
    }
    by = {line.category: line for line in today.lines}
    overdue = by[Attention.OVERDUE]
    assert (overdue.name, overdue.unit_name, overdue.region) == (
        "红旗民政",
        "红旗区民政局",
        "红旗区",
    )
    assert overdue.detail.startswith("逾期 2 天（期限 2025-07-20）")
    assert overdue.link.kind is LinkKind.RECTIFICATION
    assert overdue.link.record_id == world["items"][("红旗民政", q2)]
    soon = by[Attention.DUE_SOON]
    assert soon.link.record_id == world["manual"] and soon.detail.startswith("2 天后到期")
    assert by[Attention.UNFILED].name == "卫滨教育"
    assert by[Attention.UNFILED].link.kind is LinkKind.ACCOUNT
    assert by[Attention.UNFILED].link.record_id == world["records"]["a2"]
    assert by[Attention.LATE_FILING].name == "卫滨发布" and "僵尸" in by[Attention.ZOMBIE].detail
    missed = by[Attention.NOT_INSPECTED]
    assert missed.name == "牧野区政务网" and missed.detail == "未列入「2025年第三季度」检查范围"
    assert missed.link.kind is LinkKind.WEBSITE
    assert missed.link.record_id == world["records"]["w3"]
    assert [(u.unit_name, u.overdue, u.due_soon, u.most_days_late) for u in today.by_unit] == [
        ("红旗区民政局", 1, 0, 2),
        ("卫滨区教育局", 0, 1, 0),
    ]


def test_a_finalized_last_round_lists_its_unchecked_targets(registry, world, db):
    q3 = world["rounds"][2]
    with db.session_factory.begin() as s:
        s.execute(update(Round).where(Round.id == q3).values(status=RoundStatus.FINALIZED))
    today = registry.overview.today(TODAY)
    assert today.current_round is None and today.last_round.finalized
    missed = [line for line in today.lines if line.category is Attention.NOT_INSPECTED]
    unchecked = {line.name: line.link for line in missed if line.link.kind is LinkKind.ROUND_TARGET}
    assert set(unchecked) == {"卫滨区人民政府网站", "红旗民政", "卫滨教育", "卫滨发布"}
    assert unchecked["红旗民政"].record_id == world["targets3"]["红旗民政"]
    assert unchecked["红旗民政"].round_id == q3


def test_pass_rate_per_round(registry, world):
    rates = registry.overview.round_rates()
    assert [r.name for r in rates] == ["2025年第一季度", "2025年第二季度", "2025年第三季度"]
    chart = pass_rate_chart(rates)
    assert chart.categories == ("2025年第一季度", "2025年第二季度", "2025年第三季度（未检完）")
    sites, accounts = chart.series
    assert (sites.name, accounts.name) == ("政府网站", "政务新媒体")
    assert sites.values == (50.0, 100.0, 100.0)
    assert sites.labels == ("50.0%", "100%", "100%")
    assert accounts.values == (pytest.approx(66.7), pytest.approx(33.3), None)
    assert accounts.labels == ("66.7%", "33.3%", "")
    assert not chart.is_empty
    assert pass_rate_chart(rates, limit=2).categories[0] == "2025年第二季度"


def test_pass_rate_by_region_for_a_round(registry, world):
    chart = registry.overview.region_chart(world["rounds"][0])
    assert chart.title == "2025年第一季度各县区合格率"
    assert chart.categories == ("卫滨区", "红旗区")  # sorted; 牧野区 has no target
    sites, accounts = chart.series
    assert sites.labels == ("100%", "0%") and sites.values == (100.0, 0.0)
    assert accounts.labels == ("50.0%", "100%")


def test_units_with_most_problems_over_the_last_rounds(registry, world):
    names, units = registry.overview.problem_units()
    assert names == ["2025年第一季度", "2025年第二季度", "2025年第三季度"]
    tally = {u.unit_name: (u.problems, u.failed, u.rounds_named) for u in units}
    assert tally == {
        "卫滨区人民政府": (3, 1, ("2025年第二季度",)),  # two deductions on W2, A3's veto
        "红旗区人民政府": (1, 1, ("2025年第一季度",)),
        "卫滨区教育局": (1, 1, ("2025年第一季度",)),
        "红旗区民政局": (1, 1, ("2025年第二季度",)),
    }
    assert units[0].unit_name == "卫滨区人民政府"
    chart = problem_units_chart(names, units)
    assert chart.title == "近3轮问题较多的单位" and not chart.percent
    assert chart.series[0].values[0] == 3.0 and chart.series[0].labels[0] == "3"
    _, only_last = registry.overview.problem_units(rounds=1)
    assert only_last == []  # the third round found nothing


def test_on_time_rate_per_round(registry, world):
    q1, q2, _ = world["rounds"]
    rows = registry.overview.on_time(TODAY)
    assert [(r.round_id, r.items, r.due, r.on_time, r.late, r.open_overdue) for r in rows] == [
        (q1, 4, 4, 1, 3, 0),  # W1 reported in time; W2's two fixed only by the next round; A2 late
        (q2, 2, 2, 0, 2, 2),  # both past 07-20 and not re-checked yet
    ]
    assert [r.rate for r in rows] == ["25.0%", "0%"]
    chart = on_time_chart(rows)
    assert chart.categories == ("2025年第一季度", "2025年第二季度")
    assert chart.series[0].values == (25.0, 0.0)
    # before the second round's deadline its items are not due yet and do not count
    early = registry.overview.on_time(date(2025, 7, 19))
    assert [(r.due, r.on_time) for r in early] == [(4, 1), (0, 0)]  # neither A1 nor A3 is due yet


def test_year_summary(registry, world):
    assert registry.overview.years() == [2025]
    summary = registry.overview.year_summary(2025, TODAY)
    assert [r.name for r in summary.rounds] == [
        "2025年第一季度",
        "2025年第二季度",
        "2025年第三季度",
    ]
    assert (summary.websites.total, summary.websites.passed, summary.websites.failed) == (6, 4, 1)
    assert summary.websites.pass_rate == "80.0%"
    assert (summary.accounts.passed, summary.accounts.failed, summary.accounts.pending) == (3, 3, 3)
    assert summary.accounts.pass_rate == "50.0%"
    names = world["names"]
    top = summary.problems[0]
    assert (top.kind, top.problem, top.times, top.units) == (
        TargetType.ACCOUNT,
        names["account_veto"],
        3,
        3,
    )
    assert {(p.problem, p.times) for p in summary.problems[1:]} == {
        (names["site_veto"], 1),
        (names["d1"], 1),
        (names["d2"], 1),
    }
    assert [u.unit_name for u in summary.units][:1] == ["卫滨区人民政府"]
    assert {u.unit_name for u in summary.units} == {
        "卫滨区人民政府",
        "红旗区人民政府",
        "卫滨区教育局",
        "红旗区民政局",
    }
    total = summary.rectification_total
    assert (total.items, total.due, total.on_time, total.rate) == (6, 6, 1, "16.7%")
    chart = year_rate_chart(summary)
    assert chart.title == "2025年各轮次合格率" and len(chart.categories) == 3
    assert registry.overview.year_summary(2024, TODAY).rounds == []


def test_empty_database(registry):
    today = registry.overview.today(TODAY)
    assert today.registry_empty and today.round_count == 0
    assert today.current_round is None and today.lines == [] and today.by_unit == []
    assert pass_rate_chart(registry.overview.round_rates()).is_empty
    assert registry.overview.on_time(TODAY) == []
    assert registry.overview.years() == []


def test_report_issuer_is_remembered(registry):
    assert registry.overview.report_issuer() == ""
    registry.overview.save_report_issuer(" 某某县人民政府办公室 ")
    registry.overview.save_report_issuer("卫辉市人民政府办公室")
    assert registry.overview.report_issuer() == "卫辉市人民政府办公室"


def test_problem_parts_of_main_problem_texts():
    assert problem_parts("没有咨询建言(单否);空白栏目-10") == ["没有咨询建言", "空白栏目"]
    assert problem_parts("咨询建言功能不全-13；空白栏目－2.5分\n咨询建言功能不全-1") == [
        "咨询建言功能不全",
        "空白栏目",
    ]
    assert problem_parts("无") == [] and problem_parts("") == []
    assert problem_parts("首页不更新（单否）") == ["首页不更新"]


def test_report_issuer_defaults_to_the_notice_office(registry):
    from app.domain.notice_facts import OfficeProfile

    registry.notices.save_profile(OfficeProfile(issuer="甲县人民政府办公室"))
    assert registry.overview.report_issuer() == "甲县人民政府办公室"
    registry.overview.save_report_issuer("甲县政务公开办")
    assert registry.overview.report_issuer() == "甲县政务公开办"
