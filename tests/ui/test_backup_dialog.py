"""文件 → 备份与恢复… / 导出数据包… / 导入数据包…, driven like a clerk; the startup checks."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

import ui.backup_dialog as backup_dialog
from app.database import open_database
from app.instance_lock import InstanceLock
from app.services.backup import BackupService
from app.services.registry import Registry
from tests.services.test_backup import corrupt
from tests.ui.modal import box_text, click_box_button, type_text, when_modal
from ui.application import install_fonts
from ui.backup_dialog import BackupDialog
from ui.main_window import MainWindow
from ui.startup_checks import open_checked


def websites(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM website").fetchone()[0]


def main_windows() -> list[MainWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


@pytest.fixture
def win(qtbot, qapp, registry) -> Iterator[MainWindow]:
    """The main window with demo data. Not handed to qtbot: a restore replaces (deletes) it."""
    install_fonts(qapp)
    registry.demo.load()
    window = MainWindow(registry)
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    yield window
    for w in main_windows():
        w.close()
        if w.registry.db is not registry.db:
            w.registry.db.close()


def file_menu_action(window: MainWindow, text: str):  # noqa: ANN201
    menu = window.menuBar().actions()[0].menu()
    return next(a for a in menu.actions() if a.text() == text)


def answer(seen: dict, key: str, button: str, then: Callable[[], None] | None = None) -> None:
    """When the next message box opens: note its text under ``key``, arrange ``then``, click."""

    def handle(box: QWidget) -> None:
        seen[key] = box_text(box)
        if then is not None:
            then()
        click_box_button(box, button)

    when_modal(handle, kind=QMessageBox)


def pick_file(path: Path, then: Callable[[], None] | None = None) -> None:
    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        if then is not None:
            then()
        dialog.selectFile(str(path))
        dialog.accept()

    when_modal(pick, kind=QFileDialog)


def with_dialog(handler: Callable[[BackupDialog], None]) -> None:
    when_modal(handler, kind=BackupDialog)


# ------------------------------------------------------------------ the dialog


def test_the_file_menu_offers_backup_and_packages(win):
    texts = [a.text() for a in win.menuBar().actions()[0].menu().actions() if a.text()]
    start = texts.index("备份与恢复…")
    assert texts[start : start + 3] == ["备份与恢复…", "导出数据包…", "导入数据包…"]
    assert texts.index("导出全部台账…") < start < texts.index("退出")


def test_the_dialog_lists_backups_with_time_reason_and_size(win, qtbot, qtmodeltester):
    service = BackupService(win.registry.db.path)
    older = service.create("daily")
    newer = service.create("import")
    seen: dict = {}

    def look(dialog: BackupDialog) -> None:
        model = dialog.model
        seen["headers"] = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(3)]
        seen["rows"] = [
            [model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())
        ]
        seen["selected"] = dialog.selected()
        seen["restore_enabled"] = dialog.restore_button.isEnabled()
        seen["folder"] = dialog.findChild(QWidget, "folder").text()
        qtmodeltester.check(model)
        dialog.reject()

    with_dialog(look)
    file_menu_action(win, "备份与恢复…").trigger()
    assert seen["headers"] == ["备份时间", "原因", "大小"]
    assert [r[:2] for r in seen["rows"]] == [
        [newer.created_text, "导入前自动备份"],
        [older.created_text, "每日自动备份"],
    ]
    assert seen["rows"][0][2].endswith(("KB", "MB"))
    assert seen["selected"] == newer and seen["restore_enabled"]
    assert str(service.folder) in seen["folder"]


def test_back_up_now_adds_a_manual_backup(win, qtbot):
    seen: dict = {}

    def back_up(dialog: BackupDialog) -> None:
        seen["empty_hint"] = dialog.hint.text()
        seen["restore_enabled_before"] = dialog.restore_button.isEnabled()
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
        seen["rows"] = [b.reason_text for b in dialog.model.rows]
        seen["selected"] = dialog.selected()
        seen["hint"] = dialog.hint.text()
        dialog.reject()

    with_dialog(back_up)
    file_menu_action(win, "备份与恢复…").trigger()
    assert "还没有备份" in seen["empty_hint"] and not seen["restore_enabled_before"]
    assert seen["rows"] == ["手动备份"]
    assert seen["hint"] == f"已备份：{seen['selected'].path.name}"
    assert websites(seen["selected"].path) == 49


def test_the_number_to_keep_is_stored_and_applied(win, qtbot):
    service = BackupService(win.registry.db.path)
    for _ in range(3):
        service.create("manual")
    seen: dict = {}

    def keep_two(dialog: BackupDialog) -> None:
        assert dialog.keep.value() == 20
        dialog.keep.selectAll()
        type_text(qtbot, dialog.keep, "2")
        seen["hint"] = dialog.hint.text()
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
        seen["rows"] = len(dialog.model.rows)
        dialog.reject()

    with_dialog(keep_two)
    file_menu_action(win, "备份与恢复…").trigger()
    assert seen["hint"] == "将保留最近 2 份备份。"
    assert seen["rows"] == 2 and service.keep() == 2


def test_open_backup_folder(win, qtbot, monkeypatch):
    opened: list[Path] = []
    monkeypatch.setattr(backup_dialog, "open_folder", lambda p: opened.append(p) or True)

    def open_it(dialog: BackupDialog) -> None:
        qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    with_dialog(open_it)
    file_menu_action(win, "备份与恢复…").trigger()
    assert opened == [win.registry.db.path.parent / "backups"] and opened[0].is_dir()


# ------------------------------------------------------------------ restore


def test_restore_brings_the_data_back_and_rebuilds_the_window(win, qtbot):
    path = win.registry.db.path
    good = BackupService(path).create("manual")
    win.registry.demo.clear()
    win.registry_tab.reload()
    assert websites(path) == 0
    seen: dict = {}

    def restore(dialog: BackupDialog) -> None:
        dialog.view.selectRow(0)
        answer(seen, "confirm", "恢复", then=lambda: answer(seen, "done", "确定"))
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    with_dialog(restore)
    file_menu_action(win, "备份与恢复…").trigger()
    qtbot.waitUntil(lambda: "done" in seen)

    assert f"用 {good.label} 的备份替换当前的全部数据" in seen["confirm"]
    assert seen["done"].startswith(f"已恢复到 {good.label} 的备份。")
    assert "恢复前的数据已备份为" in seen["done"]
    (new,) = main_windows()
    assert new is not win and new.registry.db.path == path
    assert new.registry_tab.websites.proxy.rowCount() == 49  # the tabs show the restored data
    assert [b.reason for b in BackupService(path).list()] == ["restore", "manual"]
    assert websites(BackupService(path).list()[0].path) == 0  # what was there before is kept


def test_declining_the_restore_changes_nothing(win, qtbot):
    BackupService(win.registry.db.path).create("manual")
    win.registry.demo.clear()
    seen: dict = {}

    def restore(dialog: BackupDialog) -> None:
        answer(seen, "confirm", "取消", then=dialog.reject)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    with_dialog(restore)
    file_menu_action(win, "备份与恢复…").trigger()
    assert main_windows() == [win] and websites(win.registry.db.path) == 0


def test_a_damaged_backup_is_refused_and_the_window_stays(win, qtbot):
    bad = BackupService(win.registry.db.path).create("manual")
    corrupt(bad.path)
    seen: dict = {}

    def restore(dialog: BackupDialog) -> None:
        answer(seen, "confirm", "恢复", then=lambda: answer(seen, "error", "知道了"))
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    with_dialog(restore)
    file_menu_action(win, "备份与恢复…").trigger()
    qtbot.waitUntil(lambda: "error" in seen)
    assert "已损坏" in seen["error"] and bad.path.name in seen["error"]
    assert main_windows() == [win]
    assert len(win.registry.websites.list()) == 49  # still works after the database was closed


# ------------------------------------------------------------------ packages


def test_export_and_import_a_package_from_the_menu(win, qtbot, tmp_path):
    out = tmp_path / "网检通数据包.zip"
    seen: dict = {}
    pick_file(out, then=lambda: answer(seen, "exported", "确定"))
    file_menu_action(win, "导出数据包…").trigger()
    qtbot.waitUntil(lambda: "exported" in seen)
    assert seen["exported"].startswith(f"已导出数据包：\n{out}")
    assert zipfile.ZipFile(out).testzip() is None

    win.registry.demo.clear()
    win.registry_tab.reload()
    pick_file(
        out, then=lambda: answer(seen, "confirm", "导入", then=lambda: answer(seen, "done", "确定"))
    )
    file_menu_action(win, "导入数据包…").trigger()
    qtbot.waitUntil(lambda: "done" in seen)
    assert "用数据包「网检通数据包.zip」中的数据替换当前的全部数据" in seen["confirm"]
    assert seen["done"].startswith("已导入数据包「网检通数据包.zip」")
    (new,) = main_windows()
    assert new is not win and new.registry_tab.websites.proxy.rowCount() == 49
    assert [b.reason for b in BackupService(new.registry.db.path).list()] == ["package"]


def test_a_bad_package_from_the_menu_changes_nothing(win, qtbot, tmp_path):
    bad = tmp_path / "坏.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    seen: dict = {}
    pick_file(
        bad,
        then=lambda: answer(seen, "confirm", "导入", then=lambda: answer(seen, "error", "知道了")),
    )
    file_menu_action(win, "导入数据包…").trigger()
    qtbot.waitUntil(lambda: "error" in seen)
    assert "「坏.zip」已损坏或不完整" in seen["error"] and "当前数据没有改动" in seen["error"]
    assert main_windows() == [win]
    assert len(win.registry.websites.list()) == 49
    assert BackupService(win.registry.db.path).list() == []


# ------------------------------------------------------------------ on start


def crashed(path: Path) -> InstanceLock:
    """Leave a stale lock as a killed process does, and take it as the next start does."""
    import subprocess
    import sys

    from tests.test_cli import ROOT

    code = (
        "import sys\nfrom app.instance_lock import InstanceLock\n"
        "lock = InstanceLock(sys.argv[1]); lock.acquire(); print('locked', flush=True)\n"
        "import time; time.sleep(600)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    child.kill()
    child.wait()
    lock = InstanceLock(path)
    lock.acquire()
    assert lock.previous_exit_unclean
    return lock


@pytest.fixture
def damaged(registry) -> Iterator[Path]:
    registry.demo.load()
    BackupService(registry.db.path).create("daily")
    registry.db.close()
    corrupt(registry.db.path)
    yield registry.db.path


def test_a_damaged_file_after_a_crash_offers_the_last_good_backup(damaged, qapp):
    lock = crashed(damaged)
    seen: dict = {}
    answer(seen, "offer", "从备份恢复", then=lambda: answer(seen, "done", "确定"))
    try:
        db = open_checked(lock)
        assert db is not None
        try:
            assert len(Registry(db).websites.list()) == 49
        finally:
            db.close()
    finally:
        lock.release()
    assert "上次没有正常关闭" in seen["offer"] and "已损坏" in seen["offer"]
    assert "建议从最近一个完好的备份恢复" in seen["offer"]
    assert seen["done"].startswith("已从 ") and "的备份恢复数据库" in seen["done"]
    reasons = [b.reason for b in BackupService(damaged).list()]
    assert reasons == ["damaged", "daily"]  # the damaged file is kept aside; today's daily exists


def test_the_clerk_may_quit_instead(damaged, qapp):
    lock = crashed(damaged)
    seen: dict = {}
    answer(seen, "offer", "退出")
    try:
        assert open_checked(lock) is None
    finally:
        lock.release()
    assert [b.reason for b in BackupService(damaged).list()] == ["daily"]  # nothing touched


def test_without_a_good_backup_the_clerk_is_told_what_to_do(registry, qapp):
    registry.demo.load()
    registry.db.close()
    corrupt(registry.db.path)
    lock = crashed(registry.db.path)
    seen: dict = {}
    answer(seen, "offer", "退出")
    try:
        assert open_checked(lock) is None
    finally:
        lock.release()
    assert "没有找到完好的备份" in seen["offer"] and "导入数据包" in seen["offer"]


def test_a_sound_file_after_a_crash_opens_without_questions(registry, qapp):
    registry.demo.load()
    registry.db.close()
    lock = crashed(registry.db.path)
    try:
        db = open_checked(lock)  # no box: a box would block this call
        assert db is not None
        db.close()
    finally:
        lock.release()
    assert [b.reason for b in BackupService(registry.db.path).list()] == ["daily"]


def test_reopening_keeps_data_for_a_new_registry(tmp_path):
    """Closing and opening the same file twice in one process is fine (restore relies on it)."""
    path = tmp_path / "a.sqlite3"
    db = open_database(path)
    Registry(db).demo.load()
    db.close()
    again = open_database(path)
    assert len(Registry(again).websites.list()) == 49
    again.close()
