"""Where resources and user data live, from source and in a PyInstaller build alike."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "网检通"
ORG_NAME = "wangjiantong"
DB_FILENAME = "wangjiantong.sqlite3"


def project_root() -> Path:
    """Folder holding ``resources/`` (``sys._MEIPASS`` when frozen)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``."""
    return project_root().joinpath("resources", *parts)


def default_data_dir() -> Path:
    """The user's data folder (``%APPDATA%\\wangjiantong\\网检通`` on Windows).

    Uses ``QStandardPaths.AppDataLocation`` from QtCore (no widgets involved), so the GUI
    and the command line agree on the same file.
    """
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location)


def default_db_path() -> Path:
    return default_data_dir() / DB_FILENAME
