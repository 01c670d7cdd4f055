"""整改期限 inputs: a term (N 个工作日 / N 天) and a deadline given as a date or as a term.

The computed date is shown live; when working days are counted the holiday calendar's
coverage is named, and a date beyond it is flagged as approximate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from app.domain.deadlines import Deadline, calendar_coverage_text
from app.services.rectification_sync import Term
from ui.widgets import DateField

_WEEKDAYS = "一二三四五六日"
_HINT_STYLE = "color: #555;"
_WARNING_STYLE = (
    "color: #6b4500; background: #fff1c2; border: 1px solid #e0b84a; "
    "border-radius: 3px; padding: 3px 6px;"
)

Compute = Callable[[date, int, bool], Deadline]


def two_lines(text: str) -> str:
    """Break a long sentence after the ，or ；nearest its middle.

    The notes are shown unwrapped: a wrapping label inside a form row gets clipped when it
    appears after the dialog was laid out.
    """
    breaks = [i for i, ch in enumerate(text) if ch in "，；"]
    if len(text) < 30 or not breaks:
        return text
    at = min(breaks, key=lambda i: abs(i - len(text) / 2)) + 1
    return f"{text[:at]}\n{text[at:]}"


def day_text(day: date) -> str:
    """「2025-10-10（星期五）」"""
    return f"{day.isoformat()}（星期{_WEEKDAYS[day.weekday()]}）"


class TermInput(QWidget):
    """N days, counted as 工作日 or 自然日."""

    valueChanged = Signal()  # noqa: N815 (Qt naming: FormDialog clears errors on it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days = QSpinBox()
        self.days.setObjectName("deadline_days")
        self.days.setRange(1, 365)
        self.days.setValue(15)
        self.kind = QComboBox()
        self.kind.setObjectName("deadline_kind")
        self.kind.addItem("个工作日", True)
        self.kind.addItem("天（自然日）", False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.days)
        row.addWidget(self.kind)
        row.addStretch()
        self.setFocusProxy(self.days)
        self.days.valueChanged.connect(lambda _v: self.valueChanged.emit())
        self.kind.currentIndexChanged.connect(lambda _i: self.valueChanged.emit())

    def term(self) -> Term:
        return Term(self.days.value(), bool(self.kind.currentData()))

    def set_term(self, term: Term) -> None:
        self.days.setValue(term.days)
        self.kind.setCurrentIndex(self.kind.findData(term.working_days))


class CoverageNote(QWidget):
    """Which years the holiday calendar covers, and a visible warning beyond them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.coverage = QLabel(two_lines(calendar_coverage_text()))
        self.coverage.setObjectName("calendar_coverage")
        self.coverage.setStyleSheet(_HINT_STYLE)
        self.warning = QLabel()
        self.warning.setObjectName("calendar_warning")
        self.warning.setStyleSheet(_WARNING_STYLE)
        self.warning.hide()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.coverage, 0, 0)
        layout.addWidget(self.warning, 1, 0)

    def show_warning(self, text: str) -> None:
        self.warning.setText(two_lines(f"⚠ {text}") if text else "")
        self.warning.setVisible(bool(text))


class DeadlineField(QWidget):
    """整改期限: 「按日期」 a date, or 「按天数」 N 工作日/自然日 after the found date."""

    valueChanged = Signal()  # noqa: N815 (Qt naming, like TermInput)

    def __init__(self, compute: Compute, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._compute = compute
        self._found_on: date | None = None
        self.by_date = QRadioButton("按日期")
        self.by_date.setObjectName("deadline_by_date")
        self.by_term = QRadioButton("按天数：发现后")
        self.by_term.setObjectName("deadline_by_term")
        group = QButtonGroup(self)
        group.addButton(self.by_date)
        group.addButton(self.by_term)
        self.date = DateField(label="整改期限")
        self.date.setObjectName("deadline")
        self.date.setPlaceholderText("如 2025-10-20")
        self.term = TermInput()
        self.result = QLabel()
        self.result.setObjectName("deadline_result")
        self.note = CoverageNote()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.by_term, 0, 0)
        grid.addWidget(self.term, 0, 1)
        grid.addWidget(self.result, 1, 1)
        grid.addWidget(self.by_date, 2, 0)
        grid.addWidget(self.date, 2, 1)
        grid.addWidget(self.note, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.by_term.setChecked(True)
        for signal in (self.by_date.toggled, self.term.valueChanged, self.date.textChanged):
            signal.connect(self._update)
        self.date.textEdited.connect(lambda _t: self.by_date.setChecked(True))
        self._update()

    def set_found_on(self, found_on: date | None) -> None:
        self._found_on = found_on
        self._update()

    def set_date(self, deadline: date) -> None:
        self.date.set_date(deadline)
        self.by_date.setChecked(True)

    def set_term(self, term: Term) -> None:
        self.term.set_term(term)
        self.by_term.setChecked(True)

    def value(self) -> tuple[date | None, int | None, bool]:
        """(deadline date, days, working days); a malformed date raises ValidationError."""
        if self.by_date.isChecked():
            return self.date.date_value("deadline"), None, False
        term = self.term.term()
        return None, term.days, term.working_days

    def _update(self, *_args: object) -> None:
        by_term = self.by_term.isChecked()
        self.term.setEnabled(by_term)
        self.date.setEnabled(not by_term)
        working = by_term and self.term.term().working_days
        self.note.coverage.setVisible(working)
        deadline = self._preview() if by_term else None
        self.result.setVisible(by_term)
        if by_term and deadline is None:
            self.result.setText("填写发现日期后显示截止日期")
            self.result.setStyleSheet(_HINT_STYLE)
        elif deadline is not None:
            self.result.setText(f"截止日期：{day_text(deadline.day)}")
            self.result.setStyleSheet("font-weight: bold;")
        self.note.show_warning(deadline.warning if deadline is not None else "")
        self.valueChanged.emit()

    def _preview(self) -> Deadline | None:
        if self._found_on is None:
            return None
        term = self.term.term()
        return self._compute(self._found_on, term.days, term.working_days)
