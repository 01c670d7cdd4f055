"""印发记录: every issued notice file, with its SHA-256 check, openable."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.services.notice import IssuedRow
from ui.icons import icon
from ui.prompts import show_error
from ui.table_model import RecordTableModel, TableColumn
from ui.table_view import record_view

COLUMNS: list[TableColumn[IssuedRow]] = [
    TableColumn("印发日期", lambda r: r.issued_on.isoformat(), width=90),
    TableColumn("类型", lambda r: r.kind.label, width=90),
    TableColumn("标题", lambda r: r.title, width=300),
    TableColumn("文号", lambda r: r.doc_number, width=120),
    TableColumn("印发人", lambda r: r.issued_by, width=70),
    TableColumn("文件校验", lambda r: "完好" if r.intact else "缺失或被改动", width=90),
]


class IssuedPanel(QGroupBox):
    """The notice history of the selected round."""

    reopen_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("印发记录", parent)
        self.model: RecordTableModel[IssuedRow] = RecordTableModel(COLUMNS, lambda r: (r.title,))
        self.view = record_view(self.model, COLUMNS, name="issued_view")
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.open_button = QPushButton(icon("open_file"), "打开文件")
        self.open_button.clicked.connect(self.open_selected)
        self.folder_button = QPushButton(icon("folder"), "打开所在文件夹")
        self.folder_button.clicked.connect(self.open_folder)
        self.reopen_button = QPushButton(icon("reopen"), "重新打开本轮…")
        self.reopen_button.setToolTip("已定稿的轮次重新打开后才能修改检查结果；此操作会记录原因")
        self.reopen_button.clicked.connect(self.reopen_requested)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.folder_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def set_rows(self, rows: list[IssuedRow], finalized: bool) -> None:
        self.model.set_rows(rows)
        self.reopen_button.setVisible(finalized)
        self.open_button.setEnabled(bool(rows))
        self.folder_button.setEnabled(bool(rows))

    def _selected(self) -> IssuedRow | None:
        indexes = self.view.selectionModel().selectedRows()
        row = indexes[0].row() if indexes else 0
        return self.model.row_at(row) if self.model.rowCount() else None

    def open_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        if not row.path.is_file():
            show_error(self, f"印发文件「{row.path}」已不在数据文件夹中。")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(row.path)))

    def open_folder(self) -> None:
        row = self._selected()
        if row is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(row.path.parent)))
