"""整改期限设置: the default term for items made from findings (N 个工作日 / N 天)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.services.rectification import RectificationService
from ui.form_dialog import FormDialog
from ui.rectification.deadline_field import CoverageNote, TermInput


class TermDialog(FormDialog):
    def __init__(self, parent: QWidget | None, service: RectificationService) -> None:
        super().__init__(parent, "整改期限设置")
        self.service = service
        intro = QLabel(
            "检查中发现的问题生成整改事项时，如检查轮次没有规定整改期限，"
            "整改期限按发现日期加上下面的天数计算。已生成的事项不受影响。"
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.term = self.add_field("deadline_days", "默认整改期限", TermInput())
        self.term.set_term(service.default_term())
        self.note = CoverageNote()
        self.form.addRow(self.note)
        self.term.valueChanged.connect(lambda: self.note.setVisible(self.term.term().working_days))

    def save(self, create_unit: bool) -> None:
        self.service.set_default_term(self.term.term())
