"""Registry import (台账导入): preview against the database, then all-or-nothing apply."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from app.errors import ImportFormatError, ValidationError
from app.io.table_reader import ImportCancelled
from app.services.dto import AccountInput, UnitInput, WebsiteInput
from app.services.registry_import import ImportPlan, apply_import, plan_import
from app.vocab import AccountStatus, EventKind, FilingStatus, Platform, UnitKind, WebsiteKind
from db.base import Base
from db.models import Account, RecordEvent, Unit, UnitAlias, Website

TITLE = "通城县责令关停新媒体帐号清单"
HEADER = ["序号", "单位名称", "新媒体账号名称", "类型"]
SECTION_1 = "一、未备案的单位及新媒体账号(27个)"
SECTION_2 = "二、未及时备案的单位及新媒体账号(9个)"
SECTION_3 = "三、未及时更新内容的新媒体账号(4个)"

# A representative part of 通城县 附件2 (2021): title row 1, header row 2, SECTION_1 row 3.
TONGCHENG: list[str | tuple[int, str, str, str]] = [
    SECTION_1,
    (1, "县公安局", "通城公安", "抖音"),  # row 4
    (2, "县公安局", "通城公安", "微信"),
    (3, "县公安局", "通城平安", "微博"),
    (8, "县公安局交警大队", "通城交警", "微信"),
    (10, "麦市镇人民政府", "麦市微讯息", "微信"),
    (19, "县农业局", "通城农业", "微信"),
    (20, "县农业局", "通城县农业农村局", "微博"),
    (22, "县卫健局", "通城卫生计生", "微信"),
    (23, "县市监局", "通城市场监管", "微信"),  # row 12, alias of 县市场监管局
    (24, "县市监局", "通城食品药品安全", "微信"),
    (26, "县司法局", "通城司法", "微信"),
    SECTION_2,  # row 15
    (28, "县文旅局", "通城旅游", "微信"),
    (30, "县农业局", "通城县农业", "微信"),  # row 17
    (32, "县教育局", "通城教育", "微信"),
    (36, "县招商促进中心", "投资通城", "微信"),
    SECTION_3,  # row 20
    (37, "县农业局", "通城县农业", "微信"),  # row 21: the same account again
    (39, "县市场监管局", "通城县市场监管", "微信"),
]
ACCOUNTS = 16  # 17 listed, 通城县农业 twice
NEW_UNITS = 9  # every unit but 县市场监管局 (created by the tests that need the alias)
FILE = "通城县责令关停新媒体帐号清单.xlsx"


def write_sheet(
    ws, rows: list, header: list[str] = HEADER, title: str | None = TITLE, width: int = 4
) -> None:
    """Title and section rows merged across the table, as WPS saves a notice's table."""
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(header)
    for row in rows:
        if isinstance(row, str):
            ws.append([row])
            n = ws.max_row
            ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=width)
        else:
            ws.append(list(row))


def write_list(path: Path, rows: list | None = None, **kw) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    write_sheet(ws, TONGCHENG if rows is None else rows, **kw)
    wb.save(path)
    return path


def with_alias_unit(registry) -> int:
    return registry.units.create(
        UnitInput(name="县市场监管局", region="通城县", aliases=["县市监局"])
    )


def counts(registry) -> dict[str, int]:
    with registry.db.session_factory() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Unit, UnitAlias, Website, Account, RecordEvent)
        }


def account(registry, name: str, platform: Platform = Platform.WECHAT):
    [found] = [a for a in registry.accounts.list() if a.name == name and a.platform is platform]
    return found


def item(plan: ImportPlan, name: str, platform: str = "微信公众号"):
    [found] = [i for i in plan.items if i.name == name and i.platform in (platform, "")]
    return found


