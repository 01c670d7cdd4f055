"""修改记录 of one record: who changed which field, when, from what to what; export to .xlsx."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.io.audit_export import export_audit
from app.services.audit import AuditRow
from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.icons import icon
from ui.prompts import show_error, show_info
from ui.table_model import RecordTableModel, TableColumn
from ui.workers import run_with_progress

AUDIT_COLUMNS: list[TableColumn[AuditRow]] = [
    TableColumn("时间", lambda r: r.at_text, sort_key=lambda r: (r.at, r.id), width=150),
    TableColumn("操作人", lambda r: r.user, width=90),
    TableColumn("操作", lambda r: r.action, width=50),
    TableColumn("字段", lambda r: r.field, width=170),
    TableColumn("原值", lambda r: r.old_value, width=240),
    TableColumn("新值", lambda r: r.new_value, width=240),
]
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


class AuditDialog(QDialog):
    """Read-only list, newest first; any column sorts; 导出 writes what is shown."""

    def __init__(self, parent: QWidget | None, title: str, rows: list[AuditRow]) -> None:
        super().__init__(parent)
        self.title = title
        self.setWindowTitle(f"修改记录 — {title}")
        self.resize(1000, 460)
        self.model: RecordTableModel[AuditRow] = RecordTableModel(
            AUDIT_COLUMNS, lambda r: (r.field, r.old_value, r.new_value, r.user)
        )
        self.model.set_rows(rows)
        self.view = QTableView()
        self.view.setObjectName("audit_rows")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        rows_header = self.view.verticalHeader()
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # wrapped text
        rows_header.hide()
        header = self.view.horizontalHeader()
        for i, column in enumerate(AUDIT_COLUMNS):
            self.view.setColumnWidth(i, column.width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # 原值
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # 新值
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # newest first, as given
        self.view.setSortingEnabled(True)

        count = f"{title}：共 {len(rows)} 条修改记录" if rows else f"{title}：还没有修改记录。"
        summary = QLabel(count)
        summary.setWordWrap(True)
        note = QLabel(
            "每次修改都记下修改人（Windows 用户名）、时间、原值和新值；"
            "升级到本版本之前的修改没有记录。"
        )
        note.setStyleSheet("color: #666;")
        note.setWordWrap(True)
        self.export_button = QPushButton(icon("export"), "导出…")
        self.export_button.setObjectName("export_audit")
        self.export_button.setEnabled(bool(rows))
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def export(self) -> None:
        name = _NOT_IN_FILE_NAMES.sub("_", self.title).strip("_") or "记录"
        path = ask_save_path(self, "导出修改记录", f"修改记录-{name}.xlsx", XLSX_FILTER, "export")
        if path is None:
            return
        rows = list(self.model.rows)  # in the order shown
        outcome = run_with_progress(self, "正在导出…", lambda _progress: export_audit(path, rows))
        if outcome.error:
            show_error(self, outcome.error)
        elif outcome.ok:
            show_info(self, f"已导出 {len(rows)} 条修改记录到：\n{outcome.result}", "导出完成")
