"""One 整改 item in full: what, who, when, its report file and every recorded step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.deadlines import covered_years, describe_term
from app.services.audit import AuditService
from app.services.rectification import EventLine, ItemDetail, ItemRow
from ui.audit_dialog import AuditDialog
from ui.icons import icon
from ui.prompts import show_error
from ui.rectification.item_model import reminder_text
from ui.table_model import RecordTableModel, TableColumn

EVENT_COLUMNS: list[TableColumn[EventLine]] = [
    TableColumn("日期", lambda e: e.event_date),
    TableColumn(
        "状态变化",
        lambda e: f"{e.from_status or '—'} → {e.to_status}" if e.to_status else "",
    ),
    TableColumn("事项", lambda e: e.summary),
    TableColumn("记录人", lambda e: e.recorded_by),
    TableColumn(
        "记录时间", lambda e: e.recorded_at.strftime("%Y-%m-%d %H:%M") if e.recorded_at else ""
    ),
]


def _dated(day: date | None, note: str, extra: str = "") -> str:
    if day is None:
        return "—"
    return "　".join(part for part in (day.isoformat() + extra, note) if part)


def _fields(row: ItemRow, today: date) -> list[tuple[str, str]]:
    target = f"{row.target_name}（{row.target_subtype}）" if row.target_name else "—（只涉及单位）"
    source = f"{row.source.label}　{row.source_note}" if row.source_note else row.source.label
    term = describe_term(row.deadline_days, row.deadline_working_days)
    due = reminder_text(row, today)
    deadline = (
        row.deadline.isoformat() + (f"（{term}）" if term else "") + (f"　{due}" if due else "")
    )
    if row.deadline_days and row.deadline_working_days and row.deadline.year > covered_years()[1]:
        deadline += "　⚠ 节假日安排尚未收录该年份，工作日按周一至周五计算，请核对"
    recheck = f"（{row.recheck_round_name}检查）" if row.recheck_round_name else ""
    return [
        ("责任单位", row.units_text),
        ("检查对象", target),
        ("问题", row.problem_text),
        ("指标", row.indicator_name or "—"),
        ("来源", source),
        ("检查轮次", row.round_name or "—"),
        ("发现日期", row.found_on.isoformat()),
        ("整改期限", deadline),
        ("状态", row.status_text),
        ("报送", _dated(row.report_received_on, row.report_note)),
        ("复查", _dated(row.recheck_on, row.recheck_note, recheck)),
        ("关闭日期", _dated(row.closed_on, "")),
        ("通报日期", _dated(row.notified_on, "")),
        ("备注", row.note or "—"),
    ]


class ItemDetailDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        detail: ItemDetail,
        today: date,
        audit: AuditService | None = None,  # offers the item's 修改记录
    ) -> None:
        super().__init__(parent)
        row = detail.row
        self.row = row
        self.setWindowTitle(f"整改事项详情 — {row.units_text}")
        self.resize(860, 620)
        form = QFormLayout()
        for label, text in _fields(row, today):
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}：", value)
        self.open_report = QPushButton(icon("open_file"), f"打开整改报告：{row.report_file_name}")
        self.open_report.setObjectName("open_report")
        self.open_report.clicked.connect(self.open_report_file)
        if row.report_path is not None:
            form.addRow("整改报告：", self.open_report)
        else:
            form.addRow("整改报告：", QLabel("未附"))
        self.events: RecordTableModel[EventLine] = RecordTableModel(
            EVENT_COLUMNS, lambda e: (e.summary,)
        )
        self.events.set_rows(detail.events)
        view = QTableView()
        view.setObjectName("events")
        view.setModel(self.events)
        view.verticalHeader().hide()
        view.setWordWrap(True)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        if audit is not None:
            button = buttons.addButton("修改记录…", QDialogButtonBox.ButtonRole.ActionRole)
            button.setObjectName("audit")
            button.clicked.connect(lambda: self.show_audit(audit))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"办理记录（{len(detail.events)} 条）："))
        layout.addWidget(view, 1)
        layout.addWidget(buttons)

    def show_audit(self, audit: AuditService) -> None:
        rows = audit.for_record("rectification_item", self.row.id)
        AuditDialog(self, f"{self.row.units_text}：{self.row.problem_text}", rows).exec()

    def open_report_file(self) -> None:
        path = self.row.report_path
        if path is None:
            return
        if not path.exists():
            show_error(self, f"整改报告文件不在数据文件夹中：\n{path}\n可能已被移动或删除。")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
