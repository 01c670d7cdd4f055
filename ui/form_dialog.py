"""Base for add/edit dialogs: a form, an error line, 保存/取消, and service errors shown inline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, UnitNotFoundError, ValidationError
from ui.prompts import confirm
from ui.widgets import ErrorLine


class FormDialog(QDialog):
    """Subclasses add rows with :meth:`add_field` and implement :meth:`save`.

    ``save(create_unit)`` calls a service. A :class:`ValidationError` keeps the dialog open
    with the message under the form and the named field focused; an unknown unit asks
    whether to create it and retries.
    """

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error_line = ErrorLine(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_line)
        layout.addWidget(self.buttons)

    def add_field(self, key: str, label: str, widget: QWidget, required: bool = False) -> QWidget:
        """Add a labelled row; ``key`` is the field name services use in ValidationError."""
        text = f"{label}{' *' if required else ''}："
        self.form.addRow(text, widget)
        return self.register_field(key, widget)

    def register_field(self, key: str, widget: QWidget) -> QWidget:
        """Name a widget errors may point at (also one part of a composite row)."""
        widget.setObjectName(key)
        self._fields[key] = widget
        for signal in (
            "textEdited",
            "currentTextChanged",
            "textChanged",
            "valueChanged",
            "toggled",
        ):
            if hasattr(widget, signal):  # an edit makes the last error message stale
                getattr(widget, signal).connect(lambda *_args: self.error_line.show_message(""))
                break
        return widget

    def field(self, key: str) -> QWidget:
        return self._fields[key]

    def save(self, create_unit: bool) -> None:
        raise NotImplementedError

    def _on_save(self) -> None:
        create_unit = False
        while True:
            try:
                self.save(create_unit)
            except UnitNotFoundError as exc:
                if create_unit or not confirm(
                    self,
                    "新建单位",
                    f"{exc.message}\n\n是否把「{exc.name}」作为新单位加入台账？",
                    "新建单位",
                ):
                    self._show_error(
                        ValidationError(
                            f"{exc.message}请从列表中选择已有单位，或确认新建。", "unit_name"
                        )
                    )
                    return
                create_unit = True
                continue
            except AppError as exc:
                self._show_error(exc)
                return
            self.accept()
            return

    def _show_error(self, exc: AppError) -> None:
        self.error_line.show_message(exc.message)
        field = getattr(exc, "field", None)
        widget = self._fields.get(field) if field else None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