def orm_objects(value: object) -> list[object]:
    """ORM instances anywhere inside ``value`` (there must be none in a plan)."""
    if isinstance(value, Base):
        return [value]
    if dataclasses.is_dataclass(value):
        value = vars(value)
    if isinstance(value, dict):
        return [o for v in value.values() for o in orm_objects(v)]
    if isinstance(value, (list, tuple, set)):
        return [o for v in value for o in orm_objects(v)]
    return []


# ----------------------------------------------------------------------------------- plan


def test_plan_of_the_tongcheng_list_compares_without_writing(tmp_path, registry):
    with_alias_unit(registry)
    before = counts(registry)
    plan = plan_import(registry, write_list(tmp_path / FILE), None)

    assert counts(registry) == before
    assert (plan.added, plan.updated, plan.unchanged, len(plan.bad_rows)) == (ACCOUNTS, 0, 0, 0)
    assert plan.duplicates == ["工作表「附件2」第17行与第21行是同一账号，已合并"]
    assert plan.not_updated == 2  # 通城县农业, 通城县市场监管
    assert [(s.name, s.kind, s.rows, s.skipped) for s in plan.sheets] == [
        ("附件2", "account", ACCOUNTS, "")
    ]
    market = item(plan, "通城市场监管")
    assert (market.unit, market.new_unit, market.sheet_row) == ("县市场监管局", False, 12)
    police = item(plan, "通城公安", "抖音")
    assert (police.action, police.unit, police.new_unit) == ("add", "县公安局", True)
    assert police.section == SECTION_1
    farming = item(plan, "通城县农业")
    assert farming.fields["filing_status"] is FilingStatus.LATE  # from section 二
    assert len(plan.new_units) == NEW_UNITS and "县市监局" not in plan.new_units
    assert orm_objects(plan) == []
    text = "\n".join(plan.summary_lines())
    assert f"新增 {ACCOUNTS}、更新 0、无变化 0、错误行 0" in text
    assert "新增 账号「通城公安」（抖音，县公安局，新建单位）" in text


def test_one_sheet_without_header_is_an_error(tmp_path, registry):
    wb = Workbook()
    wb.active.append(["编号", "部门", "评分", "结果"])
    wb.active.append([1, "长垣市", 100, "合格"])
    wb.save(tmp_path / "scores.xlsx")
    with pytest.raises(ImportFormatError, match="未找到表头"):
        plan_import(registry, tmp_path / "scores.xlsx", None)


def test_all_sheets_with_header_are_read_and_others_skipped(tmp_path, registry):
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由各单位于6月底前报送。"])
    write_sheet(
        wb.create_sheet("一季度"),
        [("县公安局", "通城公安", "抖音", "已备案")],
        header=["单位名称", "账号名称", "平台", "备案状态"],
        title=None,
    )
    write_sheet(
        wb.create_sheet("二季度"),
        [("县公安局", "通城公安", "抖音", "未备案"), ("县司法局", "通城司法", "微信", "已备案")],
        header=["单位名称", "账号名称", "平台", "备案状态"],
        title=None,
    )
    wb.save(tmp_path / "quarters.xlsx")

    plan = plan_import(registry, tmp_path / "quarters.xlsx", None)
    skipped = plan.sheets[0]
    assert skipped.name == "说明" and "未找到表头" in skipped.skipped
    assert [(s.name, s.rows) for s in plan.sheets[1:]] == [("一季度", 1), ("二季度", 2)]
    assert plan.added == 2  # 通城公安 once, with the later sheet's value
    assert item(plan, "通城公安", "抖音").fields["filing_status"] is FilingStatus.UNFILED
    assert plan.duplicates == ["工作表「一季度」第2行与工作表「二季度」第2行是同一账号，已合并"]

    only = plan_import(registry, tmp_path / "quarters.xlsx", "一季度")
    assert [s.name for s in only.sheets] == ["一季度"] and only.added == 1


# ---------------------------------------------------------------------------------- apply


