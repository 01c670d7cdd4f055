"""整改 exports read back: the list, one unit's history and the 催办单."""

from datetime import date

import pytest
from openpyxl import load_workbook

from app.io.rectification_export import (
    chinese_ordinal,
    write_items_xlsx,
    write_reminders_xlsx,
    write_unit_history_xlsx,
)
from app.services.dto import UnitInput
from app.services.rectification import ItemInput
from app.vocab import RectificationSource

TODAY = date(2026, 11, 24)


@pytest.fixture
def items(registry):
    for name in ("红旗区民政局", "红旗区人民政府", "卫滨区教育局"):
        registry.units.create(UnitInput(name, region=name[:3]))
    svc = registry.rectification

    def add(units, problem, deadline, **kw):
        return svc.create(
            ItemInput(units, problem, found_on=date(2026, 11, 2), deadline=deadline, **kw)
        )

    late = add(["红旗区民政局", "红旗区人民政府"], "=SUM(A1) 政策解读栏目空白", date(2026, 11, 20))
    add(["卫滨区教育局"], "咨询建言栏目长期未回复", date(2026, 11, 10))
    add(
        ["红旗区民政局"],
        "信息发布不及时",
        None,
        deadline_days=15,
        source=RectificationSource.PROVINCE,
        source_note="省办公厅抽查",
    )
    svc.record_report(late, date(2026, 11, 21), "已补发解读")
    return registry


def test_items_list_reads_back(items, tmp_path):
    rows = items.rectification.list(TODAY)
    path = write_items_xlsx(rows, tmp_path / "整改清单", "整改事项（全部）", TODAY)
    assert path.suffix == ".xlsx"
    ws = load_workbook(path)["整改事项"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["序号", "责任单位", "县区", "检查对象"]
    lines = {
        r[header.index("问题")]: r for r in ws.iter_rows(min_row=2, max_row=4, values_only=True)
    }
    late = lines["=SUM(A1) 政策解读栏目空白"]  # stored as text, never a formula
    assert late[header.index("责任单位")] == "红旗区民政局、红旗区人民政府"
    assert late[header.index("状态")] == "已报送整改情况"
    assert late[header.index("报送日期")].date() == date(2026, 11, 21)
    assert late[header.index("逾期天数")] is None  # reported: not late
    education = lines["咨询建言栏目长期未回复"]
    assert education[header.index("逾期天数")] == 14
    assert education[header.index("整改期限")].date() == date(2026, 11, 10)
    province = lines["信息发布不及时"]
    assert province[header.index("来源")] == "上级抽查（省）（省办公厅抽查）"
    assert province[header.index("期限说明")] == "15个工作日"
    assert ws.cell(5, 1).value == "整改事项（全部），共3项，截至2026年11月24日。"


def test_reminders_one_section_and_one_sheet_per_unit(items, tmp_path):
    reminders = items.rectification.reminders(TODAY)
    path = write_reminders_xlsx(reminders, tmp_path / "催办单.xlsx", TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "卫滨区教育局", "红旗区民政局"]
    summary = [list(row) for row in wb["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "整改逾期事项催办单"
    assert summary[1][0].startswith("截至2026年11月24日，下列整改事项已超过整改期限仍未完成整改")
    assert "共涉及2个单位、2项" in summary[1][0]
    headings = [row[0] for row in summary if str(row[0])[1:2] == "、"]
    assert headings == ["一、卫滨区教育局（逾期1项）", "二、红旗区民政局（逾期1项）"]
    header_at = summary.index(
        ["序号", "责任单位", "检查对象", "问题", "发现日期", "整改期限", "逾期天数", "状态"]
    )
    first = summary[header_at + 1]
    assert first[:4] == [1, "卫滨区教育局", None, "咨询建言栏目长期未回复"]
    assert first[4].date() == date(2026, 11, 2) and first[5].date() == date(2026, 11, 10)
    assert first[6:] == [14, "待整改"]
    unit_sheet = [list(r) for r in wb["红旗区民政局"].iter_rows(values_only=True)]
    assert unit_sheet[0][0] == "红旗区民政局整改逾期事项催办单"
    assert unit_sheet[1][0].startswith("截至2026年11月24日")
    assert "责任单位：红旗区民政局" in [r[0] for r in unit_sheet]
    (line,) = [r for r in unit_sheet if r[3] == "信息发布不及时"]
    assert line[5].date() == date(2026, 11, 23) and line[6] == 1  # 15 working days


def test_unit_history_sheets(items, tmp_path):
    history = items.rectification.unit_history("红旗区民政局", TODAY)
    path = write_unit_history_xlsx(history, tmp_path / "单位.xlsx", TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["整改清单", "反复出现的问题"]
    problems = {r[8] for r in wb["整改清单"].iter_rows(min_row=2, max_row=3, values_only=True)}
    assert problems == {"=SUM(A1) 政策解读栏目空白", "信息发布不及时"}
    assert wb["反复出现的问题"]["A1"].value == "问题"
    assert wb["反复出现的问题"]["A2"].value == "红旗区民政局被检查发现问题的轮次：无"


def test_chinese_ordinals():
    assert [chinese_ordinal(n) for n in (1, 10, 11, 20, 25)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十五",
    ]
