"""Add/edit a government new-media account (政务新媒体)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.services.dto import AccountInput, AccountRow
from app.services.registry import Registry
from app.vocab import AccountStatus, FilingStatus, Platform
from ui.enum_combo import EnumCombo
from ui.form_dialog import FormDialog
from ui.registry.unit_picker import UnitPicker
from ui.widgets import DateField, RegionField


class AccountDialog(FormDialog):
    def __init__(
        self, parent: QWidget | None, registry: Registry, account: AccountRow | None = None
    ) -> None:
        super().__init__(parent, "编辑政务新媒体" if account else "新增政务新媒体")
        self._registry, self._account = registry, account
        self._unit_regions = {u.name: u.region for u in registry.units.list()}
        self.platform = self.add_field("platform", "平台", EnumCombo(Platform), required=True)
        self.name = self.add_field("name", "账号名称", QLineEdit(), required=True)
        self.account_id = self.add_field("account_id", "账号ID", QLineEdit())
        self.account_id.setPlaceholderText("微信号、微博ID、抖音号等，可留空")
        self.unit = self.add_field(
            "unit_name", "主办单位", UnitPicker(registry.units.names()), required=True
        )
        self.region = self.add_field("region", "所属县区", RegionField(registry.units.regions()))
        self.region.lineEdit().setPlaceholderText("留空则取主办单位的县区")
        self.filing = self.add_field("filing_status", "备案状态", EnumCombo(FilingStatus))
        self.opened_on = self.add_field("opened_on", "开设日期", DateField(label="开设日期"))
        self.maintainer = self.add_field("maintainer", "管理员", QLineEdit())
        self.maintainer_phone = self.add_field("maintainer_phone", "管理员电话", QLineEdit())
        flags = QWidget()
        row = QHBoxLayout(flags)
        row.setContentsMargins(0, 0, 0, 0)
        self.changing = QCheckBox("变更中（如更名、换主体，尚未报备完成）")
        self.zombie = QCheckBox("僵尸")
        self.empty_shell = QCheckBox("空壳")
        for box in (self.changing, self.zombie, self.empty_shell):
            row.addWidget(box)
        row.addStretch()
        self.add_field("flags", "标记", flags)
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setFixedHeight(60)
        self.unit.currentTextChanged.connect(self._suggest_region)
        if account:
            self.platform.set_value(account.platform)
            self.name.setText(account.name)
            self.account_id.setText(account.account_id)
            self.unit.set_unit_name(account.unit_name)
            self.region.setText(account.region)
            self.filing.set_value(account.filing_status)
            self.opened_on.set_date(account.opened_on)
            self.maintainer.setText(account.maintainer)
            self.maintainer_phone.setText(account.maintainer_phone)
            self.changing.setChecked(account.status is AccountStatus.CHANGED)
            self.changing.setEnabled(account.status is not AccountStatus.CLOSED)
            self.zombie.setChecked(account.is_zombie)
            self.empty_shell.setChecked(account.is_empty_shell)
            self.note.setPlainText(account.note)
            status = account.status.label + (
                f"（{account.closed_on.isoformat()}）" if account.closed_on else ""
            )
            self.form.addRow("当前状态：", QLabel(status + "　关停/恢复请用列表上方的按钮"))
        self.saved_id: int | None = account.id if account else None

    def _suggest_region(self, unit_name: str) -> None:
        region = self._unit_regions.get(unit_name.strip())
        if region and not self.region.text().strip():
            self.region.setText(region)

    def save(self, create_unit: bool) -> None:
        data = AccountInput(
            platform=self.platform.value(),
            name=self.name.text(),
            unit_name=self.unit.unit_name(),
            account_id=self.account_id.text(),
            region=self.region.text(),
            filing_status=self.filing.value(),
            changing=self.changing.isChecked(),
            opened_on=self.opened_on.date_value("opened_on"),
            maintainer=self.maintainer.text(),
            maintainer_phone=self.maintainer_phone.text(),
            is_zombie=self.zombie.isChecked(),
            is_empty_shell=self.empty_shell.isChecked(),
            note=self.note.toPlainText(),
        )
        if self._account:
            self._registry.accounts.update(self._account.id, data, create_unit=create_unit)
        else:
            self.saved_id = self._registry.accounts.create(data, create_unit=create_unit)
