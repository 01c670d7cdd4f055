"""One step of an item: 登记报送, 登记复查, 关闭, 重新打开 — each a date (or reason) and a note.

The service checks the dates against the item (re-check before report, closing without a
re-check …); its message appears under the form with the field focused, nothing saved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.errors import ValidationError
from app.services.rectification import ItemRow, RectificationService
from ui.file_dialogs import ask_open_path
from ui.form_dialog import FormDialog
from ui.widgets import DateField, wrapped_label

REPORT_FILTER = "整改报告 (*.pdf *.doc *.docx *.wps *.ofd *.jpg *.jpeg *.png *.zip);;所有文件 (*)"


class _StepDialog(FormDialog):
    """Names the item at the top; ``save`` calls the service step."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        service: RectificationService,
        row: ItemRow,
        action_text: str,
    ) -> None:
        super().__init__(parent, title)
        self.service, self.row = service, row
        self.form.addRow("整改事项：", wrapped_label(f"{row.units_text}：{row.problem_text}"))
        self.form.addRow("当前状态：", QLabel(f"{row.status_text}；整改期限 {row.deadline_text}"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(action_text)

    def _date(self, key: str, label: str, today: date) -> DateField:
        field = self.add_field(key, label, DateField(label=label), required=True)
        field.set_date(today)
        return field

    def _note(self, key: str, label: str, hint: str) -> QPlainTextEdit:
        note = self.add_field(key, label, QPlainTextEdit())
        note.setPlaceholderText(hint)
        note.setFixedHeight(64)
        note.setTabChangesFocus(True)
        return note


def _required(field: DateField, key: str, label: str) -> date:
    value = field.date_value(key)
    if value is None:
        raise ValidationError(f"请填写「{label}」。", key)
    return value


class FileField(QWidget):
    """A file to attach: typed or chosen; empty for none."""

    textEdited = Signal(str)  # noqa: N815 (Qt naming: FormDialog clears errors on it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit()
        self.path.setPlaceholderText("可不附：单位报送的整改报告（PDF、Word、图片…）")
        self.path.setClearButtonEnabled(True)
        choose = QPushButton("选择…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        self.setFocusProxy(self.path)
        self.path.textEdited.connect(self.textEdited)

    def file(self) -> Path | None:
        text = self.path.text().strip().strip('"')
        return Path(text) if text else None

    def _choose(self) -> None:
        chosen = ask_open_path(self, "选择整改报告", REPORT_FILTER, "rectification_report")
        if chosen is not None:
            self.path.setText(str(chosen))


class ReportDialog(_StepDialog):
    """登记报送: the unit's 整改情况 arrived (date, note, report file)."""

    def __init__(
        self, parent: QWidget | None, service: RectificationService, row: ItemRow, today: date
    ) -> None:
        super().__init__(parent, "登记报送整改情况", service, row, "登记报送")
        self.on = self._date("report_received_on", "报送日期", today)
        self.note = self._note("report_note", "整改情况", "单位报送的整改措施和完成情况摘要")
        self.file = self.add_field("report_file", "整改报告", FileField())

    def save(self, create_unit: bool) -> None:
        on = _required(self.on, "report_received_on", "报送日期")
        self.service.record_report(self.row.id, on, self.note.toPlainText(), self.file.file())


class RecheckDialog(_StepDialog):
    """登记复查: the office looked again — 通过 or 未通过."""

    def __init__(
        self, parent: QWidget | None, service: RectificationService, row: ItemRow, today: date
    ) -> None:
        super().__init__(parent, "登记复查结果", service, row, "登记复查")
        self.on = self._date("recheck_on", "复查日期", today)
        result = QWidget()
        line = QHBoxLayout(result)
        line.setContentsMargins(0, 0, 0, 0)
        self.passed = QRadioButton("复查通过（问题已整改）")
        self.passed.setObjectName("recheck_passed")
        self.failed = QRadioButton("复查未通过（问题仍存在）")
        self.failed.setObjectName("recheck_failed")
        group = QButtonGroup(self)
        for button in (self.passed, self.failed):
            group.addButton(button)
            line.addWidget(button)
        line.addStretch()
        self.form.addRow("复查结果 *：", result)
        self.register_field("result", self.passed)
        self.failed.toggled.connect(lambda _on: self.error_line.show_message(""))
        self.note = self._note("recheck_note", "复查情况", "如：栏目已开通，2025年10月以来按时更新")

    def save(self, create_unit: bool) -> None:
        on = _required(self.on, "recheck_on", "复查日期")
        if not (self.passed.isChecked() or self.failed.isChecked()):
            raise ValidationError("请选择复查结果：复查通过或复查未通过。", "result")
        self.service.record_recheck(
            self.row.id, on, self.passed.isChecked(), self.note.toPlainText()
        )


class CloseDialog(_StepDialog):
    """关闭: the item needs no more follow-up (after a re-check)."""

    def __init__(
        self, parent: QWidget | None, service: RectificationService, row: ItemRow, today: date
    ) -> None:
        super().__init__(parent, "关闭整改事项", service, row, "关闭事项")
        self.on = self._date("closed_on", "关闭日期", today)
        self.note = self._note("close_note", "说明", "可不填，如：复查通过，整改完成")

    def save(self, create_unit: bool) -> None:
        on = _required(self.on, "closed_on", "关闭日期")
        self.service.close(self.row.id, on, self.note.toPlainText())


class ReopenDialog(_StepDialog):
    """重新打开 a closed item; the reason is kept in its history."""

    def __init__(self, parent: QWidget | None, service: RectificationService, row: ItemRow) -> None:
        super().__init__(parent, "重新打开整改事项", service, row, "重新打开")
        self.reason = self._note("reason", "原因", "如：误关闭；复查后问题再次出现")

    def save(self, create_unit: bool) -> None:
        self.service.reopen(self.row.id, self.reason.toPlainText())
