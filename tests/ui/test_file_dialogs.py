"""File dialogs start in the folder last used for the same purpose, across sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from ui import file_dialogs
from ui.file_dialogs import XLSX_FILTER, ask_open_path, ask_save_path


class FakeDialog:
    """Stands in for QFileDialog: records where each dialog started and answers ``pick``."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.pick = ""

    def getSaveFileName(self, _parent, _title, start, _filter):  # noqa: ANN001, N802, ANN201
        self.started.append(start)
        return self.pick, _filter

    def getOpenFileName(self, _parent, _title, start, _filter):  # noqa: ANN001, N802, ANN201
        self.started.append(start)
        return self.pick, _filter


@pytest.fixture
def dialog(monkeypatch, qapp) -> FakeDialog:  # noqa: ANN001
    fake = FakeDialog()
    monkeypatch.setattr(file_dialogs, "QFileDialog", fake)
    return fake


def _documents() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


def test_save_dialog_remembers_the_folder_per_purpose(dialog, tmp_path):
    purpose = f"test-save-{tmp_path.name}"
    dialog.pick = str(tmp_path / "报表 文件夹" / "台账.xlsx")
    chosen = ask_save_path(None, "导出", "台账.xlsx", XLSX_FILTER, purpose)
    assert chosen == tmp_path / "报表 文件夹" / "台账.xlsx"
    assert Path(dialog.started[0]) == _documents() / "台账.xlsx"  # first time: 文档 folder

    dialog.pick = ""  # the clerk cancels: nothing returned, nothing forgotten
    assert ask_save_path(None, "导出", "结果.xlsx", XLSX_FILTER, purpose) is None
    assert Path(dialog.started[1]) == tmp_path / "报表 文件夹" / "结果.xlsx"

    dialog.pick = str(tmp_path / "x.xlsx")
    ask_save_path(None, "导出", "其他.xlsx", XLSX_FILTER, f"{purpose}-other")
    assert Path(dialog.started[2]) == _documents() / "其他.xlsx"  # another purpose, own memory


def test_open_dialog_remembers_the_folder_across_sessions(dialog, tmp_path):
    purpose = f"test-open-{tmp_path.name}"
    dialog.pick = str(tmp_path / "测试 文件夹" / "数据 2026" / "台账.xlsx")
    assert ask_open_path(None, "导入", XLSX_FILTER, purpose) == Path(dialog.pick)
    QSettings().sync()  # what the next start of the program reads
    assert Path(str(QSettings().value(f"dirs/{purpose}"))) == tmp_path / "测试 文件夹" / "数据 2026"
    dialog.pick = ""
    ask_open_path(None, "导入", XLSX_FILTER, purpose)
    assert Path(dialog.started[-1]) == tmp_path / "测试 文件夹" / "数据 2026"
