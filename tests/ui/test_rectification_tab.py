"""The 整改 tab driven through its real widgets: a finding followed to a closed item, bad input,
colours, filters, a unit's list, 催办, and the checklist showing an earlier round's open item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QWidget

from app.domain.scoring import Finding
from app.services.dto import AccountInput
from app.services.rectification import ItemInput
from app.vocab import (
    Platform,
    RectificationSource,
    RectificationStatus,
)
from tests.rounds import create_round, hongqi_round
from tests.ui.modal import click_box_button, type_text, when_modal
from ui.inspection.checklist_panel import ChecklistPanel
from ui.rectification import exporting
from ui.rectification.detail_dialog import ItemDetailDialog
from ui.rectification.item_model import DUE_SOON_BACKGROUND, OVERDUE_BACKGROUND
from ui.rectification.rectification_tab import RectificationTab

TODAY = date(2025, 10, 25)
SAVE = QDialogButtonBox.StandardButton.Save


def make_round(registry, name, start, end, inspected, deadline=None) -> int:
    return create_round(registry, name, start, end, inspected=inspected, deadline=deadline)


@pytest.fixture
def world(registry):
    built = hongqi_round(registry)
    return {
        "round": built["round"],
        "site": built["targets"]["红旗区人民政府网站"],
        "veto": built["veto"],
    }


@pytest.fixture
def tab(qtbot, registry, world):
    widget = RectificationTab(registry, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.reload()
    return widget


def drive(qtbot, button: QWidget, handler: Callable[[QWidget], None]) -> None:
    """Click ``button`` and let ``handler`` work the dialog it opens (closed afterwards)."""

    def safely(dialog: QWidget) -> None:
        try:
            handler(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    when_modal(safely)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def set_date(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def cells(tab, proxy_row: int) -> dict[str, str]:
    model = tab.proxy
    return {
        model.headerData(c, Qt.Orientation.Horizontal): model.index(proxy_row, c).data()
        for c in range(model.columnCount())
    }


def finding_item(registry, world) -> int:
    registry.inspection.save(world["site"].id, [Finding(world["veto"].code)])
    (row,) = registry.rectification.list(TODAY)
    return row.id


class FileOpener(QObject):
    """Stands in for the desktop's file viewer."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def test_from_finding_to_closed_item(tab, qtbot, registry, world, tmp_path):
    item_id = finding_item(registry, world)
    tab.reload()
    assert tab.proxy.rowCount() == 1
    line = cells(tab, 0)
    assert line["责任单位"] == "红旗区人民政府" and line["检查对象"] == "红旗区人民政府网站"
    assert line["整改期限"] == "2025-10-20" and line["状态"] == "待整改"
    assert line["期限提醒"] == "逾期5天" and line["轮次"] == "2025年第三季度"
    assert tab.counts_label.text() == "共 1 项：待整改 1 · 逾期 1 · 3天内到期 0 · 待复查 0"
    titles = []
    tab.title_changed.connect(titles.append)

    assert tab.select_id(item_id)
    report = tmp_path / "红旗区整改报告.pdf"
    report.write_bytes(b"%PDF-1.4 report")

    def report_step(dialog):
        set_date(qtbot, dialog.on, "2025-10-15")
        type_text(qtbot, dialog.note, "已开通咨询建言栏目")
        type_text(qtbot, dialog.file.path, str(report))
        dialog.buttons.button(SAVE).click()

    when_modal(lambda d: (report_step(d), d.isVisible() and d.reject()))
    qtbot.keyClick(tab.view, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # 登记报送(&S)
    qtbot.waitUntil(lambda: registry.rectification.get(item_id).row.report_received_on is not None)
    line = cells(tab, 0)
    assert line["状态"] == "已报送整改情况" and line["报送日期"] == "2025-10-15"
    assert line["期限提醒"] == ""  # reported: nothing more is due from the unit
    assert "待复查 1" in tab.counts_label.text() and titles[-1] == "整改"

    def recheck_step(dialog):
        set_date(qtbot, dialog.on, "2025-10-18")
        qtbot.mouseClick(dialog.passed, Qt.MouseButton.LeftButton)
        type_text(qtbot, dialog.note, "栏目已开通并有回复")
        dialog.buttons.button(SAVE).click()

    drive(qtbot, tab.recheck_button, recheck_step)
    assert cells(tab, 0)["状态"] == "复查通过" and cells(tab, 0)["复查"] == "2025-10-18"

    def close_step(dialog):
        set_date(qtbot, dialog.on, "2025-10-19")
        type_text(qtbot, dialog.note, "整改完成")
        dialog.buttons.button(SAVE).click()

    drive(qtbot, tab.close_button, close_step)
    line = cells(tab, 0)
    assert line["状态"] == "复查通过（已关闭）"
    assert registry.rectification.get(item_id).row.closed_on == date(2025, 10, 19)
    assert tab.proxy.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#8a8a8a"
    assert not tab.edit_button.isEnabled() and tab.reopen_button.isEnabled()

    opener = FileOpener()
    QDesktopServices.setUrlHandler("file", opener, "open")
    seen = {}

    def detail(dialog):
        seen["events"] = [
            (e.from_status, e.to_status, e.event_date, e.summary, e.recorded_by)
            for e in dialog.events.rows
        ]
        seen["changes"] = [dialog.events.index(i, 1).data() for i in range(4)]
        qtbot.mouseClick(dialog.open_report, Qt.MouseButton.LeftButton)

    when_modal(lambda d: (detail(d), d.reject()))
    rect = tab.view.visualRect(tab.proxy.index(0, 2))
    try:
        qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert seen["events"] == [
        ("", "待整改", date(2025, 9, 26), "2025年第三季度检查发现问题", "测试员"),
        ("待整改", "已报送整改情况", date(2025, 10, 15), "单位报送整改情况", "测试员"),
        ("已报送整改情况", "复查通过", date(2025, 10, 18), "复查通过", "测试员"),
        ("", "", date(2025, 10, 19), "关闭：整改完成", "测试员"),
    ]
    assert seen["changes"] == [
        "— → 待整改",
        "待整改 → 已报送整改情况",
        "已报送整改情况 → 复查通过",
        "",
    ]
    assert len(opener.opened) == 1 and open(opener.opened[0], "rb").read() == b"%PDF-1.4 report"


def test_bad_input_shows_the_reason_and_changes_nothing(tab, qtbot, registry, world):
    item_id = finding_item(registry, world)
    tab.reload()
    seen: dict[str, object] = {}

    def new_item(dialog):  # deadline before the found date
        type_text(qtbot, dialog.units.picker.lineEdit(), "红旗区民政局")
        qtbot.keyClick(dialog.units.picker.lineEdit(), Qt.Key.Key_Return)
        type_text(qtbot, dialog.problem, "政策解读栏目空白")
        set_date(qtbot, dialog.found_on, "2025-11-03")
        qtbot.mouseClick(dialog.deadline.by_date, Qt.MouseButton.LeftButton)
        set_date(qtbot, dialog.deadline.date, "2025-11-01")
        dialog.buttons.button(SAVE).click()
        seen["new"] = dialog.error_line.text()
        seen["focus"] = dialog.focusWidget()
        seen["deadline"] = dialog.deadline.date

    drive(qtbot, tab.add_button, new_item)
    assert "整改期限（2025-11-01）早于发现日期（2025-11-03）" in seen["new"]
    assert seen["focus"] is seen["deadline"]

    def close_early(dialog):
        dialog.buttons.button(SAVE).click()
        seen["close"] = dialog.error_line.text()

    assert tab.select_id(item_id)
    drive(qtbot, tab.close_button, close_early)
    assert "尚无复查结果，不能关闭" in seen["close"]

    registry.rectification.record_report(item_id, date(2025, 10, 15))
    tab.reload()

    def recheck_early(dialog):
        dialog.buttons.button(SAVE).click()
        seen["no_result"] = dialog.error_line.text()
        qtbot.mouseClick(dialog.failed, Qt.MouseButton.LeftButton)
        set_date(qtbot, dialog.on, "2025-10-14")
        dialog.buttons.button(SAVE).click()
        seen["early"] = dialog.error_line.text()

    drive(qtbot, tab.recheck_button, recheck_early)
    assert seen["no_result"] == "请选择复查结果：复查通过或复查未通过。"
    assert "复查日期（2025-10-14）早于单位报送整改情况的日期（2025-10-15）" in seen["early"]

    rows = registry.rectification.list(TODAY)
    assert len(rows) == 1  # the bad new item was not saved
    assert rows[0].status is RectificationStatus.REPORTED
    assert rows[0].recheck_on is None and rows[0].closed_on is None


def test_manual_item_with_two_units_and_a_working_day_term(tab, qtbot, registry, world):
    seen: dict[str, object] = {}

    def fill(dialog):
        for unit in ("红旗区民政局", "红旗区人民政府"):
            type_text(qtbot, dialog.units.picker.lineEdit(), unit)
            qtbot.keyClick(dialog.units.picker.lineEdit(), Qt.Key.Key_Return)
        type_text(qtbot, dialog.problem, "政务公开专栏内容未及时更新")
        dialog.source.setCurrentText(RectificationSource.PROVINCE.label)
        type_text(qtbot, dialog.source_note, "省政府办公厅抽查")
        set_date(qtbot, dialog.found_on, "2026-12-20")  # 15 working days reach into 2027
        note = dialog.deadline.note
        seen["coverage"] = note.coverage.isVisibleTo(dialog) and note.coverage.text()
        seen["warning"] = note.warning.isVisibleTo(dialog) and note.warning.text()
        seen["result"] = dialog.deadline.result.text()
        dialog.deadline.term.kind.setCurrentIndex(1)  # 自然日: exact, no calendar needed
        seen["calendar_days"] = (
            note.coverage.isVisibleTo(dialog),
            note.warning.isVisibleTo(dialog),
        )
        seen["result_days"] = dialog.deadline.result.text()
        dialog.buttons.button(SAVE).click()

    drive(qtbot, tab.add_button, fill)
    assert "已收录2004—2026年" in seen["coverage"]
    assert "2027年及以后的法定节假日安排尚未收录" in seen["warning"]
    assert seen["result"].startswith("截止日期：2027-01-")
    assert seen["calendar_days"] == (False, False)
    assert seen["result_days"] == "截止日期：2027-01-04（星期一）"
    (row,) = registry.rectification.list(TODAY)
    assert row.unit_names == ("红旗区民政局", "红旗区人民政府")
    assert row.deadline == date(2027, 1, 4) and row.source is RectificationSource.PROVINCE
    assert tab.selected().id == row.id  # the new item is selected in the list


@pytest.fixture
def mixed(registry, world):
    """Overdue, due in 2 days, due later, and closed items on TODAY."""
    svc = registry.rectification

    def add(unit, problem, deadline, source=RectificationSource.SELF):
        return svc.create(
            ItemInput([unit], problem, date(2025, 10, 1), deadline=deadline, source=source)
        )

    ids = {
        "overdue": add("红旗区民政局", "逾期问题", TODAY - timedelta(days=1)),
        "soon": add("红旗区人民政府", "即将到期问题", TODAY + timedelta(days=2)),
        "later": add(
            "红旗区人民政府", "市级抽查问题", TODAY + timedelta(days=10), RectificationSource.CITY
        ),
        "closed": add("红旗区民政局", "已关闭问题", TODAY + timedelta(days=10)),
    }
    svc.record_recheck(ids["closed"], date(2025, 10, 10), True)
    svc.close(ids["closed"], date(2025, 10, 11))
    return ids


def test_rows_are_coloured_by_urgency(tab, qtbot, mixed, qtmodeltester):
    tab.reload()
    qtmodeltester.check(tab.model)
    model = tab.model

    def brushes(key):
        row = model.row_of_id(mixed[key])
        index = model.index(row, 0)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        return (
            background.color().name() if background else None,
            foreground.color().name() if foreground else None,
        )

    assert brushes("overdue") == (OVERDUE_BACKGROUND.color().name(), "#8b1111")
    assert brushes("soon") == (DUE_SOON_BACKGROUND.color().name(), "#6b4500")
    assert brushes("later") == (None, None)
    assert brushes("closed") == (None, "#8a8a8a")
    assert tab.counts_label.text() == "共 4 项：待整改 3 · 逾期 1 · 3天内到期 1 · 待复查 0"


def test_filters_narrow_the_list(tab, qtbot, mixed):
    tab.reload()
    assert tab.proxy.rowCount() == 4

    def shown():
        return {tab.proxy.row_at(i).problem_text for i in range(tab.proxy.rowCount())}

    tab.status_filter.setCurrentText("未关闭")
    assert shown() == {"逾期问题", "即将到期问题", "市级抽查问题"}
    qtbot.waitUntil(lambda: "筛选后显示 3 个" in tab.counts_label.text())
    tab.due_filter.setCurrentText("仅看逾期")
    assert shown() == {"逾期问题"}
    tab.due_filter.setCurrentText("逾期或即将到期")
    assert shown() == {"逾期问题", "即将到期问题"}
    tab.due_filter.setCurrentIndex(0)
    tab.source_filter.setCurrentText(RectificationSource.CITY.label)
    assert shown() == {"市级抽查问题"}
    tab.source_filter.setCurrentIndex(0)
    tab.status_filter.setCurrentText("已关闭")
    assert shown() == {"已关闭问题"}
    tab.status_filter.setCurrentIndex(0)
    tab.unit_filter.setCurrentText("红旗区人民政府")
    assert shown() == {"即将到期问题", "市级抽查问题"}
    assert tab.view_title() == "整改事项（红旗区人民政府）"
    tab.unit_filter.setCurrentIndex(0)
    tab.round_filter.setCurrentText("不属于检查轮次")
    assert len(shown()) == 4
    tab.search.setText("抽查")
    assert shown() == {"市级抽查问题"}
    assert tab.show_item(mixed["overdue"])  # hidden by the search: it is cleared
    assert tab.search.text() == "" and tab.selected().id == mixed["overdue"]


def test_unit_list_with_repeated_problems_and_export(
    tab, qtbot, registry, world, tmp_path, monkeypatch
):
    finding_item(registry, world)
    r2 = make_round(
        registry, "2025年第四季度", date(2025, 10, 1), date(2025, 12, 20), date(2025, 12, 22)
    )
    site2 = next(t for t in registry.inspection.targets(r2) if t.name == "红旗区人民政府网站")
    registry.inspection.save(site2.id, [Finding(world["veto"].code)])  # found again
    tab.reload()
    tab.select_id(tab.proxy.row_at(0).id)
    out = tmp_path / "单位清单.xlsx"
    monkeypatch.setattr(exporting, "ask_save_path", lambda *_args: out)
    seen = {}

    def look(dialog):
        seen["summary"] = dialog.summary.text()
        seen["repeats"] = [(r.problem, r.times) for r in dialog.repeats.rows]
        seen["items"] = dialog.items.rowCount()
        when_modal(lambda box: click_box_button(box, "确定"), kind=QMessageBox)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    drive(qtbot, tab.unit_button, look)
    assert seen["summary"].startswith("红旗区人民政府：整改事项共 2 项，未关闭 2 项")
    assert "被检查发现问题的轮次：2025年第三季度、2025年第四季度" in seen["summary"]
    assert seen["repeats"] == [(world["veto"].name, 2)] and seen["items"] == 2
    assert load_workbook(out).sheetnames == ["整改清单", "反复出现的问题"]


def test_reminders_per_unit_and_export(tab, qtbot, mixed, tmp_path, monkeypatch):
    tab.reload()
    out = tmp_path / "催办单.xlsx"
    monkeypatch.setattr(exporting, "ask_save_path", lambda *_args: out)
    seen = {}

    def look(dialog):
        top = dialog.tree.topLevelItem(0)
        seen["units"] = [
            dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())
        ]
        seen["child"] = [top.child(0).text(c) for c in range(6)]
        seen["summary"] = dialog.summary.text()
        when_modal(lambda box: click_box_button(box, "确定"), kind=QMessageBox)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    drive(qtbot, tab.reminder_button, look)
    assert seen["units"] == ["红旗区民政局（逾期 1 项）"]
    assert seen["child"] == ["逾期问题", "", "2025-10-01", "2025-10-24", "1", "待整改"]
    assert seen["summary"].startswith(
        "截至2025年10月25日，1 个单位的 1 项整改已超过整改期限仍未完成"
    )
    assert load_workbook(out).sheetnames == ["汇总", "红旗区民政局"]


