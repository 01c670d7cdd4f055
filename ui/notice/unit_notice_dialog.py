"""整改通知书: one unit's problems of the round with deadlines, as PDF (and .xlsx)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.services.registry import Registry
from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.prompts import show_error, show_info
from ui.widgets import DateField, ErrorLine
from ui.workers import run_with_progress


class UnitNoticeDialog(QDialog):
    def __init__(self, parent: QWidget | None, registry: Registry, round_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("整改通知书")
        self.setMinimumWidth(480)
        self.registry = registry
        self.round_id = round_id
        names = sorted(
            {
                name
                for row in registry.rectification.list()
                if row.round_id == round_id and row.closed_on is None
                for name in row.unit_names
            }
        )
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.addItems(names)
        self.issue_date = DateField(label="成文日期")
        self.issue_date.set_date(date.today())
        self.with_xlsx = QCheckBox("同时导出问题清单（.xlsx）")
        self.record = QCheckBox("记入印发记录（保存 PDF 副本）")
        self.record.setChecked(True)
        form = QFormLayout()
        form.addRow("责任单位：", self.unit)
        form.addRow("成文日期：", self.issue_date)
        form.addRow("", self.with_xlsx)
        form.addRow("", self.record)
        self.error_line = ErrorLine(self)
        hint = QLabel(
            "列出该单位在本轮中尚未关闭的整改事项及各自期限。"
            if names
            else "本轮没有需要整改的问题（或都已关闭），无需发整改通知书。"
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        self.write_button = buttons.addButton("生成 PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setEnabled(bool(names))
        buttons.accepted.connect(self.write)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_line)
        layout.addWidget(buttons)

    def write(self) -> None:
        unit = self.unit.currentText()
        try:
            on = self.issue_date.date_value("issue_date")
            if on is None:
                raise ValidationError("请填写成文日期。", "issue_date")
            doc = self.registry.notices.unit_notice(self.round_id, unit, today=on)
        except AppError as exc:
            self.error_line.show_message(exc.message)
            return
        pdf = ask_save_path(
            self, "保存整改通知书", f"{unit}整改通知书.pdf", "PDF 文件 (*.pdf)", "notice"
        )
        if pdf is None:
            return
        xlsx = None
        if self.with_xlsx.isChecked():
            xlsx = ask_save_path(
                self, "保存问题清单", f"{unit}整改清单.xlsx", XLSX_FILTER, "notice"
            )
        notices = self.registry.notices
        outcome = run_with_progress(
            self,
            "正在生成整改通知书…",
            lambda p: notices.export(
                doc, pdf=pdf, xlsx=xlsx, progress=p.report, cancelled=p.cancelled
            ),
        )
        if outcome.error:
            show_error(self, outcome.error)
            return
        if not outcome.ok:
            return
        written = outcome.result
        try:
            if self.record.isChecked():
                notices.record_unit_notice(self.round_id, unit, doc, written[0])
        except AppError as exc:
            show_error(self, exc.message)
            return
        show_info(self, "已生成：\n" + "\n".join(str(p) for p in written), "整改通知书")
        self.accept()
