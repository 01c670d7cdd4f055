"""单位整改清单: one unit's full list, the problems it was named for again and again, export."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.deadlines import Urgency
from app.errors import AppError
from app.io.rectification_export import write_unit_history_xlsx
from app.services.rectification import RepeatRow, UnitHistory
from app.services.registry import Registry
from ui.icons import icon
from ui.prompts import show_error
from ui.rectification.detail_dialog import ItemDetailDialog
from ui.rectification.exporting import export_xlsx
from ui.rectification.item_model import ItemTableModel, is_closed, item_columns, search_text
from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn

REPEAT_COLUMNS: list[TableColumn[RepeatRow]] = [
    TableColumn("问题", lambda r: r.problem),
    TableColumn("出现次数", lambda r: r.times, sort_key=lambda r: r.times, align_right=True),
    TableColumn("涉及轮次", lambda r: "、".join(r.rounds)),
]


def summary_text(history: UnitHistory) -> str:
    items = history.items
    open_ = sum(r.closed_on is None for r in items)
    late = sum(r.urgency is Urgency.OVERDUE for r in items)
    rounds = "、".join(history.rounds_named) or "无"
    return (
        f"{history.unit_name}：整改事项共 {len(items)} 项，未关闭 {open_} 项，逾期 {late} 项；"
        f"被检查发现问题的轮次：{rounds}。"
    )


def _table(model: RecordTableModel, name: str) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    return view


class UnitHistoryDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, registry: Registry, unit_name: str, today: date
    ) -> None:
        super().__init__(parent)
        self.registry, self.today = registry, today
        self.history: UnitHistory | None = None
        self.setWindowTitle("单位整改清单")
        self.resize(1260, 680)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.addItems(registry.units.names())
        self.unit.setMinimumWidth(260)
        self.summary = QLabel()
        self.summary.setObjectName("unit_summary")
        self.summary.setWordWrap(True)
        self.repeats_title = QLabel()
        self.repeats_title.setStyleSheet("font-weight: bold;")
        self.repeats: RecordTableModel[RepeatRow] = RecordTableModel(
            REPEAT_COLUMNS, lambda r: (r.problem,)
        )
        self.repeat_view = _table(self.repeats, "repeats")
        self.repeat_view.setMaximumHeight(130)
        header = self.repeat_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        columns = item_columns(lambda: today)
        self.items = ItemTableModel(columns, search_text, is_closed)
        self.proxy = RecordFilterProxy()
        self.proxy.setSourceModel(self.items)
        self.item_view = _table(self.proxy, "unit_items")
        self.item_view.setSortingEnabled(True)
        self.item_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.item_view.horizontalHeader().setStretchLastSection(True)
        for i, column in enumerate(columns):
            self.item_view.setColumnWidth(i, column.width)
        self.item_view.activated.connect(self._show_detail)
        self.export_button = QPushButton(icon("export"), "导出(&X)…")
        self.export_button.setObjectName("export_unit")
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("单位："))
        top.addWidget(self.unit)
        top.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.repeats_title)
        layout.addWidget(self.repeat_view)
        layout.addWidget(QLabel("全部整改事项（双击查看详情和办理记录）："))
        layout.addWidget(self.item_view, 1)
        layout.addWidget(buttons)
        self.unit.setCurrentText(unit_name)
        self.unit.currentTextChanged.connect(self.load)
        self.load(unit_name)

    def load(self, unit_name: str) -> None:
        try:
            history = self.registry.rectification.unit_history(unit_name, self.today)
        except AppError as exc:
            self.history = None
            self.summary.setText(exc.message)
            self.items.set_rows([])
            self.repeats.set_rows([])
            self.export_button.setEnabled(False)
            return
        self.history = history
        self.summary.setText(summary_text(history))
        self.items.set_rows(history.items)
        self.repeats.set_rows(history.repeats)
        self.repeat_view.setVisible(bool(history.repeats))
        self.repeats_title.setText(
            f"反复出现的问题（反复整改、反复被通报）：{len(history.repeats)} 个"
            if history.repeats
            else "没有在多个轮次中反复出现的问题。"
        )
        self.export_button.setEnabled(bool(history.items))

    def export(self) -> None:
        history = self.history
        if history is None:
            return
        export_xlsx(
            self,
            "导出单位整改清单",
            f"{history.unit_name}整改清单.xlsx",
            lambda path: write_unit_history_xlsx(history, path, self.today),
        )

    def _show_detail(self, index) -> None:  # noqa: ANN001 - QModelIndex
        row = self.proxy.row_at(index.row())
        try:
            detail = self.registry.rectification.get(row.id, self.today)
        except AppError as exc:
            show_error(self, exc.message)
            return
        ItemDetailDialog(self, detail, self.today, self.registry.audit).exec()
