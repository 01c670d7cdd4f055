"""Add/edit a government website (政府网站)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.services.dto import WebsiteInput, WebsiteRow
from app.services.registry import Registry
from app.vocab import WebsiteKind
from ui.enum_combo import EnumCombo
from ui.form_dialog import FormDialog
from ui.registry.unit_picker import UnitPicker
from ui.widgets import DateField


class WebsiteDialog(FormDialog):
    def __init__(
        self, parent: QWidget | None, registry: Registry, site: WebsiteRow | None = None
    ) -> None:
        super().__init__(parent, "编辑政府网站" if site else "新增政府网站")
        self._registry, self._site = registry, site
        self.name = self.add_field("name", "网站名称", QLineEdit(), required=True)
        self.unit = self.add_field(
            "unit_name", "主办单位", UnitPicker(registry.units.names()), required=True
        )
        self.url = self.add_field("url", "网址", QLineEdit())
        self.url.setPlaceholderText("如 https://www.example.gov.cn（网址与标识码至少填一项）")
        self.site_code = self.add_field("site_code", "网站标识码", QLineEdit())
        self.site_code.setPlaceholderText("10 位，如 4107000001")
        self.kind = self.add_field("kind", "网站类型", EnumCombo(WebsiteKind))
        self.icp = self.add_field("icp", "ICP备案号", QLineEdit())
        self.opened_on = self.add_field("opened_on", "开设日期", DateField(label="开设日期"))
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setFixedHeight(60)
        self.kind.set_value(WebsiteKind.DEPARTMENT)
        if site:
            self.name.setText(site.name)
            self.unit.set_unit_name(site.unit_name)
            self.url.setText(site.url)
            self.site_code.setText(site.site_code)
            self.kind.set_value(site.kind)
            self.icp.setText(site.icp)
            self.opened_on.set_date(site.opened_on)
            self.note.setPlainText(site.note)
            status = f"{site.status.label}" + (
                f"（{site.closed_on.isoformat()}）" if site.closed_on else ""
            )
            self.form.addRow("当前状态：", QLabel(status + "　关停/恢复请用列表上方的按钮"))
        self.saved_id: int | None = site.id if site else None

    def save(self, create_unit: bool) -> None:
        data = WebsiteInput(
            name=self.name.text(),
            unit_name=self.unit.unit_name(),
            url=self.url.text(),
            site_code=self.site_code.text(),
            kind=self.kind.value(),
            icp=self.icp.text(),
            opened_on=self.opened_on.date_value("opened_on"),
            note=self.note.toPlainText(),
        )
        if self._site:
            self._registry.websites.update(self._site.id, data, create_unit=create_unit)
        else:
            self.saved_id = self._registry.websites.create(data, create_unit=create_unit)
