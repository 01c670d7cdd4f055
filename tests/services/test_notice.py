"""通报 from a round's data: figures, problem groups, attachments, issuing, 整改通知书."""

import dataclasses
import re
import shutil
import subprocess
from datetime import date

import pytest

from app.domain.scoring import Finding
from app.errors import ConflictError, ValidationError
from app.services.dto import AccountInput, WebsiteInput
from app.vocab import Platform, WebsiteKind
from db.enums import RoundStatus
from tests.rounds import create_round

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


def make_round(registry, name, start, end, deadline=None):
    return create_round(registry, name, start, end, inspected=end, deadline=deadline)


@pytest.fixture
def county(registry):
    for name, unit, region, kind in [
        ("甲县人民政府网站", "甲县人民政府", "甲县", WebsiteKind.PORTAL),
        ("乙区人民政府网站", "乙区人民政府", "乙区", WebsiteKind.PORTAL),
        ("市民政局网站", "市民政局", "", WebsiteKind.DEPARTMENT),
        ("市退役军人事务局网站", "市退役军人事务局", "", WebsiteKind.DEPARTMENT),
    ]:
        registry.websites.create(
            WebsiteInput(name, unit, url=f"www.{abs(hash(name))}.gov.cn", kind=kind),
            create_unit=True,
        )
        if region:
            unit_id = registry.units.find_id(unit)
            row = registry.units.get(unit_id)
            from app.services.dto import UnitInput

            registry.units.update(unit_id, UnitInput(row.name, region=region, kind=row.kind))
    for platform, name, unit, region in [
        (Platform.WECHAT, "甲县民政", "甲县民政局", "甲县"),
        (Platform.WEIBO, "甲县发布", "甲县人民政府", "甲县"),
        (Platform.DOUYIN, "乙区融媒", "乙区人民政府", "乙区"),
    ]:
        registry.accounts.create(
            AccountInput(platform, name, unit, region=region), create_unit=True
        )
    return registry


def inspect(registry, round_id, failures):
    """Save every target: vetoes for the names in ``failures``, passed otherwise."""
    for t in registry.inspection.targets(round_id):
        rules = registry.inspection.checklist(t.id).rules
        veto = next(i for i in rules.indicators if i.part == "veto")
        registry.inspection.save(t.id, [Finding(veto.code)] if t.name in failures else [])
    return veto


def test_draft_figures_problems_and_attachments(county):
    r = county
    prev = make_round(r, "2026年第二季度", date(2026, 4, 1), date(2026, 6, 20), date(2026, 7, 10))
    inspect(r, prev, {"市民政局网站", "甲县民政"})
    item = next(i for i in r.rectification.list() if i.target_name == "市民政局网站")
    r.rectification.record_report(item.id, date(2026, 7, 5))
    r.rectification.record_recheck(item.id, date(2026, 7, 6), True)

    cur = make_round(r, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20), date(2026, 10, 20))
    inspect(r, cur, {"市退役军人事务局网站", "乙区融媒"})
    draft, facts = r.notices.draft(cur, today=date(2026, 9, 28))

    assert draft.title == "关于2026年第三季度全县政府网站与政务新媒体检查情况的通报"
    lines = draft.overview.splitlines()
    assert lines[0].startswith("（一）2026年第二季度通报问题整改情况。")
    assert "1个不合格政府网站和1个不合格政务新媒体" in lines[0]
    # the site reported on time; the account was fixed only as this round re-checked it
    assert lines[0].endswith("已全部完成整改，其中按期完成1个。")
    assert lines[1] == (
        "（二）政府网站检查情况。全县在运行的政府网站共4个，经检查，合格3个，不合格1个，"
        "合格率为75.0%。市退役军人事务局网站不合格。"
    )
    assert "在运行的3个政务新媒体" in lines[2] and "合格率为66.7%" in lines[2]
    assert "“乙区融媒”抖音" in lines[2]
    assert "市退役军人事务局网站" in draft.problems and "单项否决" in draft.problems
    assert "2026年10月20日前" in draft.closing

    doc = r.notices.document(draft, facts)
    titles = [a.title for a in doc.attachments]
    assert titles == [
        "2026年第三季度各县（区）政府网站检查情况",
        "2026年第三季度各部门政府网站检查情况",
        "2026年第三季度全县政务新媒体检查情况",
        "2026年第三季度检查不合格政务新媒体名单",
    ]
    county_rows = doc.attachments[0].rows
    assert [row[1] for row in county_rows] == ["甲县", "乙区"]
    assert county_rows[0][2:4] == ["100", "合格"]
    total = doc.attachments[2].rows[-1]
    assert total[1:6] == ["合计", "3", "2", "1", "66.7%"]
    assert doc.attachments[3].rows == [
        ["1", "乙区人民政府", "乙区融媒", "抖音", doc.attachments[3].rows[0][4]]
    ]
    assert doc.attachments[0].note == "注：数据采集时间2026年7月1日—9月20日"


def test_nothing_inspected_is_refused(county):
    cur = make_round(county, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20))
    with pytest.raises(ConflictError) as err:
        county.notices.draft(cur)
    assert "还没有任何检查结果" in err.value.message