def test_checklist_shows_the_earlier_rounds_open_item(qtbot, registry, world):
    finding_item(registry, world)
    r2 = make_round(
        registry, "2025年第四季度", date(2025, 10, 1), date(2025, 12, 20), date(2025, 12, 22)
    )
    targets = {t.name: t for t in registry.inspection.targets(r2)}
    panel = ChecklistPanel(registry)
    qtbot.addWidget(panel)
    panel.show()
    panel.load(targets["红旗区人民政府网站"].id)
    assert panel.followed_box.isVisible()
    assert panel.followed_box.title() == "上轮整改事项（保存后自动记录复查结果）"
    text = panel.followed.text()
    assert f"{world['veto'].short_name}(单否) — 待整改，期限 2025-10-20（2025年第三季度）" in text
    panel.save()  # saved with nothing found: the earlier item is re-checked as fixed
    assert "— 复查通过，期限 2025-10-20" in panel.followed.text()
    panel.load(targets["红旗民政"].id)  # nothing followed for this account
    assert not panel.followed_box.isVisible()


@pytest.fixture
def late_item(registry):
    registry.accounts.create(
        AccountInput(Platform.WECHAT, "红旗民政", "红旗区民政局"), create_unit=True
    )
    return registry.rectification.create(
        ItemInput(["红旗区民政局"], "长期未更新", date(2020, 1, 1), deadline=date(2020, 1, 10))
    )


def test_main_window_tab_after_inspection_with_overdue_count(late_item, window):
    tabs = window.tabs
    index = tabs.indexOf(window.rectification_tab)
    assert tabs.tabText(index - 1) == "检查"
    assert tabs.tabText(index) == "整改（1 逾期）"
    window.rectification_tab.status_filter.setCurrentText("已关闭")
    tabs.setCurrentIndex(index)
    assert window.counts.text().startswith("共 1 项：待整改 1 · 逾期 1")


def test_detail_flags_a_working_day_deadline_beyond_the_holiday_calendar(qtbot, registry, world):
    item_id = registry.rectification.create(
        ItemInput(["红旗区民政局"], "专栏空白", date(2026, 12, 20), deadline_days=15)
    )
    dialog = ItemDetailDialog(None, registry.rectification.get(item_id, TODAY), TODAY)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(
        t.startswith("2027-01-") and "15个工作日" in t and "⚠ 节假日安排尚未收录" in t
        for t in texts
    )
    assert "未附" in texts  # no report file yet
