"""Run slow work off the GUI thread behind a progress dialog that can cancel it.

The work function gets a :class:`Progress` to report ``(done, total)`` and to ask whether
the clerk pressed 取消; it must then stop without committing (services do their writing in
one transaction, so stopping before the commit leaves nothing behind).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import AppError


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
    thread = QThread()
    worker = _Worker(work)
    worker.moveToThread(thread)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def on_finished(result: Any) -> None:
        outcome.ok, outcome.result = True, result

    def on_failed(message: str) -> None:
        outcome.error = message

    def on_cancelled() -> None:
        outcome.was_cancelled = True

    worker.progressed.connect(on_progress)
    worker.finished.connect(on_finished)
    worker.failed.connect(on_failed)
    worker.cancelled.connect(on_cancelled)
    for signal in (worker.finished, worker.failed, worker.cancelled):
        signal.connect(thread.quit)
    dialog.canceled.connect(worker.progress.cancel)
    thread.started.connect(worker.run)
    loop = QEventLoop()
    thread.finished.connect(loop.quit)
    thread.start()
    dialog.show()  # modal at once: nothing else may change the data meanwhile
    loop.exec()
    thread.wait()
    dialog.close()
    return outcome