@needs_poppler
def test_issue_finalises_the_round_and_keeps_the_file(county, tmp_path):
    r = county
    cur = make_round(r, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20), date(2026, 10, 20))
    inspect(r, cur, {"市退役军人事务局网站"})
    draft, facts = r.notices.draft(cur, today=date(2026, 9, 28))
    out = tmp_path / "通报.pdf"
    issued = r.notices.issue(cur, draft, out)

    assert r.rounds.get(cur).status is RoundStatus.FINALIZED
    assert issued.path.is_file() and issued.intact and issued.path.parent.name == "notices"
    assert issued.issued_on == date(2026, 9, 28)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for needle in ["市退役军人事务局网站", "合格率为75.0%", "甲县", "乙区", "—1—", "附件1"]:
        assert needle in flat
    assert all(i.notified_on == date(2026, 9, 28) for i in r.rectification.list())
    with pytest.raises(ConflictError):
        r.notices.issue(cur, draft, tmp_path / "again.pdf")
    with pytest.raises(ConflictError):
        r.inspection.save(r.inspection.targets(cur)[0].id, [])  # read-only now
    edited = dataclasses.replace(draft, title="印发后改的标题")
    with pytest.raises(ConflictError) as err:
        r.notices.save_draft(cur, edited)  # the issued text stays as issued
    assert "印发稿" in err.value.message
    with pytest.raises(ConflictError):
        r.notices.draft(cur, regenerate=True)
    assert r.notices.draft(cur)[0].title == draft.title

    with pytest.raises(ValidationError):
        r.notices.reopen_round(cur, "  ")
    r.notices.reopen_round(cur, "发现评分录入错误")
    events = r.notices.round_events(cur)
    assert [e.action for e in events] == ["定稿", "重新打开"]
    assert events[1].reason == "发现评分录入错误" and events[1].recorded_by == "测试员"
    assert r.notices.history(cur)[0].sha256 == issued.sha256


def test_issue_refuses_pending_targets_and_writes_nothing(county, tmp_path):
    cur = make_round(county, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20))
    first = county.inspection.targets(cur)[0]
    county.inspection.save(first.id, [])
    draft, _ = county.notices.draft(cur)
    with pytest.raises(ConflictError) as err:
        county.notices.issue(cur, draft, tmp_path / "x.pdf")
    assert "未检查" in err.value.message
    assert not (tmp_path / "x.pdf").exists() and county.notices.history() == []
    assert county.rounds.get(cur).status is RoundStatus.OPEN


def test_profile_validation_and_doc_numbers(county, tmp_path):
    from app.domain.notice_facts import OfficeProfile

    with pytest.raises(ValidationError) as err:
        county.notices.save_profile(OfficeProfile(issuer="", area="全县"))
    assert err.value.field == "issuer"
    with pytest.raises(ValidationError) as err:
        county.notices.save_profile(
            OfficeProfile(issuer="甲县人民政府办公室", doc_number_pattern="甲政办〔{year}〕")
        )
    assert err.value.field == "doc_number_pattern"
    county.notices.save_profile(
        OfficeProfile(
            issuer="甲县人民政府办公室",
            contact="张三",
            phone="0373-1234567",
            email="gk@example.cn",
            doc_number_pattern="甲政办〔{year}〕{n}号",
            next_number=31,
        )
    )
    cur = make_round(county, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20))
    inspect(county, cur, set())
    draft, _ = county.notices.draft(cur, today=date(2026, 9, 28))
    assert draft.doc_number == "甲政办〔2026〕31号" and draft.issuer == "甲县人民政府办公室"
    assert "张三" in draft.closing and "gk@example.cn" in draft.closing
    county.notices.issue(cur, draft, tmp_path / "n.pdf")
    assert county.notices.profile().next_number == 32


def test_edited_draft_is_remembered(county):
    cur = make_round(county, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20))
    inspect(county, cur, set())
    draft, _ = county.notices.draft(cur)
    draft.opening = "手工修改的开头。"
    county.notices.save_draft(cur, draft)
    again, _ = county.notices.draft(cur)
    assert again.opening == "手工修改的开头。"
    fresh, _ = county.notices.draft(cur, regenerate=True)
    assert fresh.opening != "手工修改的开头。"


def test_unit_notice_lists_the_units_problems(county):
    cur = make_round(
        county, "2026年第三季度", date(2026, 7, 1), date(2026, 9, 20), date(2026, 10, 20)
    )
    inspect(county, cur, {"甲县人民政府网站", "甲县发布"})
    doc = county.notices.unit_notice(cur, "甲县人民政府", today=date(2026, 9, 28))
    assert doc.recipients == "甲县人民政府："
    rows = doc.attachments[0].rows
    assert [row[1] for row in rows] == ["甲县人民政府网站", "“甲县发布”微博"]
    assert all(row[3] == "2026年10月20日" for row in rows)
    with pytest.raises(ConflictError):
        county.notices.unit_notice(cur, "市民政局")
