"""Combo box over a LabeledEnum (Chinese labels shown, enum members returned)."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtWidgets import QComboBox, QWidget

from app.vocab import LabeledEnum

E = TypeVar("E", bound=LabeledEnum)


class EnumCombo(QComboBox, Generic[E]):
    def __init__(
        self, enum_cls: type[E], parent: QWidget | None = None, members: list[E] | None = None
    ) -> None:
        super().__init__(parent)
        for member in members or list(enum_cls):
            self.addItem(member.label, member.value)
        self._enum_cls = enum_cls

    def value(self) -> E:
        return self._enum_cls(self.currentData())

    def set_value(self, member: E) -> None:
        index = self.findData(member.value)
        if index >= 0:
            self.setCurrentIndex(index)
