"""Pieces the import previews share (台账导入, 历史结果导入): list tabs, buttons, hint, runner."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from app.io.table_reader import CancelFn, ImportCancelled, ProgressFn
from ui.icons import icon
from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn
from ui.table_view import record_view
from ui.workers import Cancelled, Progress, WorkOutcome, run_with_progress


def preview_view(
    owner: QWidget, key: str, model: RecordTableModel, columns: Sequence[TableColumn]
) -> QTableView:
    """A sortable read-only list over ``model`` for a preview tab."""
    model.setParent(owner)  # Qt owns it: never deleted by the GC on a worker thread
    proxy = RecordFilterProxy()
    proxy.setParent(owner)
    proxy.setSourceModel(model)
    return record_view(proxy, columns, name=f"{key}_view", multi_select=True)


def import_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """导入 (accept) and 取消 (reject) wired to ``dialog``."""
    buttons = QDialogButtonBox()
    import_button = QPushButton(icon("import"), "导入")
    import_button.setObjectName("import")
    cancel_button = QPushButton("取消")
    buttons.addButton(import_button, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, import_button, cancel_button


def set_hint(label: QLabel, text: str, error: bool = False) -> None:
    """The line above the buttons: red for what blocks the import, grey for information."""
    label.setText(text)
    label.setStyleSheet("color: #b00020;" if error else "color: #555;")
    label.setVisible(bool(text))


def run_import_work(
    parent: QWidget, label: str, work: Callable[[ProgressFn, CancelFn], object]
) -> WorkOutcome:
    """``work(progress, cancel)`` behind a progress dialog; ImportCancelled counts as 取消."""

    def run(progress: Progress) -> object:
        try:
            return work(progress.report, progress.cancelled)
        except ImportCancelled:
            raise Cancelled from None

    return run_with_progress(parent, label, run)
