"""Regenerate the 备份与恢复 screenshot from the demo data (offscreen, no screen needed).

python docs/make_data_safety_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

# (days ago, hh:mm, reason): a fortnight of a clerk's backups
HISTORY = [
    (0, "08:41", "daily"),
    (0, "09:15", "import"),
    (0, "10:02", "manual"),
    (1, "08:37", "daily"),
    (1, "14:20", "import"),
    (2, "08:45", "daily"),
    (6, "08:30", "daily"),
    (6, "08:30", "upgrade"),
    (9, "16:05", "package"),
]


def main() -> None:
    QStandardPaths.setTestModeEnabled(True)  # leave the real settings alone
    from app.database import open_database
    from app.services.backup import BackupService
    from app.services.registry import Registry
    from ui.application import create_application
    from ui.backup_dialog import BackupDialog

    app = create_application([])
    QCoreApplication.setApplicationName("网检通-screenshots")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "wangjiantong.sqlite3")
        Registry(db, user="文员").demo.load()
        service = BackupService(db.path)
        today = datetime.now().replace(second=0, microsecond=0)
        for n, (days, hhmm, reason) in enumerate(HISTORY):
            made = service.create(reason)
            hour, minute = map(int, hhmm.split(":"))
            when = (today - timedelta(days=days)).replace(hour=hour, minute=minute, second=n)
            made.path.rename(
                made.path.with_name(f"wangjiantong_{when:%Y%m%d-%H%M%S}_{reason}.sqlite3")
            )
        dialog = BackupDialog(None, db.path)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "backup-dialog.png"))
        dialog.close()
        db.close()


if __name__ == "__main__":
    main()
