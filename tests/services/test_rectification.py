"""整改 tracker: items from findings, by hand, their lifecycle, re-check by the next round."""

from datetime import date, timedelta

import pytest

from app.domain.deadlines import Urgency, add_working_days
from app.domain.scoring import Finding
from app.errors import ConflictError, ValidationError
from app.services.rectification import ItemInput, TrackerCounts, mark_round_notified
from app.services.rectification_sync import Term
from db.enums import RectificationSource, RectificationStatus, TargetType
from tests.rounds import create_round, hongqi_round

Status = RectificationStatus


def make_round(registry, name, start, end, *, inspected, deadline=None):
    return create_round(registry, name, start, end, inspected=inspected, deadline=deadline)


@pytest.fixture
def world(registry):
    return hongqi_round(registry)


def items_of(registry, round_id):
    return [r for r in registry.rectification.list() if r.round_id == round_id]


def test_findings_become_items_once_and_follow_edits(registry, world):
    site = world["targets"]["红旗区人民政府网站"]
    veto, deduction = world["veto"], world["deduction"]
    registry.inspection.save(site.id, [Finding(veto.code), Finding(deduction.code, 2)])
    registry.inspection.save(site.id, [Finding(veto.code), Finding(deduction.code, 3)])
    rows = items_of(registry, world["round"])
    assert sorted(r.indicator_code for r in rows) == sorted([veto.code, deduction.code])
    by_code = {r.indicator_code: r for r in rows}
    assert by_code[veto.code].problem_text == f"{veto.short_name}(单否)"
    assert by_code[deduction.code].problem_text.startswith(f"{deduction.short_name}-")
    first = by_code[veto.code]
    assert first.unit_names == ("红旗区人民政府",) and first.status is Status.OPEN
    assert first.found_on == date(2025, 9, 26) and first.deadline == date(2025, 10, 20)
    assert first.auto and first.target_name == "红旗区人民政府网站"

    registry.inspection.save(site.id, [Finding(veto.code)])  # deduction withdrawn before notice
    assert [r.indicator_code for r in items_of(registry, world["round"])] == [veto.code]


def test_notified_items_survive_a_withdrawn_finding(registry, world, db):
    site = world["targets"]["红旗区人民政府网站"]
    registry.inspection.save(site.id, [Finding(world["veto"].code)])
    with db.session_factory.begin() as s:
        assert mark_round_notified(s, world["round"], date(2025, 10, 1), "测试员") == 1
    registry.inspection.save(site.id, [])
    rows = items_of(registry, world["round"])
    assert len(rows) == 1 and rows[0].notified_on == date(2025, 10, 1)
    with pytest.raises(ConflictError):
        registry.rounds.delete(world["round"])


def test_default_term_in_working_days_when_the_round_names_no_deadline(registry, world):
    r2 = make_round(
        registry, "国庆检查", date(2025, 9, 1), date(2025, 9, 25), inspected=date(2025, 9, 26)
    )
    registry.rectification.set_default_term(Term(5, True))
    account = next(t for t in registry.inspection.targets(r2) if t.name == "红旗民政")
    veto = registry.inspection.checklist(account.id).rules.indicators[0]
    registry.inspection.save(account.id, [Finding(veto.code)])
    (row,) = items_of(registry, r2)
    assert row.deadline == date(2025, 10, 10)  # 28 Sep worked, 1–8 Oct off
    assert row.deadline_text == "2025-10-10（5个工作日）"