def test_apply_creates_accounts_units_and_history(tmp_path, registry):
    unit_id = with_alias_unit(registry)
    plan = plan_import(registry, write_list(tmp_path / FILE), None)
    progress: list[tuple[int, int]] = []
    result = apply_import(
        registry, plan, skip_bad_rows=False, progress=lambda d, t: progress.append((d, t))
    )

    assert progress[0] == (0, ACCOUNTS) and progress[-1] == (ACCOUNTS, ACCOUNTS)
    assert (result.added, result.updated, result.unchanged) == (ACCOUNTS, 0, 0)
    assert len(result.new_units) == NEW_UNITS
    assert counts(registry)["account"] == ACCOUNTS
    assert counts(registry)["unit"] == NEW_UNITS + 1
    assert registry.units.get(unit_id).account_count == 3  # 县市监局 ×2 + 县市场监管局
    assert registry.units.find_id("县市监局") == unit_id
    assert account(registry, "通城公安", Platform.DOUYIN).filing_status is FilingStatus.UNFILED
    assert account(registry, "通城县农业").filing_status is FilingStatus.LATE
    assert (
        account(registry, "通城县市场监管").filing_status is FilingStatus.FILED
    )  # no status given
    assert account(registry, "通城公安", Platform.DOUYIN).region == ""
    [opened] = registry.accounts.history(account(registry, "投资通城").id)
    assert opened.kind is EventKind.REGISTERED
    assert opened.summary == f"从Excel导入：{FILE}（工作表「附件2」）"
    assert opened.recorded_by == "测试员"


def test_reimporting_the_same_file_changes_nothing(tmp_path, registry):
    path = write_list(tmp_path / FILE)
    apply_import(registry, plan_import(registry, path, None), skip_bad_rows=False)
    before = counts(registry)

    again = plan_import(registry, path, None)
    assert {i.action for i in again.items} == {"unchanged"}
    assert again.unchanged == ACCOUNTS and again.new_units == []
    result = apply_import(registry, again, skip_bad_rows=False)
    assert (result.added, result.updated, result.unchanged) == (0, 0, ACCOUNTS)
    assert counts(registry) == before  # no rows, no units, no history lines


def test_import_into_demo_data_updates_instead_of_duplicating(tmp_path, registry):
    registry.demo.load()
    with registry.db.session_factory.begin() as s:  # the clerk had marked two as filed
        s.execute(
            update(Account)
            .where(Account.name.in_(["通城旅游", "通城县农业"]), Account.platform == "wechat")
            .values(filing_status=FilingStatus.FILED)
        )
    rows = [*TONGCHENG, (40, "县公安局", "通城网警", "微博")]  # not in the demo data
    before = counts(registry)

    plan = plan_import(registry, write_list(tmp_path / FILE, rows), None)
    assert (plan.added, plan.updated, plan.unchanged) == (1, 2, ACCOUNTS - 2)
    assert item(plan, "通城旅游").changes == "备案状态：已备案 → 未及时备案"
    assert item(plan, "通城网警", "微博").new_unit is False
    assert item(plan, "通城市场监管").action == "unchanged"  # 县市监局 is a demo alias

    result = apply_import(registry, plan, skip_bad_rows=False)
    assert (result.added, result.updated, result.new_units) == (1, 2, ())
    after = counts(registry)
    assert after["account"] == before["account"] + 1
    assert after["unit"] == before["unit"]
    assert after["record_event"] == before["record_event"] + 3  # 1 开设 + 2 信息变更
    travel = account(registry, "通城旅游")
    assert travel.filing_status is FilingStatus.LATE
    changed = registry.accounts.history(travel.id)[-1]
    assert (changed.kind, changed.summary) == (EventKind.CHANGED, "备案状态：已备案 → 未及时备案")
    assert changed.reason == f"从Excel导入：{FILE}（工作表「附件2」）"
    # the sheet says nothing about status or maintainer: the registry keeps its values
    assert account(registry, "麦市微讯息").status is AccountStatus.CLOSED
    assert account(registry, "通城公安").maintainer == "陈思远"


