"""Ask where to save, write the workbook off the GUI thread, say where it went."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.prompts import show_error, show_info
from ui.workers import run_with_progress


def export_xlsx(
    parent: QWidget, title: str, default_name: str, write: Callable[[Path], Path]
) -> Path | None:
    """Returns the file written, or None (cancelled or failed; the clerk was told why)."""
    path = ask_save_path(parent, title, default_name, XLSX_FILTER, "export")
    if path is None:
        return None
    outcome = run_with_progress(parent, "正在导出…", lambda _progress: write(path))
    if outcome.error:
        show_error(parent, outcome.error)
        return None
    if not outcome.ok:
        return None
    show_info(parent, f"已导出到：\n{outcome.result}", "导出完成")
    return outcome.result
