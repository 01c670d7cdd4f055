"""合并单位: fold one unit into another (e.g. 县市监局 into 县市场监管局)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.errors import ValidationError
from app.services.dto import UnitRow
from app.services.registry import Registry
from ui.form_dialog import FormDialog
from ui.prompts import confirm
from ui.registry.unit_picker import UnitPicker


class MergeUnitsDialog(FormDialog):
    def __init__(self, parent: QWidget | None, registry: Registry, absorb: UnitRow) -> None:
        super().__init__(parent, "合并单位")
        self._registry, self._absorb = registry, absorb
        names = [u.name for u in registry.units.list() if u.id != absorb.id]
        self.form.addRow(
            "被合并单位：",
            QLabel(
                f"{absorb.name}（网站 {absorb.website_count} 个，新媒体 {absorb.account_count} 个）"
            ),
        )
        self.keep = self.add_field("keep", "并入单位", UnitPicker(names), required=True)
        note = QLabel("合并后，被合并单位的网站、新媒体和别名都归入“并入单位”，其名称保留为别名。")
        note.setWordWrap(True)
        self.form.addRow("", note)
        self.buttons.button(self.buttons.StandardButton.Save).setText("合并")

    def save(self, create_unit: bool) -> None:
        keep_id = self._registry.units.find_id(self.keep.unit_name())
        if keep_id is None:
            raise ValidationError("请选择台账中已有的单位作为“并入单位”。", "keep")
        keep = self._registry.units.get(keep_id)
        if keep.id == self._absorb.id:
            raise ValidationError("不能把单位合并到它自己。", "keep")
        if confirm(
            self,
            "确认合并",
            f"把「{self._absorb.name}」合并到「{keep.name}」？此操作不可撤销。",
            "合并",
        ):
            self._registry.units.merge(keep.id, self._absorb.id)
        else:
            raise ValidationError("已取消合并。", None)
