"""催办: overdue items per responsible unit, to look over before exporting the 催办单."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.io.rectification_export import as_of, write_reminders_xlsx
from app.services.rectification import UnitReminder
from ui.icons import icon
from ui.rectification.exporting import export_xlsx
from ui.rectification.item_model import OVERDUE_TEXT

HEADERS = ("责任单位 / 问题", "检查对象", "发现日期", "整改期限", "逾期天数", "状态")


class ReminderDialog(QDialog):
    def __init__(self, parent: QWidget | None, reminders: list[UnitReminder], today: date) -> None:
        super().__init__(parent)
        self.reminders, self.today = reminders, today
        self.setWindowTitle("逾期催办")
        self.resize(980, 560)
        items = sum(len(r.items) for r in reminders)
        self.summary = QLabel(
            f"{as_of(today)}，{len(reminders)} 个单位的 {items} 项整改已超过整改期限仍未完成。"
            "导出的催办单含一张汇总表和每个单位各一张表，可分别发送。"
        )
        self.summary.setObjectName("reminder_summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("reminders")
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setAlternatingRowColors(True)
        for reminder in reminders:
            longest = max(r.days_late(today) for r in reminder.items)
            unit = QTreeWidgetItem(
                [
                    f"{reminder.unit_name}（逾期 {len(reminder.items)} 项）",
                    "",
                    "",
                    "",
                    f"最长 {longest} 天",
                ]
            )
            font = unit.font(0)
            font.setBold(True)
            unit.setFont(0, font)
            self.tree.addTopLevelItem(unit)
            for row in reminder.items:
                child = QTreeWidgetItem(
                    [
                        row.problem_text,
                        row.target_name,
                        row.found_on.isoformat(),
                        row.deadline.isoformat(),
                        str(row.days_late(today)),
                        row.status_text,
                    ]
                )
                child.setForeground(4, OVERDUE_TEXT)
                child.setToolTip(0, row.problem_text)
                unit.addChild(child)
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.export_button = QPushButton(icon("export"), "导出催办单(&X)…")
        self.export_button.setObjectName("export_reminders")
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.export_button.setDefault(True)

    def export(self) -> None:
        stamp = self.today.strftime("%Y%m%d")
        export_xlsx(
            self,
            "导出催办单",
            f"整改催办单_{stamp}.xlsx",
            lambda path: write_reminders_xlsx(self.reminders, path, self.today),
        )
