"""整改 tab: every rectification item, filtered by status, source, round, unit and urgency.

Overdue rows are red, rows due within 3 days amber, closed rows grey. The buttons record each
step (报送 → 复查 → 关闭); a unit's full list, the 催办单 and any view export to .xlsx.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.deadlines import DUE_SOON_DAYS, Urgency
from app.errors import AppError
from app.io.rectification_export import write_items_xlsx
from app.services.rectification import ItemRow, TrackerCounts
from app.services.registry import Registry
from app.vocab import RectificationSource, RectificationStatus
from ui.icons import icon
from ui.prompts import confirm, show_error, show_info
from ui.rectification.detail_dialog import ItemDetailDialog
from ui.rectification.item_dialog import ItemDialog
from ui.rectification.item_model import ItemTableModel, is_closed, item_columns, search_text
from ui.rectification.reminder_dialog import ReminderDialog
from ui.rectification.step_dialogs import CloseDialog, RecheckDialog, ReopenDialog, ReportDialog
from ui.rectification.term_dialog import TermDialog
from ui.rectification.unit_history_dialog import UnitHistoryDialog
from ui.registry.list_page import RecordListPage

Status = RectificationStatus
NO_ROUND = "不属于检查轮次"


STATUS_CHOICES: list[tuple[str, Callable[[ItemRow], bool]]] = [
    ("未关闭", lambda r: r.closed_on is None),
    ("已关闭", lambda r: r.closed_on is not None),
    *[(s.label, lambda r, s=s: r.status is s) for s in Status],
]
DUE_CHOICES: list[tuple[str, Callable[[ItemRow], bool]]] = [
    ("仅看逾期", lambda r: r.urgency is Urgency.OVERDUE),
    (f"仅看{DUE_SOON_DAYS}天内到期", lambda r: r.urgency is Urgency.DUE_SOON),
    ("逾期或即将到期", lambda r: r.urgency in (Urgency.OVERDUE, Urgency.DUE_SOON)),
]


class RectificationTab(RecordListPage[ItemRow]):
    title_changed = Signal(str)  # 「整改（3 逾期）」 for the tab itself
    model_class = ItemTableModel
    export_name = "整改事项"

    def __init__(
        self,
        registry: Registry,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(
            item_columns(today),
            search_text,
            is_closed,
            "搜索责任单位、检查对象、问题、指标、轮次…",
            parent,
        )
        self.registry, self.today = registry, today
        self.toolbar.hide()  # two rows of buttons with Alt mnemonics instead
        steps = QHBoxLayout()
        self.add_button = self._button(steps, "add", "新增整改事项(&N)…", self.add_item)
        self.edit_button = self._button(steps, "edit", "编辑(&E)…", self.edit_item)
        self.report_button = self._button(steps, "report", "登记报送(&S)…", self.record_report)
        self.recheck_button = self._button(steps, "recheck", "登记复查(&C)…", self.record_recheck)
        self.close_button = self._button(steps, "close_item", "关闭(&G)…", self.close_item)
        self.reopen_button = self._button(steps, "reopen", "重新打开(&O)…", self.reopen_item)
        steps.addStretch()
        tools = QHBoxLayout()
        self.delete_button = self._button(tools, "delete", "删除(&R)", self.delete_item)
        tools.addSpacing(12)
        self.unit_button = self._button(tools, "unit_list", "单位整改清单(&U)…", self.show_unit)
        self.export_button = self._button(tools, "export", "导出当前列表(&X)…", self.export_visible)
        self.reminder_button = self._button(
            tools, "reminder", "导出催办单(&W)…", self.show_reminders
        )
        self.term_button = self._button(tools, "term", "整改期限设置(&T)…", self.edit_term)
        tools.addStretch()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("tracker_counts")
        self.counts_label.setStyleSheet("font-weight: bold;")
        self.counts_label.setWordWrap(True)  # on a narrow window it wraps instead of widening it
        self.counts_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tools.addWidget(self.counts_label, 1)
        self.counts_changed.connect(self.counts_label.setText)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, steps)
        layout.insertLayout(1, tools)

        self.status_filter = self.add_filter("status", "全部状态", STATUS_CHOICES)
        self.source_filter = self.add_filter(
            "source",
            "全部来源",
            [(s.label, lambda r, s=s: r.source is s) for s in RectificationSource],
        )
        self.round_filter = self.add_filter("round", "全部轮次", [])
        self.unit_filter = self.add_filter("unit", "全部责任单位", [])
        self.due_filter = self.add_filter("due", "全部期限", DUE_CHOICES)
        self.empty_hint.setText(
            "还没有整改事项。\n“检查”页保存检查表后，发现的问题会自动列在这里；"
            "上级抽查等其他来源的问题可以点“新增整改事项”登记。"
        )
        self.update_actions()

    def _button(
        self, row: QHBoxLayout, icon_name: str, text: str, slot: Callable[[], None]
    ) -> QPushButton:
        button = QPushButton(icon(icon_name), text)
        button.setObjectName(icon_name)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # -- RecordListPage ---------------------------------------------------------------------
    def fetch(self) -> list[ItemRow]:
        return self.registry.rectification.list(self.today())

    def summary(self, rows: list[ItemRow]) -> str:
        return f"共 {len(rows)} 项：{TrackerCounts.of(rows).line}"

    def reload(self, select_id: int | None = None) -> None:
        super().reload(select_id)
        self.title_changed.emit(TrackerCounts.of(self.model.rows).tab_text)

    def on_shown(self) -> None:
        self.reload()

    def refresh_filter_choices(self) -> None:
        rows = self.model.rows
        latest: dict[str, date] = {}
        for r in rows:
            if r.round_name:
                latest[r.round_name] = max(latest.get(r.round_name, r.found_on), r.found_on)
        rounds = sorted(latest, key=lambda name: latest[name], reverse=True)
        self.refill_filter(
            "round",
            self.round_filter,
            "全部轮次",
            [(name, lambda r, n=name: r.round_name == n) for name in rounds]
            + [(NO_ROUND, lambda r: r.round_id is None)],
        )
        units = sorted({name for r in rows for name in r.unit_names})
        self.refill_filter(
            "unit",
            self.unit_filter,
            "全部责任单位",
            [(name, lambda r, n=name: n in r.unit_names) for name in units],
        )

    def update_actions(self) -> None:
        row = self.selected()
        open_ = row is not None and row.closed_on is None
        self.edit_button.setEnabled(open_)
        self.report_button.setEnabled(open_ and row is not None and row.status is not Status.PASSED)
        self.recheck_button.setEnabled(open_)
        self.close_button.setEnabled(open_)
        self.reopen_button.setEnabled(row is not None and not open_)
        self.delete_button.setEnabled(row is not None and not row.auto)

    def edit_selected(self) -> None:
        """Enter or double-click: the item's details and its full history."""
        row = self.selected()
        if row is None:
            return
        try:
            detail = self.registry.rectification.get(row.id, self.today())
        except AppError as exc:
            show_error(self, exc.message)
            return
        ItemDetailDialog(self, detail, self.today(), self.registry.audit).exec()

    def export_to(self, path: Path, rows: list[ItemRow]) -> Path:
        return write_items_xlsx(rows, path, self.view_title(), self.today())

    def filter_combos(self) -> tuple[QComboBox, ...]:
        return (
            self.status_filter,
            self.source_filter,
            self.round_filter,
            self.unit_filter,
            self.due_filter,
        )

    def view_title(self) -> str:
        """「整改事项（未关闭、红旗区民政局）」: what the exported list shows."""
        chosen = [c.currentText() for c in self.filter_combos() if c.currentIndex() > 0]
        if self.search.text().strip():
            chosen.append(f"搜索“{self.search.text().strip()}”")
        return f"整改事项（{'、'.join(chosen)}）" if chosen else "整改事项（全部）"

    def show_item(self, item_id: int) -> bool:
        """Select one item (e.g. from 总览), clearing a search or filter that hides it."""
        if self.select_id(item_id):
            return True
        self.search.clear()
        for combo in self.filter_combos():
            combo.setCurrentIndex(0)
        return self.select_id(item_id)

    # -- commands ---------------------------------------------------------------------------
    def add_item(self) -> None:
        dialog = ItemDialog(self, self.registry, today=self.today())
        if dialog.exec():
            self.reload(select_id=dialog.saved_id)

    def edit_item(self) -> None:
        row = self.selected()
        if row is not None and ItemDialog(self, self.registry, row).exec():
            self.reload(select_id=row.id)

    def record_report(self) -> None:
        self._step(lambda row: ReportDialog(self, self.registry.rectification, row, self.today()))

    def record_recheck(self) -> None:
        self._step(lambda row: RecheckDialog(self, self.registry.rectification, row, self.today()))

    def close_item(self) -> None:
        self._step(lambda row: CloseDialog(self, self.registry.rectification, row, self.today()))

    def reopen_item(self) -> None:
        self._step(lambda row: ReopenDialog(self, self.registry.rectification, row))

    def _step(self, make_dialog: Callable[[ItemRow], QDialog]) -> None:
        row = self.selected()
        if row is not None and make_dialog(row).exec():
            self.reload(select_id=row.id)

    def delete_item(self) -> None:
        row = self.selected()
        if row is None or not confirm(
            self,
            "删除整改事项",
            f"删除「{row.units_text}：{row.problem_text}」？\n\n删除只用于登记错误的事项；"
            "已处理完的事项请用“关闭”，记录会保留。",
            "删除",
        ):
            return
        try:
            self.registry.rectification.delete(row.id)
        except AppError as exc:
            show_error(self, exc.message)
            return
        self.reload()

    def show_unit(self) -> None:
        """单位整改清单 of the selected item's lead unit (or the unit filtered on)."""
        row = self.selected()
        if row is not None:
            unit = row.unit_names[0]
        elif self.unit_filter.currentIndex() > 0:
            unit = self.unit_filter.currentText()
        else:
            names = sorted({n for r in self.model.rows for n in r.unit_names})
            if not names:
                show_info(self, "还没有整改事项，没有单位整改清单可看。")
                return
            unit = names[0]
        UnitHistoryDialog(self, self.registry, unit, self.today()).exec()

    def show_reminders(self) -> None:
        today = self.today()
        reminders = self.registry.rectification.reminders(today)
        if not reminders:
            show_info(self, "目前没有逾期未整改的事项，无需催办。")
            return
        ReminderDialog(self, reminders, today).exec()

    def edit_term(self) -> None:
        TermDialog(self, self.registry.rectification).exec()
