"""Rounds over the registry, the scored checklist, bulk pass, evidence and round statistics."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.scoring import Finding
from app.errors import ConflictError, DuplicateError, ValidationError
from app.services.dto import AccountInput, WebsiteInput
from app.services.rounds import RoundInput
from app.vocab import Platform, WebsiteKind
from db.enums import RoundKind, TargetState, TargetType


def round_input(registry, name="2023年第一季度", start=date(2023, 1, 1), end=date(2023, 3, 25)):
    return RoundInput(
        name=name,
        kind=RoundKind.QUARTERLY,
        window_start=start,
        window_end=end,
        website_set_id=registry.indicators.default_id(TargetType.WEBSITE),
        account_set_id=registry.indicators.default_id(TargetType.ACCOUNT),
        inspection_date=date(2023, 3, 28),
        report_deadline=date(2023, 4, 25),
    )


@pytest.fixture
def small(registry):
    """Two sites and three accounts with different lifecycles."""
    portal = registry.websites.create(
        WebsiteInput(
            "通城县人民政府网站",
            "通城县人民政府",
            url="www.tongcheng.gov.cn",
            kind=WebsiteKind.PORTAL,
        ),
        create_unit=True,
    )
    dept = registry.websites.create(
        WebsiteInput("通城县教育局网站", "县教育局", url="jyj.tongcheng.gov.cn"), create_unit=True
    )
    running = registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城教育", "县教育局", region="通城县")
    )
    closed_before = registry.accounts.create(AccountInput(Platform.WEIBO, "通城旧号", "县教育局"))
    registry.accounts.close(closed_before, date(2022, 12, 1), "注销")
    late_opened = registry.accounts.create(
        AccountInput(Platform.DOUYIN, "通城新号", "县教育局", opened_on=date(2023, 5, 1))
    )
    return {
        "portal": portal,
        "dept": dept,
        "running": running,
        "closed": closed_before,
        "late": late_opened,
    }


def test_builtin_indicator_sets_are_loaded_once(registry):
    sets = registry.indicators.list()
    codes = {(s.code, s.version) for s in sets}
    assert ("national-2019-website", 1) in codes and ("national-2019-account", 1) in codes
    assert registry.indicators.ensure_builtin() == 0  # second start adds nothing


def test_round_scope_is_what_runs_in_the_window(registry, small):
    round_id = registry.rounds.create(round_input(registry))
    names = {t.name for t in registry.inspection.targets(round_id)}
    assert names == {
        "通城县人民政府网站",
        "通城县教育局网站",
        "通城教育",
    }  # closed and later-opened left out
    row = registry.rounds.get(round_id)
    assert (row.total, row.checked) == (3, 0) and row.progress_text == "已检 0 / 3"
    assert registry.rounds.add_targets(round_id, [], [small["late"]]) == 1  # adjustable by hand
    assert registry.rounds.add_targets(round_id, [], [small["late"]]) == 0  # no duplicate


def test_round_input_errors(registry, small):
    with pytest.raises(ValidationError, match="早于开始日期") as err:
        registry.rounds.create(round_input(registry, start=date(2023, 3, 1), end=date(2023, 1, 1)))
    assert err.value.field == "window_end"
    registry.rounds.create(round_input(registry))
    with pytest.raises(DuplicateError, match="已存在"):
        registry.rounds.create(round_input(registry))


def test_round_without_targets_is_refused(registry):
    with pytest.raises(ValidationError, match="没有检查对象"):
        registry.rounds.create(round_input(registry))
    assert registry.rounds.list() == []


def test_checklist_scores_vetoes_and_deductions(registry, small):
    round_id = registry.rounds.create(round_input(registry))
    targets = {t.name: t for t in registry.inspection.targets(round_id)}
    portal = targets["通城县人民政府网站"]
    checklist = registry.inspection.checklist(portal.id)
    rules = checklist.rules
    assert rules.mode == "scored" and checklist.findings == {}
    deduction = next(i for i in rules.indicators if i.part == "deduction" and i.points_per)
    veto = next(i for i in rules.indicators if i.part == "veto")

    row = registry.inspection.save(portal.id, [Finding(deduction.code, 2)])
    expected = Decimal(100) - min(deduction.points_per * 2, deduction.cap or Decimal(100))
    assert row.state is TargetState.PASSED and row.score == expected
    assert row.problem_text.startswith(deduction.short_name + "-")

    row = registry.inspection.save(portal.id, [Finding(deduction.code, 2), Finding(veto.code)])
    assert row.state is TargetState.FAILED and row.score is None
    assert f"{veto.short_name}(单否)" in row.problem_text
    saved = registry.inspection.checklist(portal.id).findings
    assert set(saved) == {deduction.code, veto.code}

    row = registry.inspection.save(portal.id, [Finding(veto.code)], problem_text="手写的问题说明")
    assert row.problem_text == "手写的问题说明"
    assert registry.inspection.checklist(portal.id).problem_text_manual
    assert set(registry.inspection.checklist(portal.id).findings) == {veto.code}  # removed ones go

    with pytest.raises(ValidationError):
        registry.inspection.save(portal.id, [Finding(deduction.code, -1)])
    assert registry.inspection.target(portal.id).problem_text == "手写的问题说明"  # nothing changed


def test_accounts_are_veto_only_and_bulk_pass(registry, small):
    round_id = registry.rounds.create(round_input(registry))
    targets = {t.name: t for t in registry.inspection.targets(round_id)}
    account = targets["通城教育"]
    rules = registry.inspection.checklist(account.id).rules
    assert rules.mode == "veto_only"
    veto = rules.indicators[0]
    registry.inspection.save(account.id, [Finding(veto.code)])
    marked, skipped = registry.inspection.mark_passed([t.id for t in targets.values()])
    assert marked == 2 and skipped == ["通城教育"]
    states = {t.name: t.state for t in registry.inspection.targets(round_id)}
    assert states == {
        "通城县人民政府网站": TargetState.PASSED,
        "通城县教育局网站": TargetState.PASSED,
        "通城教育": TargetState.FAILED,
    }
    assert registry.rounds.get(round_id).progress_text == "已检 3 / 3"


def test_stats_and_pass_rates(registry, small):
    round_id = registry.rounds.create(round_input(registry))
    targets = registry.inspection.targets(round_id)
    registry.inspection.mark_passed([t.id for t in targets])
    stats = registry.stats.round_stats(round_id)
    assert stats.as_json()["websites"] == {
        "total": 2,
        "passed": 2,
        "failed": 0,
        "pass_rate": "100%",
    }
    assert stats.accounts.total == 1
    regions = {(r["region"], r["kind"]) for r in stats.as_json()["by_region"]}
    assert ("通城县", "accounts") in regions


def test_evidence_is_copied_with_its_hash(registry, small, tmp_path):
    import hashlib

    round_id = registry.rounds.create(round_input(registry))
    target = registry.inspection.targets(round_id)[0]
    shot = tmp_path / "截图 1.png"
    shot.write_bytes(b"\x89PNG fake screenshot")
    evidence = registry.inspection.attach_evidence(target.id, "W-V1", shot)
    assert evidence.sha256 == hashlib.sha256(shot.read_bytes()).hexdigest()
    assert evidence.path.read_bytes() == shot.read_bytes() and evidence.path != shot
    assert registry.inspection.checklist(target.id).evidence[0].file_name == "截图 1.png"
    registry.inspection.remove_evidence(evidence.id)
    assert not evidence.path.exists()


def test_inspected_records_cannot_be_deleted(registry, small):
    round_id = registry.rounds.create(round_input(registry))
    registry.inspection.mark_passed([t.id for t in registry.inspection.targets(round_id)])
    with pytest.raises(ConflictError, match="不能删除"):
        registry.accounts.delete(small["running"])
    registry.accounts.delete(small["late"])  # never in a round: fine


def test_pass_rate_counts_only_inspected_targets(registry, small):
    round_id = registry.rounds.create(round_input(registry))
    targets = registry.inspection.targets(round_id)
    assert registry.stats.round_stats(round_id).websites.pass_rate == "—"  # nothing checked yet
    site = next(t for t in targets if t.kind is TargetType.WEBSITE)
    veto = registry.inspection.checklist(site.id).rules.indicators[0]
    registry.inspection.save(site.id, [Finding(veto.code)])
    stats = registry.stats.round_stats(round_id)
    assert (stats.websites.total, stats.websites.failed, stats.websites.pass_rate) == (2, 1, "0%")
    registry.inspection.mark_passed([t.id for t in targets])
    assert registry.stats.round_stats(round_id).websites.pass_rate == "50.0%"


def test_missing_evidence_file_is_refused_and_nothing_recorded(registry, small, tmp_path):
    from app.errors import FileAccessError

    round_id = registry.rounds.create(round_input(registry))
    target = registry.inspection.targets(round_id)[0]
    with pytest.raises(FileAccessError, match="无法读取文件"):
        registry.inspection.attach_evidence(target.id, "W-V1", tmp_path / "不存在.png")
    assert registry.inspection.checklist(target.id).evidence == []
    assert not registry.inspection.evidence_dir.exists() or not any(
        registry.inspection.evidence_dir.rglob("*.*")
    )
