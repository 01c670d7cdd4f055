"""Add or edit a 整改 item: units, problem, source, round, target, found date and deadline."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.errors import ValidationError
from app.services.rectification import ItemInput, ItemRow
from app.services.rectification_sync import Term
from app.services.registry import Registry
from app.vocab import RectificationSource, TargetType
from ui.enum_combo import EnumCombo
from ui.form_dialog import FormDialog
from ui.rectification.deadline_field import DeadlineField
from ui.rectification.unit_list_field import UnitListField
from ui.widgets import DateField

Choice = tuple[TargetType, int, str]  # kind, record id, its unit's name


class TargetPicker(QComboBox):
    """检查对象 (optional): a website or account of the registry, found by any part of its name."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._choices: dict[str, Choice] = {}
        for w in registry.websites.list():
            self._choices[f"{w.name}（网站，{w.unit_name}）"] = (
                TargetType.WEBSITE,
                w.id,
                w.unit_name,
            )
        for a in registry.accounts.list():
            text = f"{a.name}（{a.platform.label}，{a.unit_name}）"
            self._choices[text] = (TargetType.ACCOUNT, a.id, a.unit_name)
        self.addItems(list(self._choices))
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText("可不填：问题只涉及单位时留空")
        completer = QCompleter(list(self._choices), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def choice(self) -> Choice | None:
        """The picked record; None when empty; ValidationError for text naming no record."""
        text = self.currentText().strip()
        if not text:
            return None
        if text not in self._choices:
            raise ValidationError(
                f"检查对象「{text}」不在台账中：请从列表中选择网站或新媒体账号，或留空。", "target"
            )
        return self._choices[text]

    def set_record(self, kind: TargetType | None, record_id: int | None) -> None:
        for text, (k, rid, _unit) in self._choices.items():
            if k is kind and rid == record_id:
                self.setCurrentText(text)
                return


class ItemDialog(FormDialog):
    def __init__(
        self,
        parent: QWidget | None,
        registry: Registry,
        row: ItemRow | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent, "编辑整改事项" if row else "新增整改事项")
        self.setMinimumWidth(680)
        self._registry, self._row = registry, row
        service = registry.rectification
        self.units = self.add_field(
            "units", "责任单位", UnitListField(registry.units.names()), required=True
        )
        self.target = self.add_field("target", "检查对象", TargetPicker(registry))
        self.target.currentTextChanged.connect(self._target_changed)
        self.problem = self.add_field("problem_text", "问题描述", QPlainTextEdit(), required=True)
        self.problem.setPlaceholderText("如：政策解读栏目2025年以来未发布解读材料")
        self.problem.setFixedHeight(64)
        self.problem.setTabChangesFocus(True)
        self.indicator = self.add_field("indicator_name", "指标", QLineEdit())
        self.indicator.setPlaceholderText("可不填，如：解读回应")
        self.source = self.add_field("source", "来源", EnumCombo(RectificationSource))
        self.source_note = self.add_field("source_note", "来源说明", QLineEdit())
        self.source_note.setPlaceholderText("如：省政府办公厅2025年第三季度抽查通报")
        self.round = self.add_field("round", "检查轮次", QComboBox())
        self.round.addItem("（不属于检查轮次）", None)
        for r in registry.rounds.list():
            self.round.addItem(r.name, r.id)
        self.found_on = self.add_field(
            "found_on", "发现日期", DateField(label="发现日期"), required=True
        )
        self.deadline = DeadlineField(service.compute_deadline)
        self.form.addRow("整改期限 *：", self.deadline)
        self.register_field("deadline", self.deadline.date)
        self.register_field("deadline_days", self.deadline.term)
        self.found_on.textChanged.connect(self._found_changed)
        self.note = self.add_field("note", "备注", QLineEdit())
        self.saved_id: int | None = row.id if row else None
        if row is None:
            self.found_on.set_date(today or date.today())
            self.deadline.set_term(service.default_term())
        else:
            self._fill(row)

    def _fill(self, row: ItemRow) -> None:
        self.units.set_names(list(row.unit_names))
        self.target.set_record(row.target_kind, row.record_id)
        self.problem.setPlainText(row.problem_text)
        self.indicator.setText(row.indicator_name)
        self.source.set_value(row.source)
        self.source_note.setText(row.source_note)
        self.round.setCurrentIndex(max(self.round.findData(row.round_id), 0))
        self.found_on.set_date(row.found_on)
        if row.deadline_days is not None:
            self.deadline.set_term(Term(row.deadline_days, row.deadline_working_days))
        else:
            self.deadline.set_date(row.deadline)
        self.note.setText(row.note)
        if row.auto:  # kept in step with the checklist: what it was found on stays as found
            for widget in (self.target, self.indicator, self.source, self.source_note, self.round):
                widget.setEnabled(False)
            self.form.insertRow(
                0, QLabel("此事项由检查结果生成：检查对象、指标、来源和轮次随检查表，不在此修改。")
            )

    def _found_changed(self, _text: str) -> None:
        try:
            found = self.found_on.date_value("found_on")
        except ValidationError:
            found = None
        self.deadline.set_found_on(found)

    def _target_changed(self, _text: str) -> None:
        """Picking a site or account proposes its unit as the responsible one."""
        try:
            choice = self.target.choice()
        except ValidationError:
            return
        if choice is not None and not self.units.names():
            self.units.add_name(choice[2])

    def save(self, create_unit: bool) -> None:
        choice = self.target.choice()
        found_on = self.found_on.date_value("found_on")
        deadline, days, working = self.deadline.value()
        data = ItemInput(
            unit_names=self.units.names(),
            problem_text=self.problem.toPlainText(),
            found_on=found_on,
            deadline=deadline,
            deadline_days=days,
            working_days=working,
            source=self.source.value(),
            source_note=self.source_note.text(),
            round_id=self.round.currentData(),
            website_id=choice[1] if choice and choice[0] is TargetType.WEBSITE else None,
            account_id=choice[1] if choice and choice[0] is TargetType.ACCOUNT else None,
            indicator_name=self.indicator.text(),
            note=self.note.text(),
        )
        service = self._registry.rectification
        if self._row is not None:
            service.update(self._row.id, data)
        else:
            self.saved_id = service.create(data)
