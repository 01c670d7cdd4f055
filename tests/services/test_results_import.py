"""Earlier rounds' results from Excel (新乡 2023年第一季度 附件1/附件2) into a round, and back out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.domain.notice_tables import window_note
from app.domain.scoring import Finding
from app.errors import ConflictError, ImportFormatError, ValidationError
from app.io.results_export import export_round_results
from app.services.results_import import (
    IMPORTED_BY,
    apply_results,
    plan_results,
    quarter_window,
)
from db.enums import RoundStatus, TargetState, TargetType, WebsiteKind
from db.models import Round, RoundTarget, Unit, Website

ROUND = "2023年第一季度"
FILE = "2023年第一季度政府网站检查情况.xlsx"
HEADER = ("编号", "部门", "评分", "结果", "主要问题")

# 附件1: 各县(市)、区政府网站 — as published
ATTACHMENT_1 = [
    (1, "长垣市", 100, "合格", "无"),
    (2, "获嘉县", 100, "合格", "无"),
    (3, "新乡县", 100, "合格", "无"),
    (4, "辉县市", 100, "合格", "无"),
    (5, "牧野区", 100, "合格", "无"),
    (6, "凤泉区", 100, "合格", "无"),
    (7, "封丘县", 100, "合格", "无"),
    (8, "卫辉市", 100, "合格", "无"),
    (9, "原阳县", 100, "合格", "无"),
    (10, "延津县", 100, "合格", "无"),
    (11, "卫滨区", 95, "合格", "无信件展示、统计，互动差；社会调查功能缺失"),
    (12, "红旗区", 87, "合格", "咨询建言功能不全-13"),
]
# 附件2: 各部门政府网站 — rows 36/37 have no score: 不合格 sits in 评分, the problems in 结果
ATTACHMENT_2 = [
    (1, "市人社局", 100, "合格", "无"),
    (2, "市工信局", 100, "合格", "无"),
    (3, "市文旅局", 100, "合格", "无"),
    (4, "市农业农村局", 100, "合格", "无"),
    (5, "市西工区", 100, "合格", "无"),
    (6, "市林业局", 100, "合格", "无"),
    (7, "市科技局", 100, "合格", "无"),
    (8, "市市场监督管理局", 100, "合格", "无"),
    (9, "市财政局", 100, "合格", "无"),
    (10, "市政务大数据局", 100, "合格", "无"),
    (11, "市公共资源交易中心", 100, "合格", "无"),
    (12, "市生态环境局", 100, "合格", "无"),
    (13, "平原示范区管委会", 100, "合格", "无"),
    (14, "高新区管委会", 100, "合格", "无"),
    (15, "市交通运输局", 100, "合格", "无"),
    (16, "市应急局", 100, "合格", "无"),
    (17, "市统计局", 100, "合格", "无"),
    (18, "市公安局", 100, "合格", "无"),
    (19, "市司法局", 100, "合格", "无"),
    (20, "市审计局", 100, "合格", "无"),
    (21, "市医保局", 100, "合格", "无"),
    (22, "信用中国(新乡)", 100, "合格", "无"),
    (23, "市住建局", 100, "合格", "无"),
    (24, "市卫健委", 100, "合格", "无"),
    (25, "市教育局", 100, "合格", "无"),
    (26, "市信访局", 100, "合格", "无"),
    (27, "市人防办", 100, "合格", "无"),
    (28, "经开区管委会", 100, "合格", "无"),
    (29, "市商务局", 100, "合格", "无"),
    (30, "市发改委", 94, "合格", "历史信件展示、统计-6"),
    (31, "市粮食和储备局", 90, "合格", "咨询建言功能不全-10"),
    (32, "市水利局", 90, "合格", "咨询建言-10"),
    (33, "市体育局", 89, "合格", "政务服务链接-5;信箱、调查征集-6"),
    (34, "市城管局", 84, "合格", "历史信件展示、统计-6;意见征集不更新-7;政务服务-3"),
    (35, "市资源规划局", 84, "合格", "办事服务链接-10;在线信访、办事大厅-6"),
    (36, "市退役军人局", "不合格", "没有咨询建言(单否);空白栏目-10", None),
    (37, "市民政局", "不合格", "首页布局混乱(单否);政务服务链接错误-10"),
]
SITES = len(ATTACHMENT_1) + len(ATTACHMENT_2)  # 49, all of 新乡's sites


def write_xinxiang(
    path: Path, *, one_sheet: bool = False, extra: list[tuple] | None = None
) -> Path:
    """附件1 and 附件2 as offices receive them: title rows above each table.

    ``one_sheet`` stacks both tables in one sheet; ``extra`` rows go under 附件2.
    """
    wb = Workbook()
    first = wb.active
    first.title = "附件1"
    first.append(["附件1"])
    first.append(["2023年第一季度各县(市)、区政府网站检查情况"])
    first.append(HEADER)
    for row in ATTACHMENT_1:
        first.append(row)
    second = first if one_sheet else wb.create_sheet("附件2")
    second.append(["附件2"])
    second.append(["2023年第一季度各部门政府网站检查情况"])
    second.append(HEADER)
    for row in [*ATTACHMENT_2, *(extra or [])]:
        second.append(row)
    wb.save(path)
    return path


@pytest.fixture
def demo(registry):
    registry.demo.load()  # the 49 新乡 sites, units named as in the 部门 column
    return registry


def target_of(registry, round_id: int, website_name: str) -> RoundTarget:
    with registry.db.session_factory() as s:
        return s.scalar(
            select(RoundTarget)
            .join(Website, RoundTarget.website_id == Website.id)
            .where(RoundTarget.round_id == round_id, Website.name == website_name)
        )


def count(registry, model) -> int:
    with registry.db.session_factory() as s:
        return s.scalar(select(func.count()).select_from(model))


# ------------------------------------------------------------------------- the notice


def test_xinxiang_notice_imports_into_a_new_round(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE)
    plan = plan_results(demo, path, ROUND)

    assert plan.creates_round and (plan.window_start, plan.window_end) == (
        date(2023, 1, 1),
        date(2023, 3, 31),
    )
    assert [(s.name, s.kind, s.rows) for s in plan.sheets] == [
        ("附件1", "website", 12),
        ("附件2", "website", 37),
    ]
    assert plan.bad_rows == [] and plan.unmatched == []
    assert len(plan.matched) == SITES and (plan.passed, plan.failed) == (47, 2)
    by_name = {r.name: r for r in plan.rows}
    assert by_name["长垣市"].match.name == "长垣市人民政府网站"  # the county's portal
    assert by_name["市人社局"].match.name == "新乡市人力资源和社会保障局网站"
    assert by_name["信用中国(新乡)"].match.name == "信用中国（新乡）"
    assert by_name["市发改委"].match.name == "新乡市发展和改革委员会网站"  # not 信用中国
    assert by_name["卫滨区"].problems == "无信件展示、统计，互动差；社会调查功能缺失"
    veteran = by_name["市退役军人局"]  # the shifted row
    assert (veteran.score, veteran.verdict, veteran.problems) == (
        None,
        "不合格",
        "没有咨询建言(单否);空白栏目-10",
    )
    assert veteran.sheet_row == 39 and veteran.score_text == "不合格"
    civil = by_name["市民政局"]
    assert (civil.verdict, civil.problems) == ("不合格", "首页布局混乱(单否);政务服务链接错误-10")
    assert (by_name["红旗区"].score, by_name["红旗区"].score_text) == (Decimal(87), "87")
    assert count(demo, Round) == 0  # planning writes nothing

    result = apply_results(demo, plan, create_missing=False, skip_bad_rows=False)

    assert result.round_created and result.round_name == ROUND
    assert (result.imported, result.passed, result.failed) == (SITES, 47, 2)
    assert result.text.startswith(
        f"已导入检查轮次「{ROUND}」（新建）：结果 49 条（合格 47、不合格 2"
    )
    stats = demo.stats.round_stats(result.round_id)
    assert (stats.websites.total, stats.websites.passed, stats.websites.failed) == (49, 47, 2)
    assert stats.websites.pass_rate == "95.9%"  # the notice's figure, from the imported rows
    row = demo.rounds.get(result.round_id)
    assert row.window_end == date(2023, 3, 31) and row.kind.label == "季度"
    assert row.website_set_id == demo.indicators.default_id(TargetType.WEBSITE)

    target = target_of(demo, result.round_id, "新乡市退役军人事务局网站")
    assert (target.state, target.score, target.problem_text) == (
        TargetState.FAILED,
        None,
        "没有咨询建言(单否);空白栏目-10",
    )
    assert target.problem_text_manual and target.checked_by == IMPORTED_BY
    assert target.checked_at is not None
    passed = target_of(demo, result.round_id, "长垣市人民政府网站")
    assert (passed.state, passed.score, passed.problem_text) == (TargetState.PASSED, 100, "无")
    rows = {t.name: t for t in demo.inspection.targets(result.round_id)}
    assert rows["新乡市退役军人事务局网站"].score_text == "不合格"
    assert rows["红旗区人民政府网站"].score_text == "87"


def test_reimport_is_idempotent(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE)
    first = apply_results(
        demo, plan_results(demo, path, ROUND), create_missing=False, skip_bad_rows=False
    )
    targets = count(demo, RoundTarget)

    again_plan = plan_results(demo, path, ROUND)
    assert not again_plan.creates_round and again_plan.round_id == first.round_id
    assert again_plan.overwrites == 0  # earlier imports are not "checklist results"
    again = apply_results(demo, again_plan, create_missing=False, skip_bad_rows=False)

    assert not again.round_created and again.round_id == first.round_id
    assert (again.changed, again.unchanged, again.targets_added) == (0, SITES, 0)
    assert count(demo, RoundTarget) == targets and count(demo, Round) == 1
    assert demo.stats.round_stats(first.round_id).websites.pass_rate == "95.9%"


def test_one_sheet_with_both_tables_and_the_header_repeated(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE, one_sheet=True)
    plan = plan_results(demo, path, ROUND)
    assert [(s.name, s.rows) for s in plan.sheets] == [("附件1", SITES)]
    assert plan.bad_rows == [] and len(plan.matched) == SITES


def test_import_overwrites_a_checklist_result_in_an_existing_round(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE)
    round_id = apply_results(
        demo, plan_results(demo, path, ROUND), create_missing=False, skip_bad_rows=False
    ).round_id
    target = target_of(demo, round_id, "新乡市民政局网站")
    demo.inspection.reset(target.id)
    demo.inspection.save(target.id, [Finding("W-D3", 1)])  # scored with the checklist

    plan = plan_results(demo, path, ROUND)
    assert plan.overwrites == 1
    assert "将覆盖本轮已逐项检查的结果 1 个" in plan.summary_lines(False)
    result = apply_results(demo, plan, create_missing=False, skip_bad_rows=False)
    assert (result.changed, result.unchanged) == (1, SITES - 1)
    again = target_of(demo, round_id, "新乡市民政局网站")
    assert (again.state, again.checked_by) == (TargetState.FAILED, IMPORTED_BY)
    assert demo.inspection.checklist(again.id).findings == {}


# ------------------------------------------------------------------- unknown and bad rows


def test_unknown_department_is_a_bad_row_unless_registered(demo, tmp_path):
    extra = [(38, "市新闻出版局", 92, "合格", "无"), (39, "林州市", 70, None, "栏目更新慢-30")]
    path = write_xinxiang(tmp_path / FILE, extra=extra)
    websites, units = count(demo, Website), count(demo, Unit)
    plan = plan_results(demo, path, ROUND)

    assert [r.name for r in plan.unmatched] == ["市新闻出版局", "林州市"]
    assert plan.bad_rows == []
    blocking = plan.blocking_rows(create_missing=False)
    assert [b.text for b in blocking] == [
        "工作表「附件2」第41行：台账中没有网站「市新闻出版局」",
        "工作表「附件2」第42行：台账中没有网站「林州市」",
    ]
    with pytest.raises(ValidationError) as info:
        apply_results(demo, plan, create_missing=False, skip_bad_rows=False)
    assert "有 2 行无法导入，未写入任何数据" in info.value.message
    assert "第41行：台账中没有网站「市新闻出版局」" in info.value.message
    assert count(demo, Round) == 0 and count(demo, Website) == websites

    skipped = apply_results(demo, plan, create_missing=False, skip_bad_rows=True)
    assert (skipped.imported, skipped.skipped_rows, skipped.registered) == (SITES, 2, 0)
    assert count(demo, Website) == websites

    plan = plan_results(demo, path, ROUND)
    assert plan.blocking_rows(create_missing=True) == []
    lines = plan.summary_lines(create_missing=True)
    assert "将登记到台账 2 个：" in lines
    result = apply_results(demo, plan, create_missing=True, skip_bad_rows=False)

    assert (result.registered, result.imported, result.targets_added) == (2, SITES + 2, 2)
    assert set(result.new_units) == {"市新闻出版局", "林州市人民政府"}
    assert count(demo, Website) == websites + 2 and count(demo, Unit) == units + 2
    sites = {w.name: w for w in demo.websites.list()}
    press = sites["市新闻出版局网站"]
    assert press.unit_name == "市新闻出版局" and press.is_running
    portal = sites["林州市人民政府网站"]
    assert (portal.kind, portal.region, portal.unit_name) == (
        WebsiteKind.PORTAL,
        "林州市",
        "林州市人民政府",
    )
    [opened] = demo.websites.history(press.id)
    assert opened.summary == f"从Excel导入检查结果：{FILE}（工作表「附件2」）"
    stats = demo.stats.round_stats(result.round_id)
    assert (stats.websites.total, stats.websites.passed, stats.websites.failed) == (51, 49, 2)
    lin = target_of(demo, result.round_id, "林州市人民政府网站")
    assert (lin.state, lin.score) == (TargetState.PASSED, 70)  # 70 ≥ 60 without a verdict

    # registered once: importing again matches them
    again = apply_results(
        demo, plan_results(demo, path, ROUND), create_missing=True, skip_bad_rows=False
    )
    assert (again.registered, again.unchanged) == (0, SITES + 2)
    assert count(demo, Website) == websites + 2


def test_bad_cells_name_row_and_column(demo, tmp_path):
    extra = [
        (38, "市新闻出版局", "九十", "合格", "无"),
        (39, "市统计局", 100, "合格", "无"),  # listed twice (row 20 already)
        (40, "市审计局", None, None, "无"),
        (41, "市医保局", 100, "基本合格", "无"),
    ]
    path = write_xinxiang(tmp_path / FILE, extra=extra)
    plan = plan_results(demo, path, ROUND)
    assert [b.text for b in plan.bad_rows] == [
        "工作表「附件2」第41行「评分」：「九十」不是分数，也不是“不合格”",
        "工作表「附件2」第42行：与第20行是同一网站「市统计局」，请删去重复的一行",
        "工作表「附件2」第43行：没有检查结果（「评分」和「结果」都为空）",
        "工作表「附件2」第44行「结果」：「基本合格」无法识别，应为“合格”或“不合格”",
    ]
    assert len(plan.rows) == SITES


def test_accounts_by_platform_and_name(demo, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "单位", "平台", "账号名称", "检查结果", "问题"])
    ws.append([1, "县公安局", "抖音", "通城公安", "合格", "无"])
    ws.append([2, "县司法局", None, "通城司法", "不合格", "两周未更新(单否)"])
    ws.append([3, "县公安局", None, "通城公安", "合格", "无"])  # on 4 platforms
    ws.append([4, "县教育局", "微信", "通城教育新号", "合格", "无"])
    path = tmp_path / "新媒体检查结果.xlsx"
    wb.save(path)

    plan = plan_results(demo, path, ROUND)
    assert [(s.kind, s.rows) for s in plan.sheets] == [("account", 4)]
    police, justice, new = plan.rows
    assert (police.kind_text, police.match.name) == ("抖音", "通城公安")
    assert justice.match.name == "通城司法" and justice.problems == "两周未更新(单否)"
    assert new.match is None and new.cannot_register == ""
    [ambiguous] = plan.bad_rows
    assert ambiguous.text.startswith("工作表「Sheet」第4行：台账中有 4 个名为「通城公安」的账号")

    result = apply_results(demo, plan, create_missing=True, skip_bad_rows=True)
    assert (result.imported, result.registered, result.skipped_rows) == (3, 1, 1)
    stats = demo.stats.round_stats(result.round_id)
    assert (stats.accounts.passed, stats.accounts.failed) == (2, 1)
    assert stats.websites.passed == 0  # the round holds the sites too, not yet checked


def test_kind_can_be_forced_and_a_non_results_sheet_is_refused(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE)
    plan = plan_results(demo, path, ROUND, "account", "附件1")
    assert plan.sheets[0].kind == "account"
    assert [b.text for b in plan.bad_rows][:1] == ["工作表「附件1」第4行「账号名称」：不能为空"]

    wb = Workbook()
    wb.active.append(["单位名称", "账号名称", "平台"])
    wb.active.append(["县公安局", "通城公安", "抖音"])
    wb.save(tmp_path / "台账.xlsx")
    with pytest.raises(ImportFormatError) as info:
        plan_results(demo, tmp_path / "台账.xlsx", ROUND)
    assert "未找到检查结果表头" in info.value.message


# ------------------------------------------------------------------------------ rounds


def test_round_window_from_the_name_or_given(demo, tmp_path):
    assert quarter_window("2023年第一季度") == (date(2023, 1, 1), date(2023, 3, 31))
    assert quarter_window("2022年四季度通报") == (date(2022, 10, 1), date(2022, 12, 31))
    assert quarter_window("2024Q2") == (date(2024, 4, 1), date(2024, 6, 30))
    assert quarter_window("专项检查") is None

    path = write_xinxiang(tmp_path / FILE)
    with pytest.raises(ValidationError) as info:
        plan_results(demo, path, "网站专项检查")
    assert "--window" in info.value.message and info.value.field == "window_start"
    plan = plan_results(
        demo, path, "网站专项检查", window_start=date(2023, 1, 1), window_end=date(2023, 3, 25)
    )
    result = apply_results(demo, plan, create_missing=False, skip_bad_rows=False)
    assert demo.rounds.get(result.round_id).window_end == date(2023, 3, 25)


def test_finalized_round_refuses(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE)
    plan = plan_results(demo, path, ROUND)
    round_id = apply_results(demo, plan, create_missing=False, skip_bad_rows=False).round_id
    with demo.db.session_factory.begin() as s:
        s.get(Round, round_id).status = RoundStatus.FINALIZED

    with pytest.raises(ConflictError) as info:
        plan_results(demo, path, ROUND)
    assert "已定稿" in info.value.message and "不能再导入检查结果" in info.value.message
    with pytest.raises(ConflictError):  # a plan made before the round was finalized
        apply_results(demo, plan, create_missing=False, skip_bad_rows=False)


# ------------------------------------------------------------------------------ export


def test_export_round_results_reads_back(demo, tmp_path):
    path = write_xinxiang(tmp_path / FILE)
    plan = plan_results(
        demo, path, ROUND, window_start=date(2023, 1, 1), window_end=date(2023, 3, 25)
    )
    round_id = apply_results(demo, plan, create_missing=False, skip_bad_rows=False).round_id

    out = export_round_results(demo, round_id, tmp_path / "结果")
    assert out.name == "结果.xlsx"
    wb = load_workbook(out)
    assert wb.sheetnames == ["政府网站", "政务新媒体", "统计"]
    note = "注：数据采集时间2023年1月1日—3月25日"

    sites = [list(r) for r in wb["政府网站"].iter_rows(values_only=True)]
    assert sites[0] == ["编号", "部门", "网站名称", "评分", "结果", "主要问题"]
    assert sites[1] == [1, "长垣市人民政府", "长垣市人民政府网站", 100, "合格", "无"]  # a number
    assert [r[1] for r in sites[1:13]][-1] == "红旗区人民政府"  # portals first (附件1)
    assert sites[12][3:] == [87, "合格", "咨询建言功能不全-13"]
    assert sites[13][1] == "市人社局"  # then the departments (附件2)
    assert sites[48][1:4] == ["市退役军人局", "新乡市退役军人事务局网站", "不合格"]
    assert sites[49][1:5] == ["市民政局", "新乡市民政局网站", "不合格", "不合格"]
    assert sites[50] == [note, None, None, None, None, None]
    assert len(sites) == SITES + 2

    accounts = [list(r) for r in wb["政务新媒体"].iter_rows(values_only=True)]
    assert accounts[0] == ["序号", "单位", "平台", "账号名称", "结果", "主要问题"]
    assert all(r[4] == "未检" for r in accounts[1:-1]) and accounts[-1][0] == note

    stats = [list(r) for r in wb["统计"].iter_rows(values_only=True)]
    assert stats[0] == ["县区", "类型", "总数", "合格", "不合格", "合格率"]
    assert ["合计", "政府网站", 49, 47, 2, "95.9%"] in stats
    assert ["市直", "政府网站", 37, 35, 2, "94.6%"] in stats
    assert ["长垣市", "政府网站", 1, 1, 0, "100%"] in stats
    assert stats[-1][0] == note


def test_window_note_wording():
    assert (
        window_note(date(2022, 1, 1), date(2022, 3, 25)) == "注：数据采集时间2022年1月1日—3月25日"
    )
    assert window_note(date(2022, 12, 1), date(2023, 1, 5)) == (
        "注：数据采集时间2022年12月1日—2023年1月5日"
    )