def test_bad_row_aborts_and_writes_nothing(tmp_path, registry):
    registry.demo.load()
    rows = [*TONGCHENG, (41, "县公安局", "通城网警", "推特"), (42, "县公安局", "通城发布", "微博")]
    path = write_list(tmp_path / FILE, rows)
    before = counts(registry)

    plan = plan_import(registry, path, None)
    [bad] = plan.bad_rows
    assert (bad.sheet, bad.sheet_row) == ("附件2", 23)
    assert bad.text.startswith("工作表「附件2」第23行「类型」：平台「推特」无法识别")
    with pytest.raises(ValidationError) as err:
        apply_import(registry, plan, skip_bad_rows=False)
    assert "有 1 行无法导入，未写入任何数据" in err.value.message
    assert "工作表「附件2」第23行" in err.value.message
    assert counts(registry) == before


def test_skip_bad_rows_imports_the_rest(tmp_path, registry):
    rows = [*TONGCHENG, (41, "县公安局", "通城网警", "推特"), (42, "县公安局", "通城发布", "微博")]
    plan = plan_import(registry, write_list(tmp_path / FILE, rows), None)
    result = apply_import(registry, plan, skip_bad_rows=True)
    assert (result.added, result.skipped_rows) == (ACCOUNTS + 1, 1)
    names = {a.name for a in registry.accounts.list()}
    assert "通城发布" in names and "通城网警" not in names


def test_first_ten_bad_rows_are_listed(tmp_path, registry):
    rows = [("县公安局", f"账号{i}", "推特") for i in range(12)]
    plan = plan_import(
        registry, write_list(tmp_path / "x.xlsx", rows, header=HEADER[1:], title=None), None
    )
    assert len(plan.bad_rows) == 12
    with pytest.raises(ValidationError) as err:
        apply_import(registry, plan, skip_bad_rows=False)
    assert "第11行" in err.value.message and "第12行" not in err.value.message
    assert "另有 2 行" in err.value.message


def test_rule_violations_name_sheet_row_and_field(tmp_path, registry):
    rows = [
        ("县公安局", "通城公安", "抖音", "0715-4322110"),
        ("县司法局", "通城司法", "微信", "找老王"),
    ]
    header = ["单位名称", "账号名称", "平台", "联系电话"]
    plan = plan_import(registry, write_list(tmp_path / "a.xlsx", rows, header=header, title=None))
    [bad] = plan.bad_rows
    assert bad.text.startswith("工作表「附件2」第3行「联系电话」只能包含数字")
    assert plan.added == 1

    # a value that slips past the preview (here: edited plan) aborts the whole transaction
    plan.bad_rows.clear()
    plan.items.append(
        dataclasses.replace(
            plan.items[0],
            sheet_row=9,
            fields={
                **plan.items[0].fields,
                "account_name": "通城发布",
                "maintainer_phone": "找老王",
            },
        )
    )
    with pytest.raises(ValidationError) as err:
        apply_import(registry, plan, skip_bad_rows=False)
    assert err.value.message.startswith("工作表「附件2」第9行：「联系电话」")
    assert err.value.field == "maintainer_phone"
    assert counts(registry)["account"] == 0  # the valid first row was rolled back too


def test_cancel_during_apply_writes_nothing(tmp_path, registry):
    with_alias_unit(registry)
    plan = plan_import(registry, write_list(tmp_path / FILE), None)
    before = counts(registry)
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) >= 2  # after every row has been written, before commit

    with pytest.raises(ImportCancelled):
        apply_import(registry, plan, skip_bad_rows=False, cancel=cancel)
    assert len(calls) == 2
    assert counts(registry) == before
    with pytest.raises(ImportCancelled):
        plan_import(registry, tmp_path / FILE, None, cancel=lambda: True)


