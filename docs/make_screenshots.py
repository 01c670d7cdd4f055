"""Regenerate the README screenshots from the demo data (offscreen, no screen needed).

python docs/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    QStandardPaths.setTestModeEnabled(True)  # leave the real settings alone
    from app.database import open_database
    from app.services.registry import Registry
    from ui.application import create_application
    from ui.main_window import MainWindow

    app = create_application([])
    QCoreApplication.setApplicationName("网检通-screenshots")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.sqlite3")
        window = MainWindow(Registry(db, user="文员"))
        window.resize(1280, 760)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "registry-empty.png"))
        window.registry_tab.load_demo()
        tab = window.registry_tab
        for name, page in (
            ("registry-websites", tab.websites),
            ("registry-accounts", tab.accounts),
        ):
            tab.lists.setCurrentWidget(page)
            app.processEvents()
            window.grab().save(str(OUT / f"{name}.png"))
        tab.lists.setCurrentWidget(tab.accounts)
        tab.accounts.search.setText("通城")
        tab.accounts.findChild(type(tab.accounts.region_filter), "filter_filing").setCurrentText(
            "未及时备案"
        )
        app.processEvents()
        app.processEvents()
        window.grab().save(str(OUT / "registry-search.png"))
        window.close()
        db.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
