"""Small reusable widgets: an optional date field and a form error line."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
    QWidgetAction,
)

from app.domain.dates import DateParseError, format_date, parse_date
from app.errors import ValidationError
from ui.icons import icon


class DateField(QLineEdit):
    """A date that may be empty; typed (2023-01-05, 2023/1/5, 2023年1月5日) or picked."""

    def __init__(self, parent: QWidget | None = None, label: str = "日期") -> None:
        super().__init__(parent)
        self._label = label
        self.setPlaceholderText("如 2023-01-05，可留空")
        self.setClearButtonEnabled(True)
        pick = self.addAction(icon("calendar"), QLineEdit.ActionPosition.TrailingPosition)
        pick.setToolTip("从日历中选择")
        pick.triggered.connect(self._pick)

    def set_date(self, value: date | None) -> None:
        self.setText(format_date(value))

    def date_value(self, field: str) -> date | None:
        """The entered date; raises ValidationError naming this field when it is not a date."""
        try:
            return parse_date(self.text())
        except DateParseError as exc:
            raise ValidationError(f"「{self._label}」{exc}", field) from exc

    def _pick(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        try:
            current = parse_date(self.text())
        except DateParseError:
            current = None
        if current:
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def chosen(qdate: QDate) -> None:
            self.setText(qdate.toString("yyyy-MM-dd"))
            menu.close()

        calendar.clicked.connect(chosen)
        calendar.activated.connect(chosen)
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))


class RegionField(QComboBox):
    """所属县区: pick one already in use or type a new one (avoids 通城 / 通城县 variants)."""

    def __init__(self, regions: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(regions)
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText("如：通城县、红旗区；市直部门填“市直”")

    def text(self) -> str:
        return self.currentText().strip()

    def setText(self, value: str) -> None:  # noqa: N802 (QLineEdit-compatible name)
        self.setCurrentText(value)


class ErrorLine(QLabel):
    """Red message line at the bottom of a form; hidden while there is nothing to say."""

    shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020; padding: 4px;")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        self.shown.emit(text)


def wrapped_label(text: str = "", lines: int = 2, width: int = 380) -> QLabel:
    """A word-wrapped label with room for its text at about ``width`` pixels (and at least
    ``lines`` lines): a wrapped QLabel in a form otherwise gets one line and is cut off."""
    label = QLabel(text)
    label.setWordWrap(True)
    needed = label.heightForWidth(width) if text else 0
    label.setMinimumHeight(max(label.fontMetrics().lineSpacing() * lines + 4, needed))
    return label