def test_stale_plan_does_not_create_duplicates(tmp_path, registry):
    plan = plan_import(registry, write_list(tmp_path / FILE), None)
    assert item(plan, "通城公安", "抖音").action == "add"
    # someone registers the account (and its unit) between preview and apply
    registry.accounts.create(
        AccountInput(Platform.DOUYIN, "通城公安", "县公安局", filing_status=FilingStatus.FILED),
        create_unit=True,
    )
    result = apply_import(registry, plan, skip_bad_rows=False)
    assert (result.added, result.updated) == (ACCOUNTS - 1, 1)
    assert "县公安局" not in result.new_units
    assert [a.name for a in registry.accounts.list()].count("通城公安") == 2  # 抖音, 微信
    assert account(registry, "通城公安", Platform.DOUYIN).filing_status is FilingStatus.UNFILED
    assert len([u for u in registry.units.list() if u.name == "县公安局"]) == 1


def test_sections_close_and_flag_accounts_and_units_get_the_row_region(tmp_path, registry):
    registry.accounts.create(AccountInput(Platform.WEIBO, "通城平安", "县公安局"), create_unit=True)
    registry.accounts.create(AccountInput(Platform.WECHAT, "通城交警", "县公安局"))
    header = ["单位名称", "账号名称", "平台", "关停日期", "所属县区", "单位类型"]
    rows = [
        "一、已关停的账号",
        ("县公安局", "通城平安", "微博", "2021-06-30"),
        "二、僵尸、空壳账号",
        ("县公安局交警大队", "通城交警", "微信", None, "通城县", "部门"),
        ("隽水镇人民政府", "隽水发布", "抖音", None, "通城县", "乡镇街道"),
    ]
    plan = plan_import(registry, write_list(tmp_path / "b.xlsx", rows, header=header, width=6))
    assert plan.bad_rows == []
    assert item(plan, "通城平安", "微博").changes == (
        "状态：运行 → 关停；关停日期：（空） → 2021-06-30"
    )
    police = item(plan, "通城交警")
    assert police.new_unit and police.changes.startswith("主办单位：县公安局 → 县公安局交警大队")
    apply_import(registry, plan, skip_bad_rows=False)

    closed = account(registry, "通城平安", Platform.WEIBO)
    assert (closed.status, closed.closed_on) == (AccountStatus.CLOSED, date(2021, 6, 30))
    [event] = [e for e in registry.accounts.history(closed.id) if e.kind is EventKind.CLOSED]
    assert (event.event_date, event.summary) == (date(2021, 6, 30), "关停")
    moved = account(registry, "通城交警")
    assert (moved.unit_name, moved.is_zombie, moved.is_empty_shell) == (
        "县公安局交警大队",
        True,
        True,
    )
    assert moved.region == "通城县"
    kinds = [e.kind for e in registry.accounts.history(moved.id)]
    assert kinds == [EventKind.REGISTERED, EventKind.OWNER_CHANGED, EventKind.CHANGED]
    town = registry.units.get(registry.units.find_id("隽水镇人民政府"))
    assert (town.region, town.kind) == ("通城县", UnitKind.TOWNSHIP)
    assert account(registry, "隽水发布", Platform.DOUYIN).region == "通城县"


