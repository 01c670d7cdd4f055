"""Regenerate the 修改记录 screenshot from the demo data (offscreen, no screen needed).

python docs/make_audit_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    QStandardPaths.setTestModeEnabled(True)  # leave the real settings alone
    from app.database import open_database
    from app.services.dto import AccountInput
    from app.services.registry import Registry
    from app.vocab import FilingStatus
    from ui.application import create_application, install_fonts
    from ui.audit_dialog import AuditDialog

    app = create_application([])
    install_fonts(app)
    QCoreApplication.setApplicationName("网检通-screenshots")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "wangjiantong.sqlite3")
        registry = Registry(db, user="张敏")
        registry.demo.load()
        account = next(a for a in registry.accounts.list() if a.name == "通城平安")
        data = AccountInput(
            account.platform,
            account.name,
            account.unit_name,
            account.account_id,
            account.region,
            account.filing_status,
        )
        registry.accounts.update(
            account.id,
            replace(
                data,
                filing_status=FilingStatus.FILED,
                maintainer="王磊",
                maintainer_phone="0715-4321000",
            ),
        )
        other = Registry(db, user="李华")
        other.accounts.close(account.id, date.today(), "通报后责令关停")
        dialog = AuditDialog(None, account.name, other.audit.for_record("account", account.id))
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "audit-dialog.png"))
        dialog.close()
        db.close()


if __name__ == "__main__":
    main()
