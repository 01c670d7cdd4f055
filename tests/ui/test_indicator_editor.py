"""指标体系 editor: unconfirmed rows, cell edits through the view, versions and local copies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.domain.scoring import Finding
from app.services.rounds import RoundInput
from app.vocab import RoundKind, TargetType
from tests.ui.modal import click_box_button, type_text, when_modal
from ui.application import install_fonts
from ui.inspection.indicator_editor import (
    AMBER,
    UNCONFIRMED_TIP,
    IndicatorSetEditor,
    SaveAsDialog,
    suggest_local_code,
)
from ui.inspection.inspection_tab import InspectionTab

WEBSITE = "national-2019-website"
BG = Qt.ItemDataRole.BackgroundRole
TIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def pinned_round(registry) -> int:
    """A round over the demo registry, pinned to version 1 of the national sets."""
    registry.demo.load()
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
def editor(qtbot, qapp, registry, pinned_round):
    install_fonts(qapp)
    dialog = IndicatorSetEditor(None, registry, registry.indicators.default_id(TargetType.WEBSITE))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    yield dialog
    # not qtbot.addWidget: its teardown closes before this line and would ask about changes
    dialog._set_dirty(False)
    dialog.close()
    dialog.deleteLater()


def row_of(dialog: IndicatorSetEditor, code: str) -> int:
    return next(i for i, d in enumerate(dialog.model.rows) if d.code == code)


def cell(dialog: IndicatorSetEditor, code: str, key: str) -> QModelIndex:
    return dialog.model.index(row_of(dialog, code), dialog.model.column_of(key))


def draft(dialog: IndicatorSetEditor, code: str):
    return dialog.model.rows[row_of(dialog, code)]


def open_editor(view, index: QModelIndex) -> QWidget:
    """Start editing ``index`` in ``view`` the way a double click does; the editor widget."""
    view.scrollTo(index)
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [w for w in view.viewport().findChildren(QWidget) if w.isVisible()]
    editors = [w for w in editors if isinstance(w, (QLineEdit, QComboBox))]
    assert len(editors) == 1, editors
    return editors[0]


def edit_text(qtbot, view, index: QModelIndex, text: str) -> None:
    """Type ``text`` into the cell's editor and commit it with Enter."""
    line = open_editor(view, index)
    assert isinstance(line, QLineEdit)
    line.selectAll()
    line.del_()
    type_text(qtbot, line, text)
    commit(qtbot, view, line)


