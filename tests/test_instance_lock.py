"""One 网检通 per database file: a second window or a writing command is refused; a lock
left by a crashed process does not block the clerk and marks the exit as unclean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import ui.application as application
from app.errors import ConflictError
from app.instance_lock import InstanceLock, lock_path
from app.services.backup import BackupService
from tests.services.test_registry_import import write_list
from tests.test_cli import ROOT, run
from tests.ui.modal import box_text, click_box_button, when_modal


def hold_lock_in_child(db_path: Path) -> subprocess.Popen[str]:
    """A process that takes the lock and waits (until it is killed)."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from app.instance_lock import InstanceLock\n"
            "lock = InstanceLock(sys.argv[1]); lock.acquire(); print('locked', flush=True)\n"
            "time.sleep(600)\n",
            str(db_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    return child


def test_a_second_lock_on_the_same_file_is_refused(tmp_path):
    db_path = tmp_path / "台账.sqlite3"
    with InstanceLock(db_path) as first:
        assert first.held and lock_path(db_path).exists()
        assert not first.previous_exit_unclean
        with pytest.raises(ConflictError) as refused:
            InstanceLock(tmp_path / "." / "台账.sqlite3").acquire()
        assert "正被另一个网检通使用" in refused.value.message
        assert str(db_path) in refused.value.message
    assert not lock_path(db_path).exists()  # a clean end leaves nothing behind
    again = InstanceLock(db_path)
    again.acquire()
    assert not again.previous_exit_unclean
    again.release()


def test_a_live_process_holds_the_lock(tmp_path):
    db_path = tmp_path / "a.sqlite3"
    child = hold_lock_in_child(db_path)
    try:
        with pytest.raises(ConflictError, match=f"进程号 {child.pid}"):
            InstanceLock(db_path).acquire()
    finally:
        child.kill()
        child.wait()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    db_path = tmp_path / "a.sqlite3"
    child = hold_lock_in_child(db_path)
    child.kill()  # kill -9: no chance to clean up
    child.wait()
    assert lock_path(db_path).exists()
    lock = InstanceLock(db_path)
    lock.acquire()
    try:
        assert lock.previous_exit_unclean
    finally:
        lock.release()


def test_a_writing_command_is_refused_while_the_window_has_the_file(tmp_path, registry):
    db_path = registry.db.path
    sheet = write_list(tmp_path / "新媒体.xlsx")
    with InstanceLock(db_path):  # as the window holds it
        refused = run("--db", str(db_path), "import-registry", str(sheet), tmp_path=tmp_path)
        assert refused.returncode == 1
        assert "正被另一个网检通使用" in refused.stderr and "Traceback" not in refused.stderr
        package = run(
            "--db", str(db_path), "import-package", str(tmp_path / "x.zip"), tmp_path=tmp_path
        )
        assert package.returncode == 1 and "正被另一个网检通使用" in package.stderr
        # reading is fine: WAL gives the command a consistent snapshot
        dry = run(
            "--db", str(db_path), "import-registry", str(sheet), "--dry-run", tmp_path=tmp_path
        )
        assert dry.returncode == 0, dry.stderr
        export = run(
            "--db", str(db_path), "export-registry", str(tmp_path / "o.xlsx"), tmp_path=tmp_path
        )
        assert export.returncode == 0, export.stderr
    done = run("--db", str(db_path), "import-registry", str(sheet), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not lock_path(db_path).exists()


@pytest.fixture
def no_excepthook(monkeypatch):
    monkeypatch.setattr(application, "install_excepthook", lambda: None)


def test_a_second_window_on_the_same_file_is_refused(tmp_path, qapp, no_excepthook):
    db_path = tmp_path / "a.sqlite3"
    seen: dict[str, str] = {}

    def close(box):
        seen["text"] = box_text(box)
        click_box_button(box, "知道了")

    with InstanceLock(db_path):
        when_modal(close)
        assert application.run_gui(db_path) == 1
    assert "正被另一个网检通使用" in seen["text"]
    assert not db_path.exists()  # refused before anything was opened


def test_the_window_takes_the_daily_backup_and_releases_the_lock(tmp_path, qapp, no_excepthook):
    db_path = tmp_path / "a.sqlite3"

    def close_windows() -> None:
        assert InstanceLock(db_path).path.exists()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.inherits("QMainWindow"):
                widget.close()

    QTimer.singleShot(0, close_windows)
    assert application.run_gui(db_path) == 0
    assert not lock_path(db_path).exists()
    assert [b.reason for b in BackupService(db_path).list()] == ["daily"]
