"""Message boxes in Chinese: the only place the UI asks or tells the clerk in a modal box."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    return box


def confirm(parent: QWidget | None, title: str, text: str, ok_text: str = "确定") -> bool:
    """Ask a yes/no question; the safe answer (取消) is the default."""
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def show_error(parent: QWidget | None, text: str, title: str = "无法完成操作") -> None:
    box = _box(parent, QMessageBox.Icon.Warning, title, text)
    box.addButton("知道了", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_info(parent: QWidget | None, text: str, title: str = "提示") -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
