"""文件 menu: 备份与恢复…, 导出数据包…, 导入数据包…; reopening the window after a restore.

Replacing the data (restore, package import) closes the database, does the work off the GUI
thread, then opens the database again and builds a fresh main window in place of the old one
— every tab, list and cache starts from the new data, nothing stale survives. The instance
lock stays held throughout (the file path does not change).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from app.database import open_database
from app.errors import AppError
from app.services.backup import BackupInfo, BackupService
from app.services.package import PackageSummary, export_package, import_package
from app.services.registry import Registry
from ui.backup_dialog import BackupDialog, size_text
from ui.file_dialogs import ask_open_path, ask_save_path
from ui.icons import icon
from ui.import_preview import run_import_work
from ui.prompts import confirm, show_error, show_info
from ui.workers import WorkOutcome

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PACKAGE_FILTER = "网检通数据包 (*.zip)"

Change = Callable[[Path, Callable[[int, int], None], Callable[[], bool]], Any]


def add_data_safety_actions(window: MainWindow, menu: QMenu) -> None:
    """Append 备份与恢复… / 导出数据包… / 导入数据包… to the window's 文件 menu."""
    backups = QAction(icon("backup"), "备份与恢复…", window)
    backups.triggered.connect(lambda: open_backups(window))
    export = QAction(icon("package_export"), "导出数据包…", window)
    export.triggered.connect(lambda: export_package_ui(window))
    imp = QAction(icon("package_import"), "导入数据包…", window)
    imp.triggered.connect(lambda: import_package_ui(window))
    menu.addActions([backups, export, imp])


def open_backups(window: MainWindow) -> MainWindow | None:
    """The 备份与恢复 dialog; a confirmed restore runs after it has closed."""
    dialog = BackupDialog(window, window.registry.db.path)
    dialog.exec()
    chosen = dialog.chosen
    dialog.deleteLater()
    return restore_backup(window, chosen) if chosen is not None else None


def restore_backup(window: MainWindow, backup: BackupInfo) -> MainWindow | None:
    """Restore ``backup`` and rebuild the window; the new window, or None if nothing changed."""
    outcome, new_window = replace_database(
        window,
        "正在恢复备份…",
        lambda path, _progress, _cancel: BackupService(path).restore(backup.path),
    )
    if outcome.error:
        show_error(window, outcome.error)
    elif new_window is not None:
        saved: BackupInfo | None = outcome.result
        before = f"\n\n恢复前的数据已备份为：{saved.label}" if saved is not None else ""
        show_info(new_window, f"已恢复到 {backup.label} 的备份。{before}", "恢复完成")
    return new_window


def export_package_ui(window: MainWindow) -> None:
    name = f"网检通数据包-{date.today():%Y%m%d}.zip"
    path = ask_save_path(window, "导出数据包", name, PACKAGE_FILTER, "package")
    if path is None:
        return
    if path.suffix.lower() != ".zip":
        path = path.with_name(path.name + ".zip")
    registry: Registry = window.registry
    outcome = run_import_work(
        window,
        "正在导出数据包…",
        lambda progress, cancel: export_package(
            registry.db.path, path, registry.user, progress, cancel
        ),
    )
    if outcome.error:
        show_error(window, outcome.error)
    elif outcome.was_cancelled:
        show_info(window, "已取消导出，没有生成数据包。", "已取消")
    elif outcome.ok:
        summary: PackageSummary = outcome.result
        missing = (
            f"\n注意：有 {summary.missing_evidence} 个证据文件在 evidence 文件夹中找不到，未包含在内。"
            if summary.missing_evidence
            else ""
        )
        show_info(
            window,
            f"已导出数据包：\n{summary.path}\n\n包含数据库和 {summary.evidence_files} 个证据文件，"
            f"共 {size_text(summary.size)}。在另一台电脑上用“文件 → 导入数据包…”打开。{missing}",
            "导出完成",
        )


def import_package_ui(window: MainWindow) -> MainWindow | None:
    path = ask_open_path(window, "导入数据包", PACKAGE_FILTER, "package")
    if path is None:
        return None
    if not confirm(
        window,
        "导入数据包",
        f"用数据包「{path.name}」中的数据替换当前的全部数据？\n\n"
        "导入前会先检查数据包是否完整；当前数据会先自动备份（导入数据包前自动备份），"
        "需要时可在“备份与恢复”中找回。",
        ok_text="导入",
    ):
        return None
    outcome, new_window = replace_database(
        window,
        "正在导入数据包…",
        lambda db_path, progress, cancel: import_package(db_path, path, progress, cancel),
    )
    if outcome.error:
        show_error(window, outcome.error)
    elif outcome.was_cancelled:
        show_info(window, "已取消导入，当前数据没有改动。", "已取消")
    elif new_window is not None:
        summary: PackageSummary = outcome.result
        who = f"，由 {summary.user} 导出" if summary.user else ""
        show_info(
            new_window,
            f"已导入数据包「{path.name}」（{summary.created_text}{who}，"
            f"{summary.evidence_files} 个证据文件）。\n\n导入前的数据已自动备份，"
            "可在“文件 → 备份与恢复”中找回。",
            "导入完成",
        )
    return new_window


def replace_database(
    window: MainWindow, label: str, change: Change
) -> tuple[WorkOutcome, MainWindow | None]:
    """Close the database, run ``change(db_path, progress, cancel)`` in a worker, reopen.

    On success the window is replaced by a new one over the reopened database (returned);
    on error or cancel the old window stays and its database reconnects by itself.
    """
    if not window.inspection_tab.leave():  # an unsavable checklist: it shows the reason
        return WorkOutcome(), None
    registry: Registry = window.registry
    path = registry.db.path
    registry.db.close()
    done: list[Any] = []

    def work(progress: Callable[[int, int], None], cancel: Callable[[], bool]) -> Any:
        result = change(path, progress, cancel)
        done.append(result)  # replaced, even if 取消 was pressed too late to stop it
        return result

    outcome = run_import_work(window, label, work)
    if done and not outcome.ok:
        outcome.ok, outcome.result, outcome.was_cancelled = True, done[0], False
    if not outcome.ok:
        return outcome, None
    try:
        db = open_database(path)
    except AppError as exc:
        show_error(
            window,
            f"数据已替换，但重新打开数据库时出错：{exc.message}\n请关闭并重新启动网检通。",
        )
        return outcome, None
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(db.close)
    new_window = type(window)(Registry(db, user=registry.user))
    new_window.restoreGeometry(window.saveGeometry())
    new_window.tabs.setCurrentIndex(window.tabs.currentIndex())
    new_window.show()
    window.hide()  # not close(): its closeEvent would save the checklist into the new data
    window.deleteLater()
    return outcome, new_window
