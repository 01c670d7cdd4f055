"""The 整改 list's columns and its table model: overdue rows red, due soon amber, closed grey."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.deadlines import Urgency
from app.services.rectification import ItemRow
from ui.table_model import Index, RecordTableModel, TableColumn

_BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value

OVERDUE_BACKGROUND = QBrush(QColor("#fbd5d5"))
OVERDUE_TEXT = QBrush(QColor("#8b1111"))
DUE_SOON_BACKGROUND = QBrush(QColor("#ffe9b0"))
DUE_SOON_TEXT = QBrush(QColor("#6b4500"))
_BACKGROUNDS = {Urgency.OVERDUE: OVERDUE_BACKGROUND, Urgency.DUE_SOON: DUE_SOON_BACKGROUND}
_TEXTS = {Urgency.OVERDUE: OVERDUE_TEXT, Urgency.DUE_SOON: DUE_SOON_TEXT}


def reminder_text(row: ItemRow, today: date) -> str:
    """期限提醒: 「逾期5天」「今日到期」「剩2天」, empty when nothing is due."""
    if row.urgency is Urgency.OVERDUE:
        return f"逾期{row.days_late(today)}天"
    if row.urgency is Urgency.DUE_SOON:
        left = (row.deadline - today).days
        return "今日到期" if left == 0 else f"剩{left}天"
    return ""


def _recheck_text(row: ItemRow) -> str:
    if row.recheck_on is None:
        return ""
    where = f"（{row.recheck_round_name}）" if row.recheck_round_name else ""
    return f"{row.recheck_on.isoformat()}{where}"


def _due_key(row: ItemRow) -> tuple[int, date]:
    """Most urgent first: overdue, due soon, waiting, then the rest, each by deadline."""
    rank = {Urgency.OVERDUE: 0, Urgency.DUE_SOON: 1, Urgency.NORMAL: 2, Urgency.DONE: 3}
    return rank[row.urgency], row.deadline


def item_columns(today: Callable[[], date]) -> list[TableColumn[ItemRow]]:
    """The list's columns; ``today`` decides the 期限提醒 text (injectable for tests)."""
    return [
        TableColumn("责任单位", lambda r: r.units_text, width=150),
        TableColumn("检查对象", lambda r: r.target_name, width=130),
        TableColumn("问题", lambda r: r.problem_text, width=202),
        TableColumn("来源", lambda r: r.source, width=104),
        TableColumn("轮次", lambda r: r.round_name, width=104),
        TableColumn("发现日期", lambda r: r.found_on, width=82),
        TableColumn("整改期限", lambda r: r.deadline, width=82),
        TableColumn("状态", lambda r: r.status_text, width=124),
        TableColumn("期限提醒", lambda r: reminder_text(r, today()), sort_key=_due_key, width=88),
        TableColumn("报送日期", lambda r: r.report_received_on, width=82),
        TableColumn("复查", _recheck_text, width=100),
    ]


def search_text(row: ItemRow) -> tuple[object, ...]:
    return (
        row.units_text,
        row.region,
        row.target_name,
        row.problem_text,
        row.indicator_name,
        row.round_name,
        row.source.label,
        row.source_note,
        row.note,
    )


def is_closed(row: ItemRow) -> bool:
    return row.closed_on is not None


class ItemTableModel(RecordTableModel[ItemRow]):
    """A :class:`RecordTableModel` whose rows are coloured by urgency (closed rows grey)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole.value) -> Any:
        if role == _BACKGROUND:
            return _BACKGROUNDS.get(self.rows[index.row()].urgency)
        if role == _FOREGROUND:
            colour = _TEXTS.get(self.rows[index.row()].urgency)
            if colour is not None:
                return colour
        return super().data(index, role)
