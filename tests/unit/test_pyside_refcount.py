"""Regression guard: PySide6 6.12.0 drops a reference to ``True`` on every Python-side
``Signal.emit()``; on Python 3.11 (where ``True`` is not immortal) the app aborts with
"bool_dealloc" after some thousands of keystrokes. pyproject.toml pins PySide6 below 6.12;
this test fails if an upgrade brings the leak back.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(str)


def test_signal_emit_keeps_bool_refcounts():
    emitter = _Emitter()
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(1000):
        emitter.changed.emit("x")
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert abs(after[0] - before[0]) < 10 and abs(after[1] - before[1]) < 10, (before, after)
