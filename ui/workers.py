"""Run slow work off the GUI thread behind a progress dialog that can cancel it.

The work function gets a :class:`Progress` to report ``(done, total)`` and to ask whether
the clerk pressed 取消; it must then stop without committing (services do their writing in
one transaction, so stopping before the commit leaves nothing behind).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import AppError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside work when the clerk cancelled it."""


class Progress:
    def __init__(self, emit: Callable[[int, int], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        self._emit(done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` once the clerk has asked to stop."""
        if self._cancel.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._cancel.set()


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._work = work
        self.progress = Progress(self.progressed.emit)

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except Cancelled:
            self.cancelled.emit()
        except AppError as exc:
            self.failed.emit(exc.message)
        except Exception:  # noqa: BLE001 - reported to the clerk and logged, never a hang
            log.exception("后台任务出错")
            self.failed.emit("处理时发生意外错误，操作未完成，数据没有改动。详情已记录到错误日志。")
        else:
            if self.progress.cancelled():
                self.cancelled.emit()
            else:
                self.finished.emit(result)


class WorkOutcome:
    """What happened: ``ok`` with ``result``, or ``error`` text, or ``was_cancelled``."""

    def __init__(self) -> None:
        self.ok = False
        self.result: Any = None
        self.error: str | None = None
        self.was_cancelled = False


class _Relay(QObject):
    """Lives in the GUI thread, so the worker's signals reach these slots there (queued).

    Signals connected to plain functions would run them in the worker thread, and a
    progress dialog repainted from there crashes Qt.
    """

    def __init__(self, dialog: QProgressDialog, outcome: WorkOutcome, loop: QEventLoop) -> None:
        super().__init__()
        self._dialog, self._outcome, self._loop = dialog, outcome, loop

    @Slot(int, int)
    def progressed(self, done: int, total: int) -> None:
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total > 0 else 0)

    @Slot(object)
    def finished(self, result: Any) -> None:
        self._outcome.ok, self._outcome.result = True, result
        self._loop.quit()

    @Slot(str)
    def failed(self, message: str) -> None:
        self._outcome.error = message
        self._loop.quit()

    @Slot()
    def cancelled(self) -> None:
        self._outcome.was_cancelled = True
        self._loop.quit()


def run_with_progress(
    parent: QWidget | None, label: str, work: Callable[[Progress], Any]
) -> WorkOutcome:
    """Run ``work`` in a thread while a modal progress dialog shows; returns when it ends."""
    outcome = WorkOutcome()
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    loop = QEventLoop()
    relay = _Relay(dialog, outcome, loop)
    thread = QThread()
    worker = _Worker(work)
    worker.moveToThread(thread)
    worker.progressed.connect(relay.progressed)
    worker.finished.connect(relay.finished)
    worker.failed.connect(relay.failed)
    worker.cancelled.connect(relay.cancelled)
    dialog.canceled.connect(worker.progress.cancel)
    dialog.canceled.connect(lambda: dialog.setLabelText("正在取消…"))
    thread.started.connect(worker.run)
    thread.start()
    dialog.show()  # modal at once: nothing else may change the data meanwhile
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    return outcome
