"""Add/edit a unit (单位)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from app.services.dto import UnitInput, UnitRow
from app.services.registry import Registry
from app.vocab import UnitKind
from ui.enum_combo import EnumCombo
from ui.form_dialog import FormDialog
from ui.widgets import RegionField


class UnitDialog(FormDialog):
    def __init__(
        self, parent: QWidget | None, registry: Registry, unit: UnitRow | None = None
    ) -> None:
        super().__init__(parent, "编辑单位" if unit else "新增单位")
        self._registry, self._unit = registry, unit
        self.name = self.add_field("name", "单位名称", QLineEdit(), required=True)
        self.aliases = self.add_field("aliases", "别名", QLineEdit())
        self.aliases.setPlaceholderText("多个别名用、或逗号分隔，如：县市监局、县市场监督管理局")
        self.region = self.add_field("region", "所属县区", RegionField(registry.units.regions()))
        self.kind = self.add_field("kind", "单位类型", EnumCombo(UnitKind))
        self.contact = self.add_field("contact", "联系人", QLineEdit())
        self.phone = self.add_field("phone", "联系电话", QLineEdit())
        self.email = self.add_field("email", "电子邮箱", QLineEdit())
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setFixedHeight(60)
        if unit:
            self.name.setText(unit.name)
            self.aliases.setText("、".join(unit.aliases))
            self.region.setText(unit.region)
            self.kind.set_value(unit.kind)
            self.contact.setText(unit.contact)
            self.phone.setText(unit.phone)
            self.email.setText(unit.email)
            self.note.setPlainText(unit.note)
        self.saved_id: int | None = unit.id if unit else None

    def save(self, create_unit: bool) -> None:
        raw_aliases = self.aliases.text().replace("，", "、").replace(",", "、").replace("；", "、")
        data = UnitInput(
            name=self.name.text(),
            aliases=[a for a in raw_aliases.split("、") if a.strip()],
            region=self.region.text(),
            kind=self.kind.value(),
            contact=self.contact.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            note=self.note.toPlainText(),
        )
        if self._unit:
            self._registry.units.update(self._unit.id, data)
        else:
            self.saved_id = self._registry.units.create(data)