def test_lifecycle_report_recheck_close_with_history(registry, world, tmp_path):
    site = world["targets"]["红旗区人民政府网站"]
    registry.inspection.save(site.id, [Finding(world["veto"].code)])
    (item,) = items_of(registry, world["round"])
    svc = registry.rectification

    with pytest.raises(ValidationError) as err:
        svc.close(item.id, date(2025, 10, 5))
    assert err.value.field == "closed_on" and "复查" in err.value.message

    report = tmp_path / "整改报告.pdf"
    report.write_bytes(b"%PDF-1.4 report")
    svc.record_report(item.id, date(2025, 10, 15), "已增加咨询建言栏目", report)
    with pytest.raises(ValidationError) as err:
        svc.record_recheck(item.id, date(2025, 10, 14), True)
    assert err.value.field == "recheck_on"
    svc.record_recheck(item.id, date(2025, 10, 18), True, "栏目已开通")
    svc.close(item.id, date(2025, 10, 19))

    detail = svc.get(item.id)
    assert detail.row.status is Status.PASSED and detail.row.closed_on == date(2025, 10, 19)
    assert detail.row.report_path is not None and detail.row.report_path.read_bytes() == (
        b"%PDF-1.4 report"
    )
    assert detail.row.fixed_on == date(2025, 10, 15)
    steps = [(e.from_status, e.to_status, e.event_date) for e in detail.events]
    assert steps == [
        ("", "待整改", date(2025, 9, 26)),
        ("待整改", "已报送整改情况", date(2025, 10, 15)),
        ("已报送整改情况", "复查通过", date(2025, 10, 18)),
        ("", "", date(2025, 10, 19)),
    ]
    assert all(e.recorded_by == "测试员" for e in detail.events)
    with pytest.raises(ValidationError):
        svc.record_report(item.id, date(2025, 10, 20))  # closed: nothing more to report


def test_manual_items_validation_and_units(registry, world):
    svc = registry.rectification
    base = dict(
        unit_names=["红旗区民政局", "红旗区人民政府"],
        problem_text="政策解读栏目未按要求发布解读材料",
        found_on=date(2025, 11, 3),
        source=RectificationSource.PROVINCE,
        source_note="省政府办公厅第三季度抽查",
    )
    with pytest.raises(ValidationError) as err:
        svc.create(ItemInput(**base, deadline=date(2025, 11, 2)))
    assert err.value.field == "deadline" and "早于发现日期" in err.value.message
    with pytest.raises(ValidationError) as err:
        svc.create(ItemInput(**{**base, "unit_names": ["不存在的局"]}, deadline_days=10))
    assert err.value.field == "units" and "不存在的局" in err.value.message
    with pytest.raises(ValidationError):
        svc.create(ItemInput(**{**base, "unit_names": []}, deadline_days=10))
    assert svc.list() == []  # nothing half-saved

    item_id = svc.create(ItemInput(**base, deadline_days=10, working_days=False))
    row = svc.get(item_id).row
    assert row.unit_names == ("红旗区民政局", "红旗区人民政府")
    assert row.deadline == date(2025, 11, 13) and row.target_kind is None
    assert row.source is RectificationSource.PROVINCE
    svc.delete(item_id)
    assert svc.list() == []


def test_overdue_due_soon_counts_and_reminders(registry, world):
    svc = registry.rectification
    today = date(2026, 11, 24)

    def add(unit, deadline):
        return svc.create(
            ItemInput([unit], f"问题{deadline}", found_on=date(2026, 11, 1), deadline=deadline)
        )

    late = add("红旗区民政局", today - timedelta(days=1))
    add("红旗区民政局", today + timedelta(days=3))
    add("红旗区人民政府", today + timedelta(days=10))
    reported = add("红旗区人民政府", today - timedelta(days=5))
    svc.record_report(reported, date(2026, 11, 2))

    counts = svc.counts(today)
    assert (counts.waiting, counts.overdue, counts.due_soon, counts.reported) == (3, 1, 1, 1)
    assert counts.tab_text == "整改（1 逾期）"
    assert counts.line == "待整改 3 · 逾期 1 · 3天内到期 1 · 待复查 1"
    assert TrackerCounts.of(svc.list(today)) == counts
    reminders = svc.reminders(today)
    assert [(r.unit_name, [i.id for i in r.items]) for r in reminders] == [("红旗区民政局", [late])]
    assert svc.get(late, today).row.days_late(today) == 1
    assert svc.get(late, today).row.urgency is Urgency.OVERDUE


