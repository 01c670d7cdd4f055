"""Test setup: offscreen Qt before any Qt import, isolated settings and data folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths  # noqa: E402

from app.database import Database, open_database  # noqa: E402
from app.services.registry import Registry  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _isolated_qt_paths(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never touch the developer's real settings or data folder."""
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("wangjiantong-tests")
    QCoreApplication.setApplicationName("网检通-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(tmp_path_factory.mktemp("settings")),
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.close()


@pytest.fixture
def registry(db: Database) -> Registry:
    return Registry(db, user="测试员")
