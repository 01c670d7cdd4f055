"""台账导入 driven like a clerk: menu → file dialog → (sheet) → preview → 导入."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

import ui.registry.import_dialog as import_dialog
from tests.services.test_registry_import import (
    ACCOUNTS,
    FILE,
    NEW_UNITS,
    TONGCHENG,
    counts,
    with_alias_unit,
    write_list,
    write_sheet,
)
from tests.ui.modal import box_text, click_box_button, when_modal
from ui.registry.import_dialog import CANCELLED_TEXT, ImportPreviewDialog, SheetChoiceDialog

BAD_ROWS = [*TONGCHENG, (41, "县公安局", "通城网警", "推特"), (42, "县公安局", "通城发布", "微博")]


def open_file(path: Path, then: Callable[[], None]) -> None:
    """When the open-file dialog shows, arrange the next step (``then``) and pick ``path``."""

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        then()
        dialog.selectFile(str(path))
        dialog.accept()

    when_modal(pick, kind=QFileDialog)


def on_box(seen: dict, key: str = "box") -> None:
    """Record the next message box's text and close it."""

    def close(box: QWidget) -> None:
        seen[key] = box_text(box)
        click_box_button(box, box.buttons()[0].text())  # 确定 / 知道了

    when_modal(close, kind=QMessageBox)


def look_at_preview(seen: dict) -> Callable[[QWidget], None]:
    """A handler that records what the preview shows into ``seen``."""

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        seen["title"] = dialog.windowTitle()
        seen["summary"] = dialog.summary.text()
        seen["tabs"] = {k: (dialog.tab_title(k), dialog.tab_enabled(k)) for k in dialog.models}
        seen["rows"] = {k: list(m.rows) for k, m in dialog.models.items()}
        seen["import_enabled"] = dialog.import_button.isEnabled()
        seen["skip_visible"] = dialog.skip_box.isVisible()
        seen["hint"] = dialog.hint.text() if dialog.hint.isVisible() else ""

    return look