def test_next_round_rechecks_open_items(registry, world):
    site = world["targets"]["红旗区人民政府网站"]
    veto, deduction = world["veto"], world["deduction"]
    registry.inspection.save(site.id, [Finding(veto.code), Finding(deduction.code, 1)])
    r2 = make_round(
        registry,
        "2025年第四季度",
        date(2025, 10, 1),
        date(2025, 12, 20),
        inspected=date(2025, 12, 22),
    )
    site2 = next(t for t in registry.inspection.targets(r2) if t.name == site.name)
    open_items = registry.rectification.for_record(TargetType.WEBSITE, site2.record_id, r2)
    assert {i.indicator_code for i in open_items} == {veto.code, deduction.code}

    registry.inspection.save(site2.id, [Finding(deduction.code, 1)])  # veto fixed
    by_code = {r.indicator_code: r for r in items_of(registry, world["round"])}
    assert by_code[veto.code].status is Status.PASSED
    assert by_code[veto.code].recheck_round_name == "2025年第四季度"
    assert by_code[veto.code].recheck_on == date(2025, 12, 22)
    assert by_code[deduction.code].status is Status.FAILED

    registry.inspection.reset(site2.id)  # the second round's verdict withdrawn
    by_code = {r.indicator_code: r for r in items_of(registry, world["round"])}
    assert by_code[veto.code].status is Status.OPEN and by_code[veto.code].recheck_on is None
    history = registry.rectification.get(by_code[veto.code].id).events
    assert [e.to_status for e in history] == ["待整改", "复查通过", "待整改"]


def test_round_summary_for_the_next_notice(registry, world):
    site = world["targets"]["红旗区人民政府网站"]
    account = world["targets"]["红旗民政"]
    registry.inspection.save(site.id, [Finding(world["veto"].code)])
    veto_a = registry.inspection.checklist(account.id).rules.indicators[0]
    registry.inspection.save(account.id, [Finding(veto_a.code)])
    rows = {r.target_name: r for r in items_of(registry, world["round"])}
    svc = registry.rectification
    svc.record_report(rows["红旗区人民政府网站"].id, date(2025, 10, 25))  # after 10-20
    svc.record_recheck(rows["红旗区人民政府网站"].id, date(2025, 10, 26), True)

    summary = svc.round_summary(world["round"])
    assert summary.round_name == "2025年第三季度"
    w, a = summary.websites, summary.accounts
    assert (w.failed, w.fixed, w.fixed_on_time, w.still_open) == (1, 1, 0, 0)
    assert (a.failed, a.fixed, a.still_open, a.open_names) == (1, 0, 1, ("红旗民政",))


def test_unit_history_shows_repeated_problems(registry, world):
    site = world["targets"]["红旗区人民政府网站"]
    registry.inspection.save(site.id, [Finding(world["veto"].code)])
    r2 = make_round(
        registry,
        "2025年第四季度",
        date(2025, 10, 1),
        date(2025, 12, 20),
        inspected=date(2025, 12, 22),
    )
    site2 = next(t for t in registry.inspection.targets(r2) if t.name == site.name)
    registry.inspection.save(site2.id, [Finding(world["veto"].code)])
    history = registry.rectification.unit_history("红旗区人民政府")
    assert len(history.items) == 2
    assert history.rounds_named == ("2025年第三季度", "2025年第四季度")
    (repeat,) = history.repeats
    assert repeat.times == 2 and repeat.problem == world["veto"].name


def test_add_working_days_agrees_with_service_preview(registry):
    preview = registry.rectification.compute_deadline(date(2025, 9, 26), 5, True)
    assert preview == add_working_days(date(2025, 9, 26), 5)
