"""关停 / 恢复运行 of a website or account: a date and a reason, kept in its history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QRadioButton, QWidget

from app.errors import ValidationError
from ui.form_dialog import FormDialog
from ui.widgets import DateField


class LifecycleDialog(FormDialog):
    """Asks for the date and reason, then calls ``action(on, reason, migrated)``."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        record_name: str,
        action: Callable[[date, str, bool], None],
        *,
        offer_migration: bool = False,
    ) -> None:
        super().__init__(parent, title)
        self._action = action
        self.form.addRow("对象：", QLabel(record_name))
        self.migrated: QRadioButton | None = None
        if offer_migration:
            choice = QWidget()
            row = QHBoxLayout(choice)
            row.setContentsMargins(0, 0, 0, 0)
            closed = QRadioButton("关停")
            closed.setChecked(True)
            self.migrated = QRadioButton("整合迁移（并入其他网站）")
            row.addWidget(closed)
            row.addWidget(self.migrated)
            row.addStretch()
            self.add_field("mode", "方式", choice)
        self.on = self.add_field("event_date", "日期", DateField(label="日期"), required=True)
        self.on.set_date(date.today())
        self.reason = self.add_field("reason", "原因", QPlainTextEdit())
        self.reason.setPlaceholderText("如：机构改革撤并、长期不更新责令关停、整改完成恢复")
        self.reason.setFixedHeight(70)

    def save(self, create_unit: bool) -> None:
        on = self.on.date_value("event_date")
        if on is None:
            raise ValidationError("请填写「日期」。", "event_date")
        migrated = bool(self.migrated and self.migrated.isChecked())
        self._action(on, self.reason.toPlainText(), migrated)
