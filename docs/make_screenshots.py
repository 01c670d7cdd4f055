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

from decimal import Decimal  # noqa: E402

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def _inspection(app, window) -> None:  # noqa: ANN001
    """A round over the demo data with the 新乡 local rules; 红旗区 scored as in the notice."""
    from datetime import date

    from app.domain.scoring import Finding
    from app.services.rounds import RoundInput
    from app.vocab import RoundKind, TargetType

    registry = window.registry
    local = next(s for s in registry.indicators.list(TargetType.WEBSITE) if "xinxiang" in s.code)
    round_id = registry.rounds.create(
        RoundInput(
            "2023年第一季度",
            RoundKind.QUARTERLY,
            date(2023, 1, 1),
            date(2023, 3, 25),
            local.id,
            registry.indicators.default_id(TargetType.ACCOUNT),
            inspection_date=date(2023, 2, 28),
        )
    )
    targets = registry.inspection.targets(round_id)
    accounts = [t.id for t in targets if t.kind is TargetType.ACCOUNT]
    registry.inspection.mark_passed(accounts[:-3])
    rules = registry.inspection.checklist(targets[0].id).rules
    advice = next(i for i in rules.indicators if i.short_name == "咨询建言功能不全")
    hongqi = next(t for t in targets if t.name.startswith("红旗区"))
    registry.inspection.save(hongqi.id, [Finding(advice.code, 1, advice.points_per or Decimal(13))])
    tab = window.inspection_tab
    window.tabs.setCurrentWidget(tab)
    tab.reload(select_round=round_id)
    tab.select_target(hongqi.id)
    app.processEvents()
    window.grab().save(str(OUT / "inspection.png"))


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
        window.tabs.setCurrentWidget(window.registry_tab)  # the 总览 opens first
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
        _inspection(app, window)
        window.close()
        db.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
