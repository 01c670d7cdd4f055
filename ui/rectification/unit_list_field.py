"""责任单位: one or more units, picked (with completion) and listed in order; the first leads."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QListWidget, QPushButton, QWidget

from ui.registry.unit_picker import UnitPicker


class UnitListField(QWidget):
    valueChanged = Signal()  # noqa: N815 (Qt naming: FormDialog clears errors on it)

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = UnitPicker(names)
        self.picker.setObjectName("unit_picker")
        self.picker.lineEdit().setPlaceholderText("输入或选择单位，回车加入；可加入多个")
        self.picker.lineEdit().installEventFilter(self)
        self.picker.activated.connect(lambda _i: self.add_typed())
        self.add_button = QPushButton("加入")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_typed)
        self.list = QListWidget()
        self.list.setObjectName("unit_list")
        self.list.setFixedHeight(64)
        self.remove_button = QPushButton("移除所选")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.picker, 0, 0)
        grid.addWidget(self.add_button, 0, 1)
        grid.addWidget(self.list, 1, 0)
        grid.addWidget(self.remove_button, 1, 1)
        self.setFocusProxy(self.picker)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the picker adds the unit (instead of saving the whole dialog)."""
        if event.type() == QEvent.Type.KeyPress and event.key() in (  # type: ignore[attr-defined]
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            popup = self.picker.completer().popup()
            if popup.isVisible():  # a completion picked with the arrow keys is what is meant
                if popup.currentIndex().isValid():
                    self.picker.setEditText(popup.currentIndex().data())
                popup.hide()
            self.add_typed()
            return True
        return super().eventFilter(watched, event)

    def names(self) -> list[str]:
        """The listed units, plus one typed but not yet added (nothing typed is lost)."""
        listed = [self.list.item(i).text() for i in range(self.list.count())]
        typed = self.picker.unit_name()
        return listed + [typed] if typed and typed not in listed else listed

    def set_names(self, names: list[str]) -> None:
        self.list.clear()
        self.list.addItems(names)
        self.valueChanged.emit()

    def add_name(self, name: str) -> None:
        name = name.strip()
        listed = [self.list.item(i).text() for i in range(self.list.count())]
        if name and name not in listed:
            self.list.addItem(name)
            self.valueChanged.emit()

    def add_typed(self) -> None:
        self.add_name(self.picker.unit_name())
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.valueChanged.emit()