def test_website_sheet(tmp_path, registry):
    portal = registry.websites.create(
        WebsiteInput(
            name="通城县人民政府网站",
            unit_name="通城县人民政府",
            url="https://www.tongcheng.gov.cn",
            site_code="4212220001",
            kind=WebsiteKind.PORTAL,
        ),
        create_unit=True,
    )
    forestry = registry.websites.create(
        WebsiteInput(
            name="县林业局网站",
            unit_name="县林业局",
            url="http://old.lyj.gov.cn",
            site_code="4212220004",
        ),
        create_unit=True,
    )
    rows = [
        (1, "通城县人民政府", "通城县人民政府门户网站", "www.tongcheng.gov.cn/", "4212220001"),
        (2, "县教育局", "通城县教育局网站", "http://jyj.tongcheng.gov.cn", "4212220002"),
        (3, "县卫健局", "通城县卫健局网站", None, "4212220003"),
        (4, "县林业局", "县林业局网站", "http://lyj.tongcheng.gov.cn", "4212220004"),
    ]
    header = ["编号", "部门", "网站名称", "网址", "网站标识码"]
    path = write_list(tmp_path / "网站.xlsx", rows, header=header, title="政府网站台账", width=5)
    plan = plan_import(registry, path)
    assert plan.sheets[0].kind == "website"
    assert (plan.added, plan.updated, plan.unchanged) == (2, 2, 0)
    assert item(plan, "通城县人民政府门户网站").changes == (
        "网站名称：通城县人民政府网站 → 通城县人民政府门户网站"
    )
    assert item(plan, "县林业局网站").changes == (
        "网址：http://old.lyj.gov.cn → http://lyj.tongcheng.gov.cn"
    )
    assert item(plan, "通城县教育局网站").new_unit

    apply_import(registry, plan, skip_bad_rows=False)
    assert counts(registry)["website"] == 4
    renamed = registry.websites.history(portal)[-1]
    assert (renamed.kind, renamed.summary) == (
        EventKind.RENAMED,
        "通城县人民政府网站 → 通城县人民政府门户网站",
    )
    assert registry.websites.get(portal).url == "https://www.tongcheng.gov.cn"  # same address
    assert registry.websites.get(forestry).url == "http://lyj.tongcheng.gov.cn"
    again = plan_import(registry, path)  # keys follow the new URL: nothing left to do
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_url_and_code_of_two_different_sites_is_a_bad_row(tmp_path, registry):
    for name, url, code in (
        ("甲网站", "http://a.gov.cn", "4212220001"),
        ("乙网站", "http://b.gov.cn", "4212220002"),
    ):
        registry.websites.create(
            WebsiteInput(name=name, unit_name="县政府", url=url, site_code=code), create_unit=True
        )
    rows = [("县政府", "甲网站", "http://a.gov.cn", "4212220002")]
    header = ["单位名称", "网站名称", "网址", "网站标识码"]
    plan = plan_import(registry, write_list(tmp_path / "c.xlsx", rows, header=header, title=None))
    [bad] = plan.bad_rows
    assert "已登记为「甲网站」" in bad.text and "「乙网站」" in bad.text
    assert plan.items == []


def test_new_accounts_without_a_filing_column_are_said_to_be_registered_as_filed(
    tmp_path, registry
):
    rows = [(1, "县公安局", "通城网警", "微博"), (2, "县公安局", "通城发布", "微信公众号")]
    plan = plan_import(registry, write_list(tmp_path / "无备案列.xlsx", rows, title=None), None)
    assert plan.filing_assumed == 2
    assert any("2 个新账号" in line and "已备案" in line for line in plan.summary_lines())
    apply_import(registry, plan, skip_bad_rows=False)
    again = plan_import(registry, write_list(tmp_path / "无备案列.xlsx", rows, title=None), None)
    assert again.filing_assumed == 0 and again.notes() == []  # nothing new, nothing assumed


def test_rows_naming_demo_units_are_pointed_out(tmp_path, registry):
    registry.demo.load()
    demo_unit = next(u.name for u in registry.units.list() if u.is_demo and u.account_count)
    rows = [(1, demo_unit, "正式账号", "微博"), (2, "全新的单位", "另一个账号", "微博")]
    plan = plan_import(registry, write_list(tmp_path / "正式台账.xlsx", rows, title=None), None)
    assert plan.demo_units == [demo_unit]
    assert any("演示数据" in note and demo_unit in note for note in plan.notes())
    registry.demo.clear()
    plan = plan_import(registry, write_list(tmp_path / "正式台账.xlsx", rows, title=None), None)
    assert plan.demo_units == []
