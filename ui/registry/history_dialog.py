"""Read-only history (变更记录) of one website or account."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.dto import EventRow
from ui.table_model import RecordTableModel, TableColumn

EVENT_COLUMNS: list[TableColumn[EventRow]] = [
    TableColumn("日期", lambda e: e.event_date),
    TableColumn("事项", lambda e: e.kind),
    TableColumn("内容", lambda e: e.summary),
    TableColumn("原因", lambda e: e.reason),
    TableColumn("记录人", lambda e: e.recorded_by),
    TableColumn(
        "记录时间", lambda e: e.recorded_at.strftime("%Y-%m-%d %H:%M") if e.recorded_at else ""
    ),
]


class HistoryDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, events: list[EventRow]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"变更记录 — {title}")
        self.resize(900, 380)
        self.model: RecordTableModel[EventRow] = RecordTableModel(
            EVENT_COLUMNS, lambda e: (e.summary,)
        )
        self.model.set_rows(events)
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.setWordWrap(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # 原因
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{title}：共 {len(events)} 条记录"))
        layout.addWidget(view)
        layout.addWidget(buttons)
