"""修改记录: every change of a registry record, a checklist or a 整改 item, with who and when,
written in the same transaction as the change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from app.domain.scoring import Finding
from app.errors import ValidationError
from app.services.audit import field_label
from app.services.dto import AccountInput, UnitInput, WebsiteInput
from app.services.rectification import ItemInput
from app.services.registry import current_user
from app.services.registry_import import apply_import, plan_import
from app.vocab import Platform
from db.audit import AUDITED, SKIPPED
from db.models import AuditEntry, Website
from tests.services.test_rectification import make_round, world  # noqa: F401 (fixture)
from tests.services.test_registry_import import write_list
from tests.test_cli import run


def entries(registry) -> int:
    with registry.db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def changes(rows) -> list[tuple[str, str, str, str]]:
    return [(r.action, r.field, r.old_value, r.new_value) for r in rows]


def site(registry, name="通城县人民政府网站", url="www.tongcheng.gov.cn") -> int:
    return registry.websites.create(WebsiteInput(name, "通城县人民政府", url=url), create_unit=True)


def test_a_website_edit_shows_old_and_new_url_with_the_user(registry):
    site_id = site(registry)
    registry.websites.update(
        site_id, WebsiteInput("通城县人民政府网站", "通城县人民政府", url="www.tc.gov.cn")
    )
    newest, *_, created = registry.audit.for_record("website", site_id)
    assert (newest.action, newest.field) == ("修改", "网址")
    assert (newest.old_value, newest.new_value) == ("www.tongcheng.gov.cn", "www.tc.gov.cn")
    assert newest.user == "测试员" and newest.at.date() == date.today()
    assert (created.action, created.field) == ("新增", "整条记录")
    assert "网站名称：通城县人民政府网站" in created.new_value
    assert "主办单位：通城县人民政府" in created.new_value  # the unit's name, not its id
    assert "url_key" not in created.new_value


def test_an_account_status_change_and_a_new_unit_show_labels(registry):
    account = registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城发布", "县委宣传部"), create_unit=True
    )
    registry.accounts.close(account, date(2025, 3, 1), "责令关停")
    registry.accounts.update(
        account, AccountInput(Platform.WECHAT, "通城发布", "县融媒体中心"), create_unit=True
    )
    assert changes(registry.audit.for_record("account", account)[:3]) == [
        ("修改", "主办单位", "县委宣传部", "县融媒体中心"),
        ("修改", "关停日期", "（空）", "2025-03-01"),
        ("修改", "状态", "运行", "关停"),
    ]


def test_a_failed_service_call_leaves_no_entries(registry):
    unit = registry.units.create(UnitInput(name="县档案馆"))
    before = entries(registry)
    with pytest.raises(ValidationError):
        registry.units.update(unit, UnitInput(name="县档案局", email="不是邮箱"))
    assert entries(registry) == before
    assert registry.units.get(unit).name == "县档案馆"


def test_an_aborted_transaction_takes_its_entries_with_it(registry):
    site_id = site(registry)
    before = entries(registry)
    with pytest.raises(RuntimeError), registry.db.session_factory.begin() as s:
        s.get(Website, site_id).icp = "鄂ICP备05003310号"
        s.flush()
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
        raise RuntimeError("power cut")
    assert entries(registry) == before
    assert [r.action for r in registry.audit.for_record("website", site_id)] == ["新增"]


def test_checklist_saves_are_recorded_under_the_target(registry, world):  # noqa: F811
    target = world["targets"]["红旗区人民政府网站"]
    veto, deduction = world["veto"], world["deduction"]
    registry.inspection.save(target.id, [Finding(veto.code), Finding(deduction.code, 2)])
    registry.inspection.save(target.id, [Finding(deduction.code, 3, note="首页")])
    rows = changes(registry.audit.for_record("round_target", target.id))
    veto_item, deduction_item = f"检查项「{veto.name}」", f"检查项「{deduction.name}」"
    assert ("修改", "检查结果", "未检", "不合格") in rows
    assert ("删除", veto_item, "次数：1", "") in rows
    assert ("新增", deduction_item, "", "次数：2") in rows
    assert ("修改", f"{deduction_item}·次数", "2", "3") in rows
    assert ("修改", f"{deduction_item}·说明", "（空）", "首页") in rows
    score = next(r for r in rows if r[1] == "评分")
    assert score[2] == "（空）" and score[3]
    created = rows[-1]
    assert created[:2] == ("新增", "整条记录") and "检查轮次：2025年第三季度" in created[3]


def test_rectification_steps_and_units_are_recorded_under_the_item(registry, world):  # noqa: F811
    registry.units.create(UnitInput(name="红旗区政务服务中心"))
    item = registry.rectification.create(
        ItemInput(
            unit_names=["红旗区人民政府", "红旗区政务服务中心"],
            problem_text="网站无障碍功能缺失",
            found_on=date(2025, 10, 8),
            deadline=date(2025, 11, 8),
        )
    )
    registry.rectification.record_report(item, date(2025, 10, 20), "已整改")
    rows = changes(registry.audit.for_record("rectification_item", item))
    assert set(rows[:3]) == {
        ("修改", "报送说明", "（空）", "已整改"),
        ("修改", "报送日期", "（空）", "2025-10-20"),
        ("修改", "状态", "待整改", "已报送整改情况"),
    }
    assert ("新增", "责任单位", "", "红旗区人民政府（牵头单位）") in rows
    assert ("新增", "责任单位", "", "红旗区政务服务中心") in rows
    assert any(r[1] == "整条记录" and "问题：网站无障碍功能缺失" in r[3] for r in rows)


def test_a_deleted_unit_keeps_its_record_and_a_reused_id_starts_afresh(registry):
    unit = registry.units.create(UnitInput(name="县档案馆", region="通城县"))
    registry.units.delete(unit)
    deleted, _created = registry.audit.for_record("unit", unit)
    assert (deleted.action, deleted.field, deleted.new_value) == ("删除", "整条记录", "")
    assert "单位名称：县档案馆；所属县区：通城县" in deleted.old_value
    again = registry.units.create(UnitInput(name="县地方志办"))
    assert again == unit  # SQLite hands the freed id out again …
    (only,) = registry.audit.for_record("unit", again)  # … but not the old record's history
    assert "县地方志办" in only.new_value


def test_an_import_records_one_entry_per_new_record(registry, tmp_path):
    plan = plan_import(registry, write_list(tmp_path / "清单.xlsx"))
    apply_import(registry, plan, skip_bad_rows=False)
    account = next(a for a in registry.accounts.list() if a.name == "通城司法")
    (created,) = registry.audit.for_record("account", account.id)
    assert created.action == "新增" and created.user == "测试员"
    assert "账号名称：通城司法" in created.new_value and "主办单位：县司法局" in created.new_value


def test_the_command_line_records_the_os_user(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    path = write_list(tmp_path / "清单.xlsx")
    result = run("--db", str(db_path), "import-registry", str(path), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    from app.database import open_database

    db = open_database(db_path)
    try:
        with db.session_factory() as s:
            users = set(s.scalars(select(AuditEntry.user)))
    finally:
        db.close()
    assert users == {current_user()}


def test_unknown_kind_is_a_programming_error(registry):
    with pytest.raises(ValueError):
        registry.audit.for_record("evidence", 1)


def test_every_audited_column_has_a_chinese_label():
    unlabelled = [
        f"{model.__tablename__}.{attr.key}"
        for model, spec in AUDITED.items()
        for attr in inspect(model).column_attrs
        if attr.key not in SKIPPED | {"id", spec.owner_key}
        and field_label(model.__tablename__, attr.key) == attr.key
    ]
    assert unlabelled == []
    assert field_label("website", "brand_new_column") == "brand_new_column"  # shown as is
    assert field_label("account", "account_id") == "账号ID"  # the platform's ID, not a key