def commit(qtbot, view, editor: QWidget) -> None:
    """Enter in a cell editor; the delegate commits on the next turn of the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def guarded(handler: Callable[[QWidget], None]) -> Callable[[QWidget], None]:
    """``handler`` for when_modal that closes the dialog if it fails, so exec() returns."""

    def run(dialog: QWidget) -> None:
        try:
            handler(dialog)
        except BaseException:
            dialog.close()
            raise

    return run


def versions(registry, code: str = WEBSITE) -> list[int]:
    return [row.version for row in registry.indicators.list() if row.code == code]


def save_dialog_button(dialog: SaveAsDialog) -> QPushButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_unconfirmed_rows_are_tinted_amber_with_a_tooltip(editor, registry):
    unconfirmed = cell(editor, "W-D4", "name")
    assert editor.model.data(unconfirmed, BG).color() == AMBER
    assert UNCONFIRMED_TIP in editor.model.data(unconfirmed, TIP)
    assert UNCONFIRMED_TIP in editor.model.data(cell(editor, "W-D4", "points_per"), TIP)
    confirmed = cell(editor, "W-D1", "name")
    assert editor.model.data(confirmed, BG) is None
    assert UNCONFIRMED_TIP not in (editor.model.data(confirmed, TIP) or "")
    checked = editor.model.data(cell(editor, "W-D4", "confirmed"), Qt.ItemDataRole.CheckStateRole)
    assert checked == Qt.CheckState.Unchecked
    # an unconfirmed category (发布解读 40 points) is tinted too
    first_category = editor.categories.index(0, 0)
    assert editor.categories.data(first_category, BG).color() == AMBER

    assert "（第1版）" in editor.set_combo.currentText()
    assert "（最新）" in editor.set_combo.currentText()
    assert "2023年第一季度" in editor.info.text()  # the round pinned to this version
    assert editor.version_note.text() == (
        "保存后生成第2版；已使用旧版本的检查轮次不受影响，继续按旧版评分。"
    )
    assert editor.model.data(cell(editor, "W-D4", "part")) == "扣分"
    assert editor.model.data(cell(editor, "W-B1", "points_per")) == "按实际扣分"
    assert not editor.params_box.isHidden() and editor.params["pass_mark"].value() == 60


def test_edit_add_and_save_as_a_new_version_leaves_the_round_alone(
    editor, qtbot, registry, pinned_round
):
    v1 = editor.set_id
    site = next(
        t for t in registry.inspection.targets(pinned_round) if t.kind is TargetType.WEBSITE
    )
    scored = registry.inspection.save(site.id, [Finding("W-D4", 1)])
    assert scored.score == 98

    edit_text(qtbot, editor.view, cell(editor, "W-D4", "points_per"), "3")
    assert draft(editor, "W-D4").points_per == Decimal(3)
    assert editor.is_dirty() and not editor.error_line.isVisible()
    confirmed = cell(editor, "W-D4", "confirmed")
    assert editor.model.setData(confirmed, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert editor.model.data(cell(editor, "W-D4", "name"), BG) is None  # no longer amber

    editor.view.setCurrentIndex(cell(editor, "W-D4", "code"))
    editor.add_button.click()
    new_row = row_of(editor, "W-D4") + 1
    added = editor.model.rows[new_row]
    assert (added.part, added.category, added.name) == ("deduction", "发布解读", "新指标")
    edit_text(qtbot, editor.view, editor.model.index(new_row, 0), "L-D1")
    edit_text(qtbot, editor.view, cell(editor, "L-D1", "name"), "栏目命名不规范")
    edit_text(qtbot, editor.view, cell(editor, "L-D1", "short_name"), "栏目命名不规范")
    edit_text(qtbot, editor.view, cell(editor, "L-D1", "points_per"), "1")
    edit_text(qtbot, editor.view, cell(editor, "L-D1", "cap"), "4")

    seen: list[str] = []

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, SaveAsDialog)
        seen.append(dialog.name.text())
        save_dialog_button(dialog).click()

    when_modal(guarded(accept))
    editor.save_button.click()

    assert seen == [registry.indicators.get(v1).name]  # name offered, kept unchanged
    assert versions(registry) == [1, 2]
    v2 = editor.set_id
    assert v2 != v1 and registry.indicators.get(v2).version == 2
    assert "（第2版）（最新）" in editor.set_combo.currentText()
    assert not editor.is_dirty() and editor.status.text().startswith("已保存")
    assert editor.version_note.text().startswith("保存后生成第3版")
    new_rules = registry.indicators.rules(v2)
    assert new_rules.indicator("W-D4").points_per == 3 and new_rules.indicator("W-D4").confirmed
    codes = [i.code for i in new_rules.indicators]
    assert codes[codes.index("W-D4") + 1] == "L-D1"
    local = new_rules.indicator("L-D1")
    assert (local.name, local.points_per, local.cap, local.category) == (
        "栏目命名不规范",
        1,
        4,
        "发布解读",
    )
    # the round keeps version 1 and its result is not rescored
    assert registry.rounds.get(pinned_round).website_set_id == v1
    old_rules = registry.indicators.rules(v1)
    assert old_rules.indicator("W-D4").points_per == 2 and not old_rules.indicator("W-D4").confirmed
    assert "L-D1" not in {i.code for i in old_rules.indicators}
    assert registry.inspection.target(site.id).score == 98
    assert registry.inspection.checklist(site.id).rules == old_rules


def test_negative_value_and_duplicate_code_are_refused_with_a_message(editor, qtbot, registry):
    edit_text(qtbot, editor.view, cell(editor, "W-D4", "points_per"), "-1")
    assert editor.error_line.isVisible()
    assert "每处分值" in editor.error_line.text() and "不能为负数" in editor.error_line.text()
    assert editor.error_line.text().startswith(f"第{row_of(editor, 'W-D4') + 1}行（W-D4）")
    assert draft(editor, "W-D4").points_per == 2

    edit_text(qtbot, editor.view, cell(editor, "W-D4", "cap"), "六分")
    assert "应为数字" in editor.error_line.text() and draft(editor, "W-D4").cap == 6

    edit_text(qtbot, editor.view, cell(editor, "W-D2", "code"), "W-D1")
    assert "W-D1" in editor.error_line.text() and "已被第" in editor.error_line.text()
    assert [d.code for d in editor.model.rows].count("W-D1") == 1
    assert draft(editor, "W-D2").part == "deduction"

    edit_text(qtbot, editor.view, cell(editor, "W-D2", "name"), "")
    assert "名称" in editor.error_line.text() and "不能为空" in editor.error_line.text()

    names = editor.categories
    edit_text(qtbot, editor.category_view, names.index(1, 0), "发布解读")
    assert "已在第1行" in editor.error_line.text() and names.rows[1].name == "办事服务"
    edit_text(qtbot, editor.category_view, names.index(1, 1), "-5")
    assert "不能为负数" in editor.error_line.text() and names.rows[1].points == 25
    assert not editor.is_dirty()  # nothing was stored

    edit_text(qtbot, editor.view, cell(editor, "W-D4", "points_per"), "2.5")
    assert not editor.error_line.isVisible() and draft(editor, "W-D4").points_per == Decimal("2.5")


def test_an_invalid_set_is_not_saved(editor, qtbot, registry):
    edit_text(qtbot, editor.view, cell(editor, "W-D4", "points_per"), "20")  # above its cap 6
    editor.save_button.click()  # refused before any dialog opens
    assert editor.error_line.text().startswith("无法保存")
    assert "W-D4" in editor.error_line.text()
    editor.params["pass_mark"].setValue(120)
    edit_text(qtbot, editor.view, cell(editor, "W-D4", "points_per"), "2")
    editor.copy_button.click()
    assert "合格线" in editor.error_line.text() or "pass_mark" in editor.error_line.text()
    assert versions(registry) == [1]
    assert len(registry.indicators.list()) == 4


def test_changing_the_part_and_the_mode(editor, qtbot, registry):
    combo = open_editor(editor.view, cell(editor, "W-D4", "part"))
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["单项否决", "扣分", "加分"]
    combo.setCurrentIndex(combo.findData("veto"))
    commit(qtbot, editor.view, combo)
    veto = draft(editor, "W-D4")
    assert (veto.part, veto.category, veto.points_per, veto.cap) == ("veto", "", None, None)
    assert not editor.model.flags(cell(editor, "W-D4", "points_per")) & Qt.ItemFlag.ItemIsEditable

    combo = open_editor(editor.view, cell(editor, "W-D5", "category"))
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText("互动交流"))
    commit(qtbot, editor.view, combo)
    assert draft(editor, "W-D5").category == "互动交流"

    edit_text(qtbot, editor.category_view, editor.categories.index(2, 0), "互动回应")
    assert draft(editor, "W-D5").category == "互动回应"  # the rename follows into indicators
    assert draft(editor, "W-D3").category == "互动回应"

    account = registry.indicators.default_id(TargetType.ACCOUNT)
    editor._set_dirty(False)
    editor.set_combo.setCurrentIndex(editor.set_combo.findData(account))
    assert editor.set_id == account and editor.mode.currentText() == "仅单项否决"
    assert editor.params_box.isHidden() and editor.categories_group.isHidden()


def test_move_and_delete_indicators(editor, qtbot):
    start = row_of(editor, "W-D4")
    editor.view.setCurrentIndex(cell(editor, "W-D4", "name"))
    editor.up_button.click()
    assert row_of(editor, "W-D4") == start - 1
    editor.down_button.click()
    editor.down_button.click()
    assert row_of(editor, "W-D4") == start + 1
    assert editor.view.currentIndex().row() == start + 1
    editor.remove_button.click()
    assert "W-D4" not in {d.code for d in editor.model.rows}
    editor.category_view.setCurrentIndex(editor.categories.index(0, 0))
    editor.remove_category_button.click()  # 发布解读 still has indicators
    assert "W-D1" in editor.error_line.text() and len(editor.categories.rows) == 5


def test_copy_as_local_rules_creates_a_new_code(editor, qtbot, registry):
    edit_text(qtbot, editor.view, cell(editor, "W-D10", "points_per"), "2")

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SaveAsDialog)
        assert dialog.code.text() == "local-2019-website"
        dialog.name.clear()
        type_text(qtbot, dialog.name, "通城县政府网站检查（本地规则）")
        dialog.code.setText("local-xinxiang-2023-website")  # a shipped code: refused inline
        dialog.code.textEdited.emit(dialog.code.text())
        save_dialog_button(dialog).click()
        assert dialog.isVisible() and "已被使用" in dialog.error_line.text()
        dialog.code.clear()
        type_text(qtbot, dialog.code, "local-tongcheng")
        save_dialog_button(dialog).click()

    when_modal(guarded(fill))
    editor.copy_button.click()

    row = registry.indicators.get(editor.set_id)
    assert (row.code, row.version, row.name) == (
        "local-tongcheng",
        1,
        "通城县政府网站检查（本地规则）",
    )
    assert registry.indicators.rules(row.id).indicator("W-D10").points_per == 2
    assert versions(registry) == [1]  # the national set is unchanged
    assert "通城县政府网站检查（本地规则）（第1版）（最新）" in editor.set_combo.currentText()
    assert editor.version_note.text().startswith("保存后生成第2版")


def test_an_older_version_is_saved_as_the_next_version_of_its_code(editor, qtbot, registry):
    v1 = editor.set_id
    registry.indicators.save_new_version(v1, registry.indicators.rules(v1), "第二版名称")
    editor._fill_combo(v1)
    assert "（第1版）（旧版）" in editor.set_combo.currentText()
    assert editor.version_note.text().startswith("保存后生成第3版")
    edit_text(qtbot, editor.view, cell(editor, "W-D6", "points_per"), "1")

    def rename(dialog: QWidget) -> None:
        assert isinstance(dialog, SaveAsDialog)
        dialog.name.clear()
        type_text(qtbot, dialog.name, "国家网站指标（本市核实）")
        save_dialog_button(dialog).click()

    when_modal(guarded(rename))
    editor.save_button.click()
    assert versions(registry) == [1, 2, 3]
    row = registry.indicators.get(editor.set_id)
    assert (row.version, row.name) == (3, "国家网站指标（本市核实）")


def test_closing_with_unsaved_changes_asks_first(editor, qtbot):
    edit_text(qtbot, editor.view, cell(editor, "W-D4", "points_per"), "3")
    when_modal(lambda box: click_box_button(box, "取消"))
    editor.close_button.click()
    assert editor.isVisible() and editor.is_dirty()
    when_modal(lambda box: click_box_button(box, "放弃修改"))
    editor.close_button.click()
    assert not editor.isVisible()


def test_local_code_suggestion():
    taken = {"local-2019-website"}
    assert suggest_local_code("通城县", "national-2019-website", taken) == "local-2019-website-2"
    assert suggest_local_code("Tongcheng 2023", "national-2019-website", taken) == (
        "local-tongcheng-2023"
    )
    assert suggest_local_code("", "local-xinxiang-2023-website", set()) == (
        "local-xinxiang-2023-website"
    )


def test_models_pass_qt_model_tester(editor, qtmodeltester):
    qtmodeltester.check(editor.model)
    qtmodeltester.check(editor.categories)


def test_inspection_tab_button_opens_the_editor(qtbot, registry):
    tab = InspectionTab(registry)
    qtbot.addWidget(tab)
    tab.show()
    opened: list[str] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, IndicatorSetEditor)
        opened.append(dialog.set_combo.currentText())
        dialog.reject()

    when_modal(guarded(look))
    button = tab.findChild(QPushButton, "indicator_sets")
    assert button.text() == "指标体系…"
    button.click()
    assert opened and "国家政府网站检查指标" in opened[0]
