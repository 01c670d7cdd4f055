"""导入历史结果 / 导出本轮结果 on the 检查 tab, driven like a clerk."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from tests.services.test_results_import import FILE, ROUND, SITES, write_xinxiang
from tests.ui.modal import type_text, when_modal
from tests.ui.test_import_dialog import on_box, open_file
from ui.inspection.results_dialog import ResultsOptionsDialog, ResultsPreviewDialog


def show_inspection(window):
    tab = window.inspection_tab
    window.tabs.setCurrentWidget(tab)
    return tab


def fill_options(qtbot, seen: dict, then, round_name: str = ROUND):  # noqa: ANN001
    """Handler for the options dialog: record its suggestion, type the round, 下一步."""

    def handle(dialog: QWidget) -> None:
        assert isinstance(dialog, ResultsOptionsDialog)
        seen["suggested"] = dialog.round.currentText()
        seen["window"] = (dialog.window_start.text(), dialog.window_end.text())
        seen["sheet_row_visible"] = dialog.form.isRowVisible(dialog.sheet)
        dialog.round.lineEdit().clear()
        type_text(qtbot, dialog.round.lineEdit(), round_name)
        seen["window_after_typing"] = (dialog.window_start.text(), dialog.window_end.text())
        when_modal(then, kind=ResultsPreviewDialog)
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    return handle


def test_import_history_button_flow(demo_window, qtbot, qtmodeltester, registry, tmp_path):
    tab = show_inspection(demo_window)
    assert tab.round_combo.count() == 0 and not tab.export_results_button.isEnabled()
    assert tab.import_results_button.text() == "导入历史结果…"
    path = write_xinxiang(tmp_path / FILE)
    seen: dict = {}

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, ResultsPreviewDialog)
        seen["summary"] = dialog.summary.text()
        seen["details"] = dialog.details.text()
        seen["rows"] = list(dialog.rows_model.rows)
        seen["create_visible"] = dialog.create_box.isVisible()
        seen["skip_visible"] = dialog.skip_box.isVisible()
        seen["import_enabled"] = dialog.import_button.isEnabled()
        qtmodeltester.check(dialog.rows_model)
        qtmodeltester.check(dialog.bad_model)
        on_box(seen, "done")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    open_file(path, lambda: when_modal(fill_options(qtbot, seen, preview)))
    qtbot.mouseClick(tab.import_results_button, Qt.MouseButton.LeftButton)

    assert seen["suggested"] == ROUND  # from the file name
    assert seen["window"] == ("2023-01-01", "2023-03-31")
    assert seen["window_after_typing"] == ("2023-01-01", "2023-03-31")
    assert seen["sheet_row_visible"]  # two sheets: 附件1, 附件2
    assert seen["summary"] == (
        f"检查轮次「{ROUND}」（将新建）：结果 {SITES} 条，合格 47、不合格 2；"
        f"台账中已有 {SITES}、台账中没有 0、错误行 0"
    )
    assert "工作表「附件2」：政府网站检查结果 37 条" in seen["details"]
    veteran = next(r for r in seen["rows"] if r.name == "市退役军人局")
    assert (veteran.score_text, veteran.verdict, veteran.match.name) == (
        "不合格",
        "不合格",
        "新乡市退役军人事务局网站",
    )
    assert seen["import_enabled"] and not seen["create_visible"] and not seen["skip_visible"]
    assert seen["done"].startswith(f"已导入检查轮次「{ROUND}」（新建）：结果 {SITES} 条")

    assert tab.round_combo.currentText() == ROUND and tab.export_results_button.isEnabled()
    assert "合格 47，不合格 2" in tab.progress.text()
    stats = registry.stats.round_stats(tab.current_round_id())
    assert stats.websites.pass_rate == "95.9%"


def test_unknown_site_is_registered_when_ticked(demo_window, qtbot, registry, tmp_path):
    tab = show_inspection(demo_window)
    path = write_xinxiang(tmp_path / FILE, extra=[(38, "市新闻出版局", 92, "合格", "无")])
    sites = len(registry.websites.list())
    seen: dict = {}

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, ResultsPreviewDialog)
        seen["blocked"] = not dialog.import_button.isEnabled()
        seen["bad"] = [r.detail for r in dialog.bad_model.rows]
        seen["hint"] = dialog.hint.text()
        seen["create_text"] = dialog.create_box.text()
        dialog.create_box.click()
        seen["enabled_after_tick"] = dialog.import_button.isEnabled()
        seen["bad_after_tick"] = list(dialog.bad_model.rows)
        on_box(seen, "done")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    open_file(path, lambda: when_modal(fill_options(qtbot, seen, preview)))
    tab.import_results()

    assert seen["blocked"] and seen["bad"] == ["台账中没有网站「市新闻出版局」"]
    assert "登记到台账" in seen["hint"] and "不会写入任何数据" in seen["hint"]
    assert seen["create_text"] == "把台账中没有的 1 个网站/账号登记到台账（作为运行中）"
    assert seen["enabled_after_tick"] and seen["bad_after_tick"] == []
    assert "登记到台账 1 个" in seen["done"]
    assert len(registry.websites.list()) == sites + 1
    assert any(t.name == "市新闻出版局网站" for t in tab.model.rows)


def test_new_round_without_quarter_needs_dates(demo_window, qtbot, registry, tmp_path):
    tab = show_inspection(demo_window)
    path = write_xinxiang(tmp_path / "新乡网站检查.xlsx")
    seen: dict = {}

    def options(dialog: QWidget) -> None:
        assert isinstance(dialog, ResultsOptionsDialog)
        dialog.round.lineEdit().clear()
        type_text(qtbot, dialog.round.lineEdit(), "网站专项检查")
        seen["dates"] = (dialog.window_start.text(), dialog.window_end.text())
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        seen["error"] = dialog.error_line.text()
        seen["still_open"] = dialog.isVisible()
        dialog.reject()

    open_file(path, lambda: when_modal(options, kind=ResultsOptionsDialog))
    tab.import_results()
    assert seen["dates"] == ("", "")
    assert seen["error"] == "轮次「网站专项检查」将新建，请填写数据采集的开始和结束日期。"
    assert seen["still_open"] and registry.rounds.list() == []


def test_export_current_round(demo_window, qtbot, registry, tmp_path):
    tab = show_inspection(demo_window)
    path = write_xinxiang(tmp_path / FILE)
    open_file(path, lambda: when_modal(fill_options(qtbot, {}, _accept_preview(qtbot))))
    tab.import_results()
    assert tab.round_combo.currentText() == ROUND

    out = tmp_path / "导出.xlsx"
    seen: dict = {}

    def save_as(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        seen["title"] = dialog.windowTitle()
        on_box(seen, "done")
        dialog.selectFile(str(out))
        dialog.accept()

    when_modal(save_as, kind=QFileDialog)
    qtbot.mouseClick(tab.export_results_button, Qt.MouseButton.LeftButton)

    assert seen["title"] == "导出本轮结果"
    assert seen["done"].startswith(f"已导出检查轮次「{ROUND}」的结果到")
    wb = load_workbook(out)
    assert wb.sheetnames == ["政府网站", "政务新媒体", "统计"]
    assert Path(out).exists()
    stats = [list(r) for r in wb["统计"].iter_rows(values_only=True)]
    assert ["合计", "政府网站", 49, 47, 2, "95.9%"] in stats


def _accept_preview(qtbot):  # noqa: ANN001
    def accept(dialog: QWidget) -> None:
        on_box({})
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    return accept
