"""One registry list (websites, accounts or units): toolbar, search, filters and the table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.icons import icon
from ui.prompts import show_error, show_info
from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn
from ui.table_view import record_view
from ui.workers import run_with_progress

R = TypeVar("R")


class RecordListPage(QWidget, Generic[R]):
    """Subclasses supply columns, ``fetch()``, filters, actions and ``summary()``."""

    counts_changed = Signal(str)
    model_class: type[RecordTableModel] = RecordTableModel  # a subclass may add colours

    def __init__(
        self,
        columns: Sequence[TableColumn[R]],
        search_text: Callable[[R], Sequence[object]],
        is_inactive: Callable[[R], bool],
        search_hint: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model: RecordTableModel[R] = self.model_class(columns, search_text, is_inactive)
        self.proxy = RecordFilterProxy()
        self.proxy.setSourceModel(self.model)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self.proxy.set_search_text)
        self.search.installEventFilter(self)
        find = QShortcut(
            QKeySequence.StandardKey.Find,
            self,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        find.activated.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.filters = QHBoxLayout()
        self.filters.addWidget(self.search, 3)

        self.view = record_view(self.proxy, columns, row_height=26)
        self.view.activated.connect(lambda _index: self.edit_selected())  # Enter or double-click
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())

        self.empty_hint = QLabel()
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: #555; padding: 48px; font-size: 12pt;")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addLayout(self.filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint)

        # One count update per burst of changes (a filter change may remove thousands of
        # row ranges; recounting for each of them would freeze the window).
        self._summary, self._summary_generation = "", -1
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(0)
        self._counts_timer.timeout.connect(self._emit_counts)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._counts_timer.start)

    # -- to be provided by subclasses ------------------------------------------------------
    def fetch(self) -> list[R]:
        raise NotImplementedError

    def summary(self, rows: list[R]) -> str:
        raise NotImplementedError

    def edit_selected(self) -> None:
        raise NotImplementedError

    export_name = "台账"

    def export_to(self, path: Path, rows: list[R]) -> Path:
        """Write ``rows`` to ``path`` (.xlsx); returns the file written."""
        raise NotImplementedError

    def refresh_filter_choices(self) -> None:
        """Refill filter combos whose choices depend on the data (e.g. regions)."""

    def update_actions(self) -> None:
        """Enable/disable toolbar actions for the current selection."""

    # -- building blocks --------------------------------------------------------------------
    def add_action(
        self,
        name: str,
        text: str,
        slot: Callable[[], None],
        shortcut: QKeySequence | str | None = None,
        needs_selection: bool = True,
    ) -> QAction:
        action = QAction(icon(name), text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(
                f"{text}（{QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)}）"
            )
        action.triggered.connect(slot)
        action.setProperty("needs_selection", needs_selection)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def add_filter(
        self, name: str, all_label: str, choices: Sequence[tuple[str, Callable[[Any], bool]]]
    ) -> QComboBox:
        """A combo whose first entry shows everything; each other entry applies a predicate."""
        combo = QComboBox()
        combo.setObjectName(f"filter_{name}")
        self._fill_filter(combo, all_label, choices)
        combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_predicate(name, combo.currentData())
        )
        self.filters.addWidget(combo, 1)
        return combo

    def _fill_filter(
        self, combo: QComboBox, all_label: str, choices: Sequence[tuple[str, Callable[[Any], bool]]]
    ) -> None:
        previous = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, None)
        for label, predicate in choices:
            combo.addItem(label, predicate)
        index = combo.findText(previous)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def refill_filter(
        self,
        name: str,
        combo: QComboBox,
        all_label: str,
        choices: Sequence[tuple[str, Callable[[Any], bool]]],
    ) -> None:
        self._fill_filter(combo, all_label, choices)
        self.proxy.set_predicate(name, combo.currentData())

    # -- behaviour --------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Fetch the rows again, keeping (or moving to) the selected record."""
        keep = select_id if select_id is not None else self.selected_id()
        self.model.set_rows(self.fetch())
        self.refresh_filter_choices()
        if keep is not None:
            self.select_id(keep)
        self._emit_counts()
        self.update_actions()

    def replace_row(self, row: R) -> None:
        self.model.replace_row(row)
        self._emit_counts()
        self.update_actions()

    def selected(self) -> R | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        row = self.selected()
        return getattr(row, "id", None) if row is not None else None

    def select_id(self, record_id: int) -> bool:
        proxy_row = self.proxy.proxy_row_of_id(record_id)
        if proxy_row is None:
            return False
        index = self.proxy.index(proxy_row, 0)
        self.view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↓ or Enter in the search box moves into the results, on the first row."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.focus_results()
                return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.selected() is None and self.proxy.rowCount():
            first = self.proxy.index(0, 0)
            self.view.selectionModel().select(
                first,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.setCurrentIndex(first)

    def export_visible(self) -> None:
        """Export the rows the clerk sees (after search and filters) to an .xlsx file."""
        path = ask_save_path(
            self, "导出当前列表", f"{self.export_name}.xlsx", XLSX_FILTER, "export"
        )
        if path is None:
            return
        rows = self.visible_rows()
        outcome = run_with_progress(self, "正在导出…", lambda _progress: self.export_to(path, rows))
        if outcome.error:
            show_error(self, outcome.error)
        elif outcome.ok:
            show_info(self, f"已导出 {len(rows)} 条记录到：\n{outcome.result}", "导出完成")

    def visible_rows(self) -> list[R]:
        return [self.proxy.row_at(i) for i in range(self.proxy.rowCount())]

    def counts_text(self) -> str:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self._summary_generation != self.model.generation:  # filters do not change it
            self._summary = self.summary(self.model.rows)
            self._summary_generation = self.model.generation
        text = self._summary
        return text if shown == total else f"{text}｜筛选后显示 {shown} 个"

    def _emit_counts(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_hint.setVisible(empty)
        self.view.setVisible(not empty)  # the explanation takes the empty table's place
        self.counts_changed.emit(self.counts_text())

    def _on_selection(self) -> None:
        self.update_actions()
