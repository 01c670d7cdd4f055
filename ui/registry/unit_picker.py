"""Editable combo box for a host unit, completing on any part of the name or alias."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


class UnitPicker(QComboBox):
    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(names)
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText("输入或选择单位名称")
        completer = QCompleter(names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def unit_name(self) -> str:
        return self.currentText().strip()

    def set_unit_name(self, name: str) -> None:
        self.setCurrentText(name)
