"""办公室信息 (office profile) and 文字模板 (notice templates) dialogs."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QWidget

from app.domain.notice_facts import NoticeTemplates
from app.services.registry import Registry
from ui.form_dialog import FormDialog

PLACEHOLDERS = "可用占位符：{round} 轮次，{area} 范围，{issuer} 发文机关，{deadline} 报送期限，{contact} 联系人，{phone} 电话，{email} 邮箱"


class OfficeProfileDialog(FormDialog):
    """The issuing office's details, used by every notice."""

    def __init__(self, parent: QWidget | None, registry: Registry) -> None:
        super().__init__(parent, "办公室信息")
        self.registry = registry
        p = registry.notices.profile()
        self.issuer = self._line("issuer", "发文机关", p.issuer, True, "如 某某县人民政府办公室")
        self.area = self._line("area", "范围称谓", p.area, True, "全市 / 全县 / 全区")
        self.recipients = self._line(
            "recipients", "主送", p.recipients, False, "如 各乡镇人民政府，县直有关单位："
        )
        self.contact = self._line("contact", "联系人", p.contact)
        self.phone = self._line("phone", "电话", p.phone)
        self.email = self._line("email", "邮箱", p.email)
        self.pattern = self._line(
            "doc_number_pattern",
            "文号格式",
            p.doc_number_pattern,
            False,
            "如 某政办〔{year}〕{n}号，留空则不印文号",
        )
        self.next_number = QSpinBox()
        self.next_number.setRange(1, 9999)
        self.next_number.setValue(p.next_number)
        self.add_field("next_number", "下一个序号", self.next_number)
        self.publicity = self._line("publicity", "公开属性", p.publicity, False, "（此件公开发布）")
        self._profile = p

    def _line(
        self, key: str, label: str, value: str, required: bool = False, hint: str = ""
    ) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setPlaceholderText(hint)
        self.add_field(key, label, edit, required)
        return edit

    def save(self, create_unit: bool) -> None:
        self.registry.notices.save_profile(
            replace(
                self._profile,
                issuer=self.issuer.text(),
                area=self.area.text(),
                recipients=self.recipients.text(),
                contact=self.contact.text(),
                phone=self.phone.text(),
                email=self.email.text(),
                doc_number_pattern=self.pattern.text(),
                next_number=self.next_number.value(),
                publicity=self.publicity.text(),
            )
        )


class TemplatesDialog(FormDialog):
    """The wording around the computed figures, saved for this office."""

    def __init__(self, parent: QWidget | None, registry: Registry) -> None:
        super().__init__(parent, "通报文字模板")
        self.resize(760, 620)
        self.registry = registry
        t = registry.notices.templates()
        self.title_edit = QLineEdit(t.title)
        self.add_field("title", "标题", self.title_edit, True)
        self.opening = self._text("opening", "开头段", t.opening, 80)
        self.requirements = self._text("requirements", "下一步工作要求", t.requirements, 200)
        self.closing = self._text("closing", "结尾（报送与联系人）", t.closing, 80)
        hint = QLabel(PLACEHOLDERS + "。每行一段；以「（一）…。」开头的行，小标题用楷体。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.form.addRow(hint)
        reset = QPushButton("恢复默认模板")
        reset.clicked.connect(self._reset)
        self.buttons.addButton(reset, self.buttons.ButtonRole.ResetRole)

    def _text(self, key: str, label: str, value: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setMinimumHeight(height)
        self.add_field(key, label, edit)
        return edit

    def _reset(self) -> None:
        t = self.registry.notices.reset_templates()
        self.title_edit.setText(t.title)
        self.opening.setPlainText(t.opening)
        self.requirements.setPlainText(t.requirements)
        self.closing.setPlainText(t.closing)

    def save(self, create_unit: bool) -> None:
        self.registry.notices.save_templates(
            NoticeTemplates(
                title=self.title_edit.text(),
                opening=self.opening.toPlainText(),
                requirements=self.requirements.toPlainText(),
                closing=self.closing.toPlainText(),
            )
        )
