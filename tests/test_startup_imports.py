"""The window's start-up imports no library that is only needed to read or write files.

openpyxl, python-docx, reportlab and Alembic each cost a noticeable part of the start (see
docs/performance.md); they are imported when a sheet, a .docx, a PDF or a schema upgrade is
needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli import ROOT

LATE = {"openpyxl", "docx", "alembic", "reportlab"}

CREATE = """
import sys
from app.database import open_database
open_database(sys.argv[1]).close()
"""

START = """
import sys
from PySide6.QtCore import QStandardPaths
QStandardPaths.setTestModeEnabled(True)
import main, ui.application, ui.main_window
from app.database import open_database
from app.services.registry import Registry
app = ui.application.create_application([])
db = open_database(sys.argv[1])
window = ui.main_window.MainWindow(Registry(db))
window.show()
app.processEvents()
print(sorted(m for m in sys.modules if m.split(".")[0] in set(sys.argv[2:])))
db.close()
"""


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_starting_the_window_does_not_import_file_libraries(tmp_path: Path):
    db = str(tmp_path / "台账.sqlite3")
    created = _python(CREATE, db)  # a first start builds the schema (with Alembic) …
    assert created.returncode == 0, created.stderr
    started = _python(START, db, *sorted(LATE))  # … the usual start opens a current file
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().splitlines()[-1] == "[]"
