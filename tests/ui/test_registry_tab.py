"""The 台账 tab driven like a clerk: typing, clicking, pressing keys."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from app.vocab import AccountStatus, EventKind, Platform
from tests.ui.modal import box_text, click_box_button, type_text, when_modal
from ui.registry.account_dialog import AccountDialog
from ui.registry.history_dialog import HistoryDialog
from ui.registry.lifecycle_dialog import LifecycleDialog
from ui.registry.website_dialog import WebsiteDialog


def action(page, name):
    return next(a for a in page.actions() if a.objectName() == name)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def test_empty_database_offers_demo_data_and_it_can_be_cleared(window, qtbot):
    tab = window.registry_tab
    assert tab.banner.isVisible() and tab.banner.load_button.isVisible()
    assert "演示数据" in tab.banner.text.text()
    qtbot.mouseClick(tab.banner.load_button, Qt.MouseButton.LeftButton)
    assert tab.websites.proxy.rowCount() == 49
    assert "含演示数据" in window.windowTitle()
    assert "政府网站 49 个" in window.counts.text()
    assert tab.banner.clear_button.isVisible()
    when_modal(lambda box: click_box_button(box, "清除"))
    qtbot.mouseClick(tab.banner.clear_button, Qt.MouseButton.LeftButton)
    assert tab.websites.proxy.rowCount() == 0
    assert tab.accounts.proxy.rowCount() == 0
    assert "含演示数据" not in window.windowTitle()


def test_add_account_through_dialog_with_a_new_unit(window, qtbot, registry):
    tab = window.registry_tab
    tab.lists.setCurrentWidget(tab.accounts)
    page = tab.accounts
    seen = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountDialog)
        choose(dialog.platform, "抖音")
        type_text(qtbot, dialog.name, "通城公安")
        type_text(qtbot, dialog.unit.lineEdit(), "县公安局")
        type_text(qtbot, dialog.region, "通城县")
        type_text(qtbot, dialog.opened_on, "2020/3/15")
        type_text(qtbot, dialog.maintainer_phone, "13800001111")

        def create_unit(box):
            seen["question"] = box_text(box)
            click_box_button(box, "新建单位")

        when_modal(create_unit)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(fill)
    action(page, "add").trigger()
    assert "县公安局" in seen["question"]
    assert page.proxy.rowCount() == 1
    row = page.selected()
    assert (row.platform, row.name, row.unit_name, row.region) == (
        Platform.DOUYIN,
        "通城公安",
        "县公安局",
        "通城县",
    )
    assert row.opened_on.isoformat() == "2020-03-15"
    assert "政务新媒体 1 个" in window.counts.text()
    assert registry.units.find_id("县公安局") is not None


def test_bad_input_keeps_the_dialog_open_with_a_message(window, qtbot, registry):
    registry.demo.load()
    window.registry_tab.reload()
    page = window.registry_tab.accounts
    messages = []

    def attempt(dialog: QDialog) -> None:
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        save.click()  # nothing typed
        messages.append((dialog.error_line.text(), dialog.focusWidget() is dialog.name))
        type_text(qtbot, dialog.name, "通城公安")
        type_text(qtbot, dialog.unit.lineEdit(), "县公安局")
        type_text(qtbot, dialog.opened_on, "2023-02-30")
        save.click()
        messages.append((dialog.error_line.text(), dialog.focusWidget() is dialog.opened_on))
        dialog.opened_on.clear()
        choose(dialog.platform, "抖音")
        save.click()  # 通城公安 on 抖音 is in the demo data
        messages.append((dialog.error_line.text(), dialog.isVisible()))
        type_text(qtbot, dialog.maintainer_phone, "打电话")
        choose(dialog.platform, "百家号")
        save.click()
        messages.append((dialog.error_line.text(), dialog.focusWidget() is dialog.maintainer_phone))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    before = len(registry.accounts.list())
    when_modal(attempt)
    action(page, "add").trigger()
    assert messages[0] == ("请填写「账号名称」。", True)
    assert "「开设日期」「2023-02-30」不是有效日期" in messages[1][0] and messages[1][1]
    assert "抖音账号「通城公安」已在台账中" in messages[2][0] and messages[2][1]
    assert "管理员电话" in messages[3][0] and messages[3][1]
    assert len(registry.accounts.list()) == before


def test_website_dialog_rejects_bad_url_and_duplicate_code(demo_window, qtbot, registry):
    page = demo_window.registry_tab.websites
    existing = registry.websites.list()[0]
    messages = []

    def attempt(dialog: QDialog) -> None:
        assert isinstance(dialog, WebsiteDialog)
        type_text(qtbot, dialog.name, "测试网站")
        type_text(qtbot, dialog.unit.lineEdit(), existing.unit_name)
        type_text(qtbot, dialog.url, "htp:/bad url")
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        save.click()
        messages.append(dialog.error_line.text())
        dialog.url.clear()
        type_text(qtbot, dialog.site_code, existing.site_code)
        save.click()
        messages.append(dialog.error_line.text())
        dialog.reject()

    when_modal(attempt)
    action(page, "add").trigger()
    assert "「网址」" in messages[0]
    assert f"网站标识码 {existing.site_code} 已登记为「{existing.name}」" in messages[1]
    assert len(registry.websites.list()) == 49


def test_search_and_filters(demo_window, qtbot):
    tab = demo_window.registry_tab
    tab.lists.setCurrentWidget(tab.accounts)
    page = tab.accounts
    total = page.proxy.rowCount()
    type_text(qtbot, page.search, "公安")
    names = {r.name for r in page.visible_rows()}
    assert names and all("公安" in r.name or "公安" in r.unit_name for r in page.visible_rows())
    qtbot.waitUntil(lambda: "筛选后显示" in demo_window.counts.text())
    choose(page.findChild(QComboBox, "filter_platform"), "抖音")
    assert [(r.platform, r.name) for r in page.visible_rows()] == [(Platform.DOUYIN, "通城公安")]
    page.search.clear()
    choose(page.findChild(QComboBox, "filter_platform"), "全部平台")
    choose(page.findChild(QComboBox, "filter_filing"), "未及时备案")
    assert {r.filing_status.label for r in page.visible_rows()} == {"未及时备案"}
    choose(page.findChild(QComboBox, "filter_filing"), "全部备案状态")
    choose(page.region_filter, "临沭县")
    assert page.visible_rows() and {r.region for r in page.visible_rows()} == {"临沭县"}
    choose(page.region_filter, "全部县区")
    choose(page.findChild(QComboBox, "filter_status"), "已关停")
    assert page.visible_rows() and all(
        r.status is AccountStatus.CLOSED for r in page.visible_rows()
    )
    choose(page.findChild(QComboBox, "filter_status"), "全部状态")
    assert page.proxy.rowCount() == total
    # search by a unit alias typed with different width/spacing finds nothing false
    type_text(qtbot, page.search, "ＸＹＺ不存在")
    assert page.proxy.rowCount() == 0


def test_sorting_by_header_click(demo_window, qtbot):
    page = demo_window.registry_tab.units
    demo_window.registry_tab.lists.setCurrentWidget(page)
    header = page.view.horizontalHeader()
    column = 5  # 新媒体数
    header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    counts = [r.account_count for r in page.visible_rows()]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1


def test_close_reopen_and_history_with_keyboard(demo_window, qtbot, registry):
    tab = demo_window.registry_tab
    tab.lists.setCurrentWidget(tab.accounts)
    page = tab.accounts
    type_text(qtbot, page.search, "通城旅游")
    choose(page.findChild(QComboBox, "filter_platform"), "抖音")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)  # from the search box into the results
    assert page.view.hasFocus()
    row = page.selected()
    assert row.name == "通城旅游" and row.is_running

    def close(dialog):
        assert isinstance(dialog, LifecycleDialog)
        assert dialog.on.text() == date.today().isoformat()  # today is the default
        type_text(qtbot, dialog.reason, "通报后责令关停")
        qtbot.keyClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.Key.Key_Space)

    when_modal(close)
    action(page, "close_record").trigger()
    row = page.selected()
    assert row.status is AccountStatus.CLOSED and row.closed_on == date.today()
    assert not action(page, "close_record").isEnabled() and action(page, "reopen").isEnabled()
    index = page.proxy.index(0, 0)
    assert page.proxy.data(index, Qt.ItemDataRole.ForegroundRole) is not None  # greyed out

    def reopen(dialog):
        type_text(qtbot, dialog.reason, "整改到位")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(reopen)
    action(page, "reopen").trigger()
    assert page.selected().status is AccountStatus.RUNNING

    shown = {}

    def look(dialog):
        assert isinstance(dialog, HistoryDialog)
        model = dialog.model
        shown["kinds"] = [model.row_at(i).kind for i in range(model.rowCount())]
        shown["reasons"] = [model.row_at(i).reason for i in range(model.rowCount())]
        dialog.reject()

    when_modal(look)
    qtbot.mouseClick(
        page.toolbar.widgetForAction(action(page, "history")), Qt.MouseButton.LeftButton
    )
    assert shown["kinds"] == [EventKind.REGISTERED, EventKind.CLOSED, EventKind.REOPENED]
    assert shown["reasons"][1:] == ["通报后责令关停", "整改到位"]


def test_enter_opens_the_editor_and_rename_is_saved(demo_window, qtbot, registry):
    page = demo_window.registry_tab.websites
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    original = page.selected()
    assert original is not None

    def rename(dialog):
        assert isinstance(dialog, WebsiteDialog)
        dialog.name.selectAll()
        type_text(qtbot, dialog.name, "长垣市政府门户网站")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    when_modal(rename)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert page.selected().name == "长垣市政府门户网站"
    assert registry.websites.history(original.id)[-1].kind is EventKind.RENAMED


def test_delete_asks_first(demo_window, qtbot, registry):
    page = demo_window.registry_tab.websites
    page.select_id(registry.websites.list()[0].id)
    when_modal(lambda box: click_box_button(box, "取消"))
    action(page, "delete").trigger()
    assert page.proxy.rowCount() == 49
    when_modal(lambda box: click_box_button(box, "删除"))
    action(page, "delete").trigger()
    assert page.proxy.rowCount() == 48


def test_merge_units_through_dialog(window, qtbot, registry):
    from app.services.dto import AccountInput, UnitInput

    registry.units.create(UnitInput(name="县市场监管局", region="通城县"))
    registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城市场监管", "县市监局"), create_unit=True
    )
    tab = window.registry_tab
    tab.reload()
    tab.lists.setCurrentWidget(tab.units)
    page = tab.units
    page.select_id(registry.units.find_id("县市监局"))

    def merge(dialog):
        type_text(qtbot, dialog.keep.lineEdit(), "县市场监管局")
        when_modal(lambda box: click_box_button(box, "合并"))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(merge)
    action(page, "merge").trigger()
    assert [r.name for r in page.visible_rows()] == ["县市场监管局"]
    assert page.visible_rows()[0].aliases == ("县市监局",)
    assert page.visible_rows()[0].account_count == 1


def test_export_current_list(demo_window, qtbot, tmp_path):
    from openpyxl import load_workbook

    page = demo_window.registry_tab.websites
    type_text(qtbot, page.search, "红旗")
    target = tmp_path / "红旗区网站.xlsx"
    done = {}

    def save_as(dialog):
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(target))

        def finished(box):
            done["text"] = box_text(box)
            click_box_button(box, "确定")

        when_modal(finished, kind=QMessageBox)
        dialog.accept()

    when_modal(save_as)
    action(page, "export").trigger()
    assert "已导出" in done["text"]
    ws = load_workbook(target)["政府网站"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        r.name for r in page.visible_rows()
    ]


def test_window_remembers_its_size(window, qtbot, registry):
    from ui.main_window import MainWindow

    window.resize(780, 560)  # fits the 800×600 offscreen screen and the window minimum
    window.close()
    again = MainWindow(registry)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (780, 560)


def test_form_widgets_are_labelled(window):
    dialog = AccountDialog(window, window.registry)
    assert dialog.windowTitle() == "新增政务新媒体"
    assert isinstance(dialog.field("name"), QLineEdit)
    assert isinstance(dialog.field("note"), QPlainTextEdit)
    dialog.deleteLater()


def test_history_shortcut(demo_window, qtbot):
    page = demo_window.registry_tab.websites
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    titles = []

    def look(dialog):
        titles.append(dialog.windowTitle())
        dialog.reject()

    when_modal(look)
    qtbot.keyClick(page.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert titles == [f"变更记录 — {page.selected().name}"]


def test_ctrl_f_jumps_to_search(demo_window, qtbot):
    page = demo_window.registry_tab.websites
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.view.hasFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()


def test_account_dialog_offers_regions_and_fills_the_units_region(demo_window, qtbot):
    dialog = AccountDialog(demo_window, demo_window.registry)
    qtbot.addWidget(dialog)
    regions = [dialog.region.itemText(i) for i in range(dialog.region.count())]
    assert "通城县" in regions and "市直" in regions
    type_text(qtbot, dialog.unit.lineEdit(), "县公安局")
    assert dialog.region.text() == "通城县"  # taken from the unit
    dialog.region.setText("")
    type_text(qtbot, dialog.region, "临沭县")
    assert dialog.region.text() == "临沭县"
