"""Screenshots of the 整改 tab and its dialogs over the demo registry (offscreen).

python docs/make_rectification_screenshots.py

Dates are relative to today, so overdue (red), due-soon (amber) and closed (grey) rows all
appear: a quarter's round found problems 40 days ago with a deadline 10 days ago; a few units
reported, one item was re-checked and closed; two items came from 上级抽查.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def build(registry, today: date) -> dict[str, int]:  # noqa: ANN001
    """Findings of one round, manual items and steps; returns ids of notable items."""
    from app.domain.scoring import Finding
    from app.services.rectification import ItemInput
    from app.services.rounds import RoundInput
    from app.vocab import RectificationSource, RoundKind, TargetType

    def make_round(found: date, deadline: date) -> int:
        end = found - timedelta(days=5)
        return registry.rounds.create(
            RoundInput(
                f"{end.year}年第{'一二三四'[(end.month - 1) // 3]}季度",
                RoundKind.QUARTERLY,
                end - timedelta(days=80),
                end,
                registry.indicators.default_id(TargetType.WEBSITE),
                registry.indicators.default_id(TargetType.ACCOUNT),
                inspection_date=found,
                report_deadline=deadline,
            )
        )

    earlier = make_round(today - timedelta(days=130), today - timedelta(days=100))
    round_id = make_round(today - timedelta(days=40), today - timedelta(days=10))
    targets = registry.inspection.targets(round_id)
    sites = [t for t in targets if t.kind is TargetType.WEBSITE][:4]
    accounts = [t for t in targets if t.kind is TargetType.ACCOUNT][:3]
    site_rules = registry.inspection.checklist(sites[0].id).rules
    account_rules = registry.inspection.checklist(accounts[0].id).rules
    site_veto = [i for i in site_rules.indicators if i.part == "veto"]
    deduction = next(i for i in site_rules.indicators if i.part == "deduction" and i.points_per)
    account_veto = [i for i in account_rules.indicators if i.part == "veto"]
    first = next(t for t in registry.inspection.targets(earlier) if t.name == sites[0].name)
    registry.inspection.save(first.id, [Finding(site_veto[2].code)])  # found again below
    registry.inspection.save(sites[0].id, [Finding(site_veto[2].code, 1, None, "首页“咨询”栏目")])
    registry.inspection.save(sites[1].id, [Finding(deduction.code, 2)])
    registry.inspection.save(sites[2].id, [Finding(site_veto[3].code)])
    registry.inspection.save(sites[3].id, [Finding(deduction.code, 1)])
    for account, veto in zip(accounts, account_veto, strict=False):
        registry.inspection.save(account.id, [Finding(veto.code)])
    registry.inspection.mark_passed([t.id for t in targets if t.state.value == "pending"])

    svc = registry.rectification
    rows = svc.list(today)
    by_target = {r.target_name: r.id for r in rows}
    reported = by_target[sites[1].name]
    svc.record_report(reported, today - timedelta(days=12), "已补充更新栏目内容")
    closed = by_target[sites[3].name]
    svc.record_report(closed, today - timedelta(days=20), "已整改")
    svc.record_recheck(closed, today - timedelta(days=15), True, "复查：栏目已按期更新")
    svc.close(closed, today - timedelta(days=14), "整改完成")
    failed = by_target[accounts[0].name]
    svc.record_report(failed, today - timedelta(days=18), "已恢复更新")
    svc.record_recheck(failed, today - timedelta(days=8), False, "复查：近两周仍未更新")
    units = registry.units.names()
    svc.create(
        ItemInput(
            [units[0], units[1]],
            "政府信息公开年报未按时发布",
            found_on=today - timedelta(days=12),
            deadline=today + timedelta(days=2),
            source=RectificationSource.PROVINCE,
            source_note="省政府办公厅季度抽查通报",
            indicator_name="信息公开",
        )
    )
    svc.create(
        ItemInput(
            [units[2]],
            "政策解读栏目长期未更新",
            found_on=today - timedelta(days=3),
            deadline_days=10,
            working_days=True,
            source=RectificationSource.CITY,
            source_note="市政府办公室抽查",
        )
    )
    return {"closed": closed, "reported": reported, "round": round_id, "repeat": sites[0].id}


def main() -> None:
    QStandardPaths.setTestModeEnabled(True)  # leave the real settings alone
    from app.database import open_database
    from app.services.registry import Registry
    from ui.application import create_application
    from ui.main_window import MainWindow
    from ui.rectification.detail_dialog import ItemDetailDialog
    from ui.rectification.item_dialog import ItemDialog
    from ui.rectification.reminder_dialog import ReminderDialog
    from ui.rectification.unit_history_dialog import UnitHistoryDialog

    app = create_application([])
    QCoreApplication.setApplicationName("网检通-screenshots")
    OUT.mkdir(parents=True, exist_ok=True)
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.sqlite3")
        registry = Registry(db, user="文员")
        registry.demo.load()
        ids = build(registry, today)
        window = MainWindow(registry)
        window.resize(1280, 760)
        window.show()
        tab = window.rectification_tab
        window.tabs.setCurrentWidget(tab)
        tab.select_id(ids["reported"])
        app.processEvents()
        window.grab().save(str(OUT / "rectification-tab.png"))
        inspection = window.inspection_tab
        window.tabs.setCurrentWidget(inspection)
        inspection.reload(select_round=ids["round"])
        inspection.select_target(ids["repeat"])
        app.processEvents()
        window.grab().save(str(OUT / "rectification-checklist.png"))

        def shoot(dialog, name: str) -> None:  # noqa: ANN001
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(OUT / f"rectification-{name}.png"))
            dialog.close()

        dialog = ItemDialog(window, registry, today=today)
        for unit in registry.units.names()[3:5]:
            dialog.units.add_name(unit)
        dialog.problem.setPlainText("互动交流栏目留言超过10个工作日未回复")
        dialog.source.setCurrentIndex(1)
        dialog.source_note.setText("省政府办公厅季度抽查通报")
        dialog.found_on.set_date(date(today.year, 12, 20))  # the term runs into next year
        shoot(dialog, "item-dialog")
        shoot(
            ItemDetailDialog(window, registry.rectification.get(ids["closed"], today), today),
            "detail",
        )
        unit = registry.inspection.target(ids["repeat"]).unit_name
        shoot(UnitHistoryDialog(window, registry, unit, today), "unit")
        shoot(ReminderDialog(window, registry.rectification.reminders(today), today), "reminders")
        window.close()
        db.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
