"""File dialogs that remember the last folder used (per purpose) between sessions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _last_dir(purpose: str) -> str:
    fallback = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(QSettings().value(f"dirs/{purpose}", fallback))


def _remember(purpose: str, path: str) -> None:
    QSettings().setValue(f"dirs/{purpose}", str(Path(path).parent))


def ask_save_path(
    parent: QWidget | None, title: str, default_name: str, name_filter: str, purpose: str
) -> Path | None:
    start = str(Path(_last_dir(purpose)) / default_name)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, name_filter)
    if not path:
        return None
    _remember(purpose, path)
    return Path(path)


def ask_open_path(
    parent: QWidget | None, title: str, name_filter: str, purpose: str
) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, _last_dir(purpose), name_filter)
    if not path:
        return None
    _remember(purpose, path)
    return Path(path)