def import_menu_action(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("导入台账（Excel/CSV）…") < texts.index("导出全部台账…")
    return next(a for a in file_menu.actions() if a.text() == "导入台账（Excel/CSV）…")


def test_full_import_from_the_menu(window, qtbot, registry, tmp_path):
    unit_id = with_alias_unit(registry)  # 县市场监管局, also written 县市监局
    tab = window.registry_tab
    tab.reload()
    path = write_list(tmp_path / FILE)
    seen: dict = {}
    look = look_at_preview(seen)

    def preview(dialog: QWidget) -> None:
        look(dialog)
        on_box(seen, "done")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    open_file(path, lambda: when_modal(preview, kind=ImportPreviewDialog))
    action = import_menu_action(window)
    assert action.shortcut().toString() == "Ctrl+I"
    action.trigger()

    assert seen["title"] == f"导入预览 — {FILE}"
    assert seen["summary"] == (
        f"新增 {ACCOUNTS}、更新 0、无变化 0、错误行 0、新建单位 {NEW_UNITS}、表内重复已合并 1 处"
    )
    assert seen["tabs"] == {
        "add": (f"新增({ACCOUNTS})", True),
        "update": ("更新(0)", False),
        "unchanged": ("无变化(0)", False),
        "bad": ("错误行(0)", False),
        "duplicates": ("合并的重复行(1)", True),
    }
    assert seen["import_enabled"] and not seen["skip_visible"]
    added = {(r.kind, r.name): r for r in seen["rows"]["add"]}
    police = added[("抖音", "通城公安")]
    assert (police.sheet, police.row, police.unit, police.detail) == (
        "附件2",
        4,
        "县公安局",
        "新建单位",
    )
    market = added[("微信公众号", "通城市场监管")]
    assert (market.row, market.unit, market.detail) == (12, "县市场监管局", "")  # alias resolved
    [dup] = seen["rows"]["duplicates"]
    assert (dup.row_text, dup.name, dup.detail) == (
        "17、21",
        "通城县农业",
        "第17行与第21行是同一账号，已合并",
    )
    assert seen["done"] == f"已导入：新增 {ACCOUNTS}、更新 0、无变化 0；新建单位 {NEW_UNITS} 个。"

    assert tab.accounts.proxy.rowCount() == ACCOUNTS
    assert {"通城市场监管", "通城公安", "投资通城"} <= {r.name for r in tab.accounts.visible_rows()}
    assert tab.units.proxy.rowCount() == NEW_UNITS + 1
    assert registry.units.find_id("县市监局") == unit_id
    assert registry.units.get(unit_id).account_count == 3
    assert not tab.banner.isVisible()


def test_import_shortcut_and_empty_state_button(window, qtbot, tmp_path):
    tab = window.registry_tab
    assert tab.banner.import_button.isVisible() and tab.banner.load_button.isVisible()
    assert "从Excel导入" in tab.banner.import_button.text()
    assert "导入" in tab.banner.text.text() and "演示数据" in tab.banner.text.text()
    titles = []

    def cancel_file(dialog: QWidget) -> None:
        titles.append(dialog.windowTitle())
        dialog.reject()

    when_modal(cancel_file, kind=QFileDialog)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    when_modal(cancel_file, kind=QFileDialog)
    qtbot.mouseClick(tab.banner.import_button, Qt.MouseButton.LeftButton)
    assert titles == ["导入台账", "导入台账"]
    assert tab.banner.import_button.isVisible()  # still empty

    tab.load_demo()
    assert not tab.banner.import_button.isVisible()  # the demo notice offers no import


def test_bad_row_blocks_import_until_skipped(window, qtbot, registry, tmp_path):
    path = write_list(tmp_path / FILE, BAD_ROWS)
    before = counts(registry)
    seen: dict = {}
    look = look_at_preview(seen)

    def preview(dialog: QWidget) -> None:
        look(dialog)
        assert isinstance(dialog, ImportPreviewDialog)
        seen["bad_tab_shown"] = dialog.tabs.currentIndex() == dialog._tab_of["bad"]
        seen["skip_text"] = dialog.skip_box.text()
        seen["skip_checked"] = dialog.skip_box.isChecked()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # disabled: no effect
        seen["still_open"] = dialog.isVisible()
        dialog.skip_box.click()
        seen["enabled_after_tick"] = dialog.import_button.isEnabled()
        seen["hint_after_tick"] = dialog.hint.text()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    open_file(path, lambda: when_modal(preview, kind=ImportPreviewDialog))
    window.registry_tab.import_registry()

    assert "错误行 1" in seen["summary"] and seen["tabs"]["bad"] == ("错误行(1)", True)
    assert seen["bad_tab_shown"] and seen["skip_visible"] and not seen["skip_checked"]
    assert seen["skip_text"] == f"跳过错误行，导入其余 {ACCOUNTS + 1} 行"
    assert not seen["import_enabled"] and seen["still_open"]
    assert "不会写入任何数据" in seen["hint"]
    [bad] = seen["rows"]["bad"]
    assert (bad.sheet, bad.row) == ("附件2", 23)
    assert bad.detail.startswith("「类型」：平台「推特」无法识别")
    assert seen["enabled_after_tick"] and "将跳过 1 个错误行" in seen["hint_after_tick"]
    assert counts(registry) == before
    assert window.registry_tab.accounts.proxy.rowCount() == 0


def test_skipping_bad_rows_imports_the_rest(window, qtbot, registry, tmp_path):
    path = write_list(tmp_path / FILE, BAD_ROWS)
    seen: dict = {}

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        dialog.skip_box.click()
        on_box(seen, "done")
        dialog.import_button.click()

    open_file(path, lambda: when_modal(preview, kind=ImportPreviewDialog))
    window.registry_tab.import_registry()
    assert seen["done"].endswith("跳过错误行 1 行。")
    names = {r.name for r in window.registry_tab.accounts.visible_rows()}
    assert "通城发布" in names and "通城网警" not in names


def test_cancelling_the_preview_writes_nothing(demo_window, qtbot, registry, tmp_path):
    path = write_list(tmp_path / FILE, [*TONGCHENG, (40, "县公安局", "通城网警", "微博")])
    before = counts(registry)
    shown = demo_window.registry_tab.accounts.proxy.rowCount()
    seen: dict = {}
    look = look_at_preview(seen)

    def preview(dialog: QWidget) -> None:
        look(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    open_file(path, lambda: when_modal(preview, kind=ImportPreviewDialog))
    demo_window.registry_tab.import_registry()
    assert seen["tabs"]["add"] == ("新增(1)", True)
    assert seen["tabs"]["unchanged"][1]  # the demo data already holds the rest
    assert counts(registry) == before
    assert demo_window.registry_tab.accounts.proxy.rowCount() == shown


def test_cancel_while_writing_writes_nothing(window, qtbot, registry, tmp_path, monkeypatch):
    real_apply = import_dialog.apply_import

    def slow_apply(*args, progress, cancel, **kwargs):  # a big import, 取消 pressed midway
        progress(3, 10)  # from the worker thread
        deadline = time.monotonic() + 5
        while not cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        return real_apply(*args, progress=progress, cancel=cancel, **kwargs)

    monkeypatch.setattr(import_dialog, "apply_import", slow_apply)
    path = write_list(tmp_path / FILE)
    before = counts(registry)
    seen: dict = {}

    def press_cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, QProgressDialog)
        qtbot.waitUntil(lambda: (dialog.value(), dialog.maximum()) == (3, 10))
        seen["label"] = dialog.labelText()
        [button] = dialog.findChildren(QPushButton)
        button.click()

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        when_modal(press_cancel, kind=QProgressDialog)
        on_box(seen)
        dialog.import_button.click()

    open_file(path, lambda: when_modal(preview, kind=ImportPreviewDialog))
    window.registry_tab.import_registry()
    assert seen["label"] == "正在导入台账…"
    assert seen["box"] == CANCELLED_TEXT
    assert counts(registry) == before


def test_workbook_with_several_sheets_asks_which(window, qtbot, registry, tmp_path):
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由各单位于6月底前报送。"])
    header = ["单位名称", "账号名称", "平台", "备案状态"]
    write_sheet(
        wb.create_sheet("一季度"), [("县公安局", "通城公安", "抖音", "已备案")], header, None
    )
    write_sheet(
        wb.create_sheet("二季度"),
        [("县公安局", "通城公安", "抖音", "未备案"), ("县司法局", "通城司法", "微信", "已备案")],
        header,
        None,
    )
    path = tmp_path / "季度报送.xlsx"
    wb.save(path)
    seen: dict = {}
    look = look_at_preview(seen)

    def preview(dialog: QWidget) -> None:
        look(dialog)
        on_box(seen, "done")
        dialog.import_button.click()

    def choose_sheet(dialog: QWidget) -> None:
        assert isinstance(dialog, SheetChoiceDialog)
        seen["choices"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.choose("一季度")
        when_modal(preview, kind=ImportPreviewDialog)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    open_file(path, lambda: when_modal(choose_sheet, kind=SheetChoiceDialog))
    window.registry_tab.import_registry()
    assert seen["choices"] == ["全部工作表", "说明", "一季度", "二季度"]
    assert seen["tabs"]["add"] == ("新增(1)", True)
    assert [(r.sheet, r.name) for r in seen["rows"]["add"]] == [("一季度", "通城公安")]
    assert [r.name for r in window.registry_tab.accounts.visible_rows()] == ["通城公安"]


def test_all_sheets_and_cancelling_the_sheet_choice(window, qtbot, registry, tmp_path):
    wb = Workbook()
    write_sheet(wb.active, TONGCHENG[:3], title=None)
    write_sheet(wb.create_sheet("补充"), [(1, "县司法局", "通城司法", "微信")], title=None)
    path = tmp_path / "两张表.xlsx"
    wb.save(path)
    before = counts(registry)
    open_file(path, lambda: when_modal(lambda d: d.reject(), kind=SheetChoiceDialog))
    window.registry_tab.import_registry()
    assert counts(registry) == before

    seen: dict = {}
    look = look_at_preview(seen)

    def preview(dialog: QWidget) -> None:
        look(dialog)
        dialog.reject()

    def all_sheets(dialog: QWidget) -> None:
        when_modal(preview, kind=ImportPreviewDialog)
        dialog.accept()  # 全部工作表 is the default

    open_file(path, lambda: when_modal(all_sheets, kind=SheetChoiceDialog))
    window.registry_tab.import_registry()
    assert {r.sheet for r in seen["rows"]["add"]} == {"Sheet", "补充"}
    assert counts(registry) == before


def test_broken_file_shows_the_reason_and_writes_nothing(window, qtbot, registry, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    before = counts(registry)
    seen: dict = {}
    open_file(path, lambda: on_box(seen))
    window.registry_tab.import_registry()
    assert seen["box"].startswith("文件「台账.xlsx」不是有效的 Excel 表格")
    assert counts(registry) == before
    assert QApplication.activeModalWidget() is None
