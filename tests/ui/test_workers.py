"""Work off the GUI thread: progress reaches the dialog safely, errors and cancel end it."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from app.errors import ValidationError
from tests.ui.modal import when_modal
from ui.workers import Cancelled, run_with_progress


def test_progress_is_shown_from_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = []

    def work(progress):
        for i in range(200):
            progress.report(i + 1, 200)
            time.sleep(0.001)
        return threading.current_thread() is not threading.main_thread()

    def watch(dialog):
        assert isinstance(dialog, QProgressDialog)
        seen.append(dialog.maximum())

    when_modal(watch, kind=QProgressDialog)
    outcome = run_with_progress(parent, "处理中…", work)
    assert outcome.ok and outcome.result is True  # the work ran in another thread
    assert seen == [0] or seen == [200]
    assert QApplication.activeModalWidget() is None


def test_app_error_and_unexpected_error_end_the_dialog(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    def fails(_progress):
        raise ValidationError("第3行：日期无效")

    outcome = run_with_progress(parent, "处理中…", fails)
    assert not outcome.ok and outcome.error == "第3行：日期无效"

    def crashes(_progress):
        raise KeyError("bug")

    outcome = run_with_progress(parent, "处理中…", crashes)
    assert not outcome.ok and "意外错误" in outcome.error


def test_cancel_stops_the_work(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    steps = []

    def work(progress):
        for i in range(10_000):
            steps.append(i)
            progress.report(i, 10_000)
            if progress.cancelled():
                raise Cancelled
            time.sleep(0.001)
        return "done"

    def press_cancel(dialog):
        button = dialog.findChild(QPushButton)
        assert button.text() == "取消"
        button.click()

    when_modal(press_cancel, kind=QProgressDialog)
    outcome = run_with_progress(parent, "处理中…", work)
    assert outcome.was_cancelled and not outcome.ok
    assert len(steps) < 10_000
