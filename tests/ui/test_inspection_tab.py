"""The 检查 tab: a whole small round entered with the keyboard only, and bad input."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QSpinBox

from app.services.dto import AccountInput, WebsiteInput
from app.services.rounds import RoundInput
from app.vocab import Platform, RoundKind, TargetState, TargetType, WebsiteKind
from tests.ui.modal import click_box_button, type_text, when_modal
from ui.inspection.inspection_tab import InspectionTab
from ui.inspection.round_dialog import RoundDialog


@pytest.fixture
def small_round(registry):
    registry.websites.create(
        WebsiteInput(
            "通城县人民政府网站",
            "通城县人民政府",
            url="www.tongcheng.gov.cn",
            kind=WebsiteKind.PORTAL,
        ),
        create_unit=True,
    )
    registry.websites.create(
        WebsiteInput("通城县教育局网站", "县教育局", url="jyj.tongcheng.gov.cn"), create_unit=True
    )
    for name in ("通城教育", "通城旅游", "通城公安"):
        registry.accounts.create(AccountInput(Platform.WECHAT, name, "县教育局", region="通城县"))
    return registry.rounds.create(
        RoundInput(
            "2023年第一季度",
            RoundKind.QUARTERLY,
            date(2023, 1, 1),
            date(2023, 3, 25),
            registry.indicators.default_id(TargetType.WEBSITE),
            registry.indicators.default_id(TargetType.ACCOUNT),
        )
    )


@pytest.fixture
def tab(qtbot, registry, small_round):
    widget = InspectionTab(registry)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.reload()
    return widget


def focused() -> object:
    return QApplication.focusWidget()


def test_whole_round_with_the_keyboard_only(tab, qtbot, registry, small_round):
    assert tab.progress.text().startswith("已检 0 / 5")
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Home)  # first target: the portal site
    assert tab.panel.checklist.target.name == "通城县人民政府网站"
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)  # into its checklist
    rules = tab.panel.checklist.rules
    vetoes = [i for i in rules.indicators if i.part == "veto"]
    deductions = [i for i in rules.indicators if i.part == "deduction" and i.points_per]
    assert isinstance(focused(), QCheckBox)  # first veto item
    # Tab past the vetoes to the first deduction with per-occurrence points, type a count
    for _ in vetoes:
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    for _ in range(len(rules.indicators)):
        if focused().objectName() == f"item_{deductions[0].code}":
            break
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert isinstance(focused(), QSpinBox)
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "2")
    expected = 100 - min(deductions[0].points_per * 2, deductions[0].cap or 100)
    assert tab.panel.verdict.text().startswith(f"{expected:g}分")  # live score
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save + next

    # second target (department site): tick the first veto with Space
    assert tab.panel.checklist.target.name == "通城县教育局网站"
    assert isinstance(focused(), QCheckBox)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert tab.panel.verdict.text().startswith("不合格")
    assert f"{vetoes[0].short_name}(单否)" in tab.panel.problem_text.text()
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    # three accounts: the first fails its veto, the other two pass untouched
    account_veto = tab.panel.checklist.rules.indicators[0]
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    for _ in range(2):
        qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    states = {t.name: (t.state, t.problem_text) for t in registry.inspection.targets(small_round)}
    assert states["通城县人民政府网站"][0] is TargetState.PASSED
    assert states["通城县教育局网站"][0] is TargetState.FAILED
    assert states["通城教育"] == (TargetState.FAILED, f"{account_veto.short_name}(单否)")
    assert states["通城旅游"][0] is states["通城公安"][0] is TargetState.PASSED
    assert tab.progress.text() == "已检 5 / 5（合格 3，不合格 2）"
    stats = registry.stats.round_stats(small_round).as_json()
    assert stats["accounts"]["pass_rate"] == "66.7%" and stats["websites"]["pass_rate"] == "50.0%"


def test_unsaved_changes_are_saved_when_moving_on(tab, qtbot, registry, small_round):
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    first = tab.panel.checklist.target
    veto = tab.panel.checklist.rules.indicators[0]
    tab.panel.findChild(QCheckBox, f"item_{veto.code}").setChecked(True)
    type_text(
        qtbot, tab.panel.findChild(type(tab.panel.note), f"note_{veto.code}"), "首页篡改 2023-03-01"
    )
    qtbot.keyClick(tab.view, Qt.Key.Key_Down)  # move on without pressing save
    saved = registry.inspection.checklist(first.id)
    assert saved.findings[veto.code].note == "首页篡改 2023-03-01"
    assert saved.target.state is TargetState.FAILED


def test_bulk_pass_and_bad_count(tab, qtbot, registry, small_round):
    tab.proxy.set_search_text("通城")
    kind = tab.kind_filter
    kind.setCurrentIndex(kind.findText("政务新媒体"))
    assert tab.proxy.rowCount() == 3
    tab.view.selectAll()
    when_modal(lambda box: click_box_button(box, "标为合格"))
    qtbot.mouseClick(tab.bulk_pass, Qt.MouseButton.LeftButton)
    assert tab.progress.text().startswith("已检 3 / 5")
    # a points entry above its cap is refused with a message and nothing saved
    kind.setCurrentIndex(kind.findText("政府网站"))
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    manual = [
        i
        for i in tab.panel.checklist.rules.indicators
        if i.points_per is None and i.cap is not None
    ]
    if manual:  # the local 新乡 set has such items; the national one may not
        editor = next(r.editor for r in tab.panel._rows if r.indicator.code == manual[0].code)
        editor.setValue(float(manual[0].cap) + 5)
        assert tab.panel.verdict.text() == "输入有误" and tab.panel.error_line.text()
        assert tab.panel.save() is None
        assert (
            registry.inspection.target(tab.panel.checklist.target.id).state is TargetState.PENDING
        )
        editor.setValue(float(manual[0].cap))  # corrected: leaving the target saves it
    # window end before start in the round dialog
    messages = []

    def fill(dialog):
        assert isinstance(dialog, RoundDialog)
        dialog.name.clear()
        type_text(qtbot, dialog.name, "坏轮次")
        dialog.window_start.clear()
        qtbot.keyClicks(dialog.window_start, "2023-03-01")
        dialog.window_end.clear()
        qtbot.keyClicks(dialog.window_end, "2023-01-01")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        messages.append(dialog.error_line.text())
        dialog.reject()

    when_modal(fill)
    qtbot.mouseClick(tab.new_round, Qt.MouseButton.LeftButton)
    assert "早于开始日期" in messages[0]
    assert registry.rounds.find_id("坏轮次") is None


def test_remove_and_add_back_a_target(tab, qtbot, registry, small_round):
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_End)
    last = tab.panel.checklist.target
    when_modal(lambda box: click_box_button(box, "移出"))
    qtbot.mouseClick(tab.remove_target_button, Qt.MouseButton.LeftButton)
    assert last.name not in {t.name for t in registry.inspection.targets(small_round)}
    assert tab.progress.text().startswith("已检 0 / 4")

    def add_back(dialog):
        dialog.view.selectAll()
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    when_modal(add_back)
    qtbot.mouseClick(tab.add_targets_button, Qt.MouseButton.LeftButton)
    assert tab.progress.text().startswith("已检 0 / 5")


def test_round_stats_dialog_shows_rates_by_region(tab, qtbot, registry, small_round):
    ids = [t.id for t in registry.inspection.targets(small_round)]
    registry.inspection.mark_passed(ids[:4])  # 2 sites + 2 of 3 accounts
    tab.refresh()
    seen = {}

    def look(dialog):
        seen["summary"] = dialog.summary.text()
        seen["rows"] = [(r.region, r.kind, r.counts.pass_rate) for r in dialog.model.rows]
        dialog.reject()

    when_modal(look)
    qtbot.mouseClick(tab.stats_button, Qt.MouseButton.LeftButton)
    assert "政府网站：共 2 个，合格 2 个，不合格 0 个，合格率 100%" in seen["summary"]
    # unchecked targets are not failures: 2 of 2 inspected accounts passed
    assert "政务新媒体：共 3 个，合格 2 个，不合格 0 个，未检 1 个，合格率 100%" in seen["summary"]
    assert ("通城县", "accounts", "100%") in seen["rows"]


def test_invalid_entry_keeps_the_list_on_its_target(tab, qtbot, registry, small_round, monkeypatch):
    """Moving on with an unsavable value leaves list and checklist on the same target."""
    from app.domain.scoring import Finding

    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Home)
    first = tab.panel.checklist.target
    counted = next(r for r in tab.panel._rows if r.count is not None)
    # the spin boxes cannot go below 0, so hand the panel a value the rules refuse
    monkeypatch.setattr(tab.panel, "findings", lambda: [Finding(counted.indicator.code, -1)])
    counted.count.setValue(5)  # marks the checklist as changed
    assert tab.panel.verdict.text() == "输入有误"
    qtbot.keyClick(tab.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: tab.view.selectionModel().currentIndex().row() == 0)
    assert tab.proxy.row_at(tab.view.selectionModel().currentIndex().row()).id == first.id
    qtbot.wait(50)  # let any deferred selection change land
    highlighted = [i.row() for i in tab.view.selectionModel().selectedRows()]
    assert highlighted == [0]  # the highlight did not move on either
    assert tab.panel.checklist.target.id == first.id
    assert tab.panel.error_line.text()
    assert registry.inspection.target(first.id).state is TargetState.PENDING


def test_round_dialog_error_clears_when_the_field_is_fixed(qtbot, registry, small_round):
    dialog = RoundDialog(None, registry)
    qtbot.addWidget(dialog)
    dialog.window_end.setText("2000-01-01")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert "早于开始日期" in dialog.error_line.text()
    dialog.window_end.clear()
    qtbot.keyClicks(dialog.window_end, "2099-01-01")
    assert dialog.error_line.text() == "" and dialog.error_line.isHidden()


def test_pending_target_shows_no_verdict_until_something_is_entered(tab, qtbot):
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Home)
    assert tab.panel.verdict.text() == "未检"
    veto = next(r for r in tab.panel._rows if r.check is not None)
    veto.check.setChecked(True)
    assert tab.panel.verdict.text().startswith("不合格")


def test_new_round_offers_the_sets_of_the_last_round(qtbot, registry, small_round):
    local = next(s for s in registry.indicators.list(TargetType.WEBSITE) if "xinxiang" in s.code)
    row = registry.rounds.get(small_round)
    registry.rounds.update(
        small_round,
        RoundInput(
            row.name, row.kind, row.window_start, row.window_end, local.id, row.account_set_id
        ),
    )
    dialog = RoundDialog(None, registry)
    qtbot.addWidget(dialog)
    assert dialog.website_set.currentData() == local.id


def test_cannot_leave_the_tab_with_an_unsavable_checklist(window, qtbot, small_round, monkeypatch):
    from app.domain.scoring import Finding

    window.tabs.setCurrentWidget(window.inspection_tab)
    tab = window.inspection_tab
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Home)
    counted = next(r for r in tab.panel._rows if r.count is not None)
    monkeypatch.setattr(tab.panel, "findings", lambda: [Finding(counted.indicator.code, -1)])
    counted.count.setValue(3)
    window.tabs.setCurrentWidget(window.registry_tab)  # try to go to 台账
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tab)
    assert tab.panel.error_line.text()


def test_new_round_name_never_repeats_an_existing_round():
    from ui.inspection.round_dialog import suggest_round

    today = date(2026, 11, 24)
    assert suggest_round(today) == ("2026年第四季度", date(2026, 10, 1))
    assert suggest_round(today, {"2026年第四季度"}) == ("2026年11月", date(2026, 11, 1))
    assert suggest_round(today, {"2026年第四季度", "2026年11月"})[0] == "2026年第四季度（2）"
