"""Drive modal dialogs and message boxes the way a person does, from a test."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget


def when_modal(
    handler: Callable[[QWidget], None], timeout_ms: int = 5000, kind: type[QWidget] = QWidget
) -> None:
    """Call ``handler(dialog)`` once a new modal dialog of type ``kind`` is open (poll every 10 ms)."""
    waited = 0
    seen = QApplication.activeModalWidget()

    def poll() -> None:
        nonlocal waited
        modal = QApplication.activeModalWidget()
        if (
            modal is not None
            and modal is not seen
            and modal.isVisible()
            and isinstance(modal, kind)
        ):
            handler(modal)
            return
        waited += 10
        if waited > timeout_ms:
            raise AssertionError("expected a dialog to open")
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def click_box_button(box: QWidget, text: str) -> None:
    """Click the message-box button labelled ``text``."""
    assert isinstance(box, QMessageBox), f"expected a message box, got {type(box).__name__}"
    for button in box.buttons():
        if isinstance(button, QAbstractButton) and button.text() == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in box: {[b.text() for b in box.buttons()]}")


def box_text(box: QWidget) -> str:
    assert isinstance(box, QMessageBox)
    return box.text()


def type_text(qtbot, widget: QWidget, text: str) -> None:  # noqa: ANN001
    """Type ``text`` into ``widget``: ASCII as key presses, Chinese as an input-method commit.

    That is how the text really arrives on a clerk's PC (拼音输入法 commits whole words);
    QTest cannot synthesise key presses for non-ASCII characters.
    """
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    chunk = ""

    def flush_ascii() -> None:
        nonlocal chunk
        if chunk:
            qtbot.keyClicks(widget, chunk)
            chunk = ""

    pending = ""
    for ch in text:
        if ord(ch) < 128:
            if pending:
                event = QInputMethodEvent()
                event.setCommitString(pending)
                QApplication.sendEvent(widget, event)
                pending = ""
            chunk += ch
        else:
            flush_ascii()
            pending += ch
    flush_ascii()
    if pending:
        event = QInputMethodEvent()
        event.setCommitString(pending)
        QApplication.sendEvent(widget, event)
