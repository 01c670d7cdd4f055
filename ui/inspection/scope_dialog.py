"""调整检查范围: add registry records to a round by hand (e.g. one opened after the window)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.services.registry import Registry
from app.services.rounds import CandidateRow
from app.vocab import TargetType
from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn
from ui.widgets import ErrorLine

CANDIDATE_COLUMNS: list[TableColumn[CandidateRow]] = [
    TableColumn("类型", lambda c: "网站" if c.kind is TargetType.WEBSITE else c.subtype, width=90),
    TableColumn("名称", lambda c: c.name, width=200),
    TableColumn("单位", lambda c: c.unit_name, width=160),
    TableColumn("县区", lambda c: c.region, width=80),
    TableColumn("状态", lambda c: "运行" if c.running else "已关停", width=60),
]


class AddTargetsDialog(QDialog):
    def __init__(self, parent: QWidget | None, registry: Registry, round_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("加入检查对象")
        self.resize(720, 480)
        self._registry, self._round_id = registry, round_id
        self.added = 0
        self.model: RecordTableModel[CandidateRow] = RecordTableModel(
            CANDIDATE_COLUMNS,
            lambda c: (c.name, c.unit_name, c.region, c.subtype),
            lambda c: not c.running,
        )
        self.model.set_rows(registry.rounds.candidates(round_id))
        self.proxy = RecordFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("candidate_search")
        self.search.setPlaceholderText("搜索名称、单位、县区…")
        self.search.textChanged.connect(self.proxy.set_search_text)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for i, column in enumerate(CANDIDATE_COLUMNS):
            self.view.setColumnWidth(i, column.width)
        self.error_line = ErrorLine(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("加入本轮")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._add)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        note = QLabel(
            "以下是台账中未列入本轮的网站和新媒体（含数据采集期间已关停或之后才开设的）。可多选后加入本轮。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_line)
        layout.addWidget(buttons)

    def _add(self) -> None:
        rows = [self.proxy.row_at(i.row()) for i in self.view.selectionModel().selectedRows()]
        if not rows:
            self.error_line.show_message(
                "请先选择要加入的网站或新媒体（可按住 Ctrl 或 Shift 多选）。"
            )
            return
        sites = [r.id for r in rows if r.kind is TargetType.WEBSITE]
        accounts = [r.id for r in rows if r.kind is TargetType.ACCOUNT]
        try:
            self.added = self._registry.rounds.add_targets(self._round_id, sites, accounts)
        except AppError as exc:
            self.error_line.show_message(exc.message)
            return
        self.accept()
