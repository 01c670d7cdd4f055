"""Screenshots of the 总览 tab (empty database; demo data with three rounds), its charts as
PNG at 2× and 1.5×, and the year summary PDF (written to the temporary folder).

python docs/make_overview_screenshots.py [OUT_DIR]

The rounds are the last three quarters before today, scored with a fixed random seed: a few
sites and accounts fail, most units report in time, some late, a few not yet.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def _quarters(today: date) -> list[tuple[str, date, date]]:
    """The quarter before last, the last quarter and the current one."""
    result = []
    year, quarter = today.year, (today.month - 1) // 3
    for back in (2, 1, 0):
        q, y = quarter - back, year
        if q < 0:
            q, y = q + 4, y - 1
        start = date(y, 3 * q + 1, 1)
        end = (date(y + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1)) - timedelta(days=5)
        result.append((f"{y}年第{'一二三四'[q]}季度", start, end))
    return result


def build_demo_rounds(registry, today: date) -> None:  # noqa: ANN001
    """Three rounds over the demo registry: two complete, the current one half done."""
    from app.domain.scoring import Finding
    from app.services.rectification import ItemInput
    from app.services.rounds import RoundInput
    from app.vocab import RoundKind, TargetType

    rng = random.Random(20231)
    quarters = _quarters(today)
    site_set = registry.indicators.default_id(TargetType.WEBSITE)
    account_set = registry.indicators.default_id(TargetType.ACCOUNT)
    for n, (name, start, end) in enumerate(quarters):
        current = n == len(quarters) - 1
        inspected = min(end + timedelta(days=3), today - timedelta(days=2))
        deadline = None if current else inspected + timedelta(days=21 if n == 0 else 30)
        round_id = registry.rounds.create(
            RoundInput(
                name, RoundKind.QUARTERLY, start, end, site_set, account_set,
                inspection_date=inspected, report_deadline=deadline,
            )
        )  # fmt: skip
        targets = registry.inspection.targets(round_id)
        if current:
            targets = targets[: len(targets) // 2]
        site_rules = registry.indicators.rules(site_set)
        account_rules = registry.indicators.rules(account_set)
        passing = []
        for t in targets:
            is_site = t.kind is TargetType.WEBSITE
            rules = site_rules if is_site else account_rules
            vetoes = [i for i in rules.indicators if i.part == "veto"][1:6]
            deductions = [i for i in rules.indicators if i.part == "deduction" and i.points_per]
            roll = rng.random()
            if roll < (0.10 if is_site else 0.08) + 0.04 * (n == 0):
                findings = [Finding(rng.choice(vetoes).code)]
            elif is_site and roll < 0.45:
                findings = [Finding(i.code) for i in rng.sample(deductions[:8], rng.randint(1, 2))]
            else:
                passing.append(t.id)
                continue
            registry.inspection.save(t.id, findings)
        registry.inspection.mark_passed(passing)
        if current:
            continue
        for item in registry.rectification.list(today):
            if item.round_id != round_id or item.report_received_on:
                continue
            luck = rng.random()
            if luck < 0.6:
                registry.rectification.record_report(item.id, item.deadline - timedelta(days=3))
            elif luck < 0.8:
                registry.rectification.record_report(item.id, item.deadline + timedelta(days=6))
    account = registry.accounts.list()[0]
    registry.rectification.create(
        ItemInput(
            [account.unit_name], "上级抽查：账号简介未标注主办单位", today - timedelta(days=8),
            deadline=today + timedelta(days=2), account_id=account.id,
        )
    )  # fmt: skip


def main(out: Path = OUT) -> None:
    QStandardPaths.setTestModeEnabled(True)  # leave the real settings alone
    from app.database import open_database
    from app.io.year_report import write_year_pdf
    from app.services.registry import Registry
    from ui.application import create_application
    from ui.main_window import MainWindow

    app = create_application([])
    QCoreApplication.setApplicationName("网检通-screenshots")
    out.mkdir(parents=True, exist_ok=True)
    today = date.today()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.sqlite3")
        registry = Registry(db, user="文员")
        window = MainWindow(registry)
        window.resize(1280, 760)
        window.show()
        app.processEvents()
        window.grab().save(str(out / "overview-empty.png"))
        window.registry_tab.load_demo()
        window.overview_tab.refresh()
        app.processEvents()
        window.grab().save(str(out / "overview-no-round.png"))
        build_demo_rounds(registry, today)
        tab = window.overview_tab
        tab.refresh()
        app.processEvents()
        window.grab().save(str(out / "overview-today.png"))
        tab.sections.setCurrentWidget(tab.trends_page)
        app.processEvents()
        window.grab().save(str(out / "overview-trends.png"))
        tab.trends_page.rates_style.setCurrentIndex(1)
        tab.trends_page.rates.chart.save_png(out / "overview-chart-line@2x.png", 2.0)
        tab.trends_page.units.chart.save_png(out / "overview-chart-units@1.5x.png", 1.5)
        tab.sections.setCurrentWidget(tab.year_page)
        app.processEvents()
        window.grab().save(str(out / "overview-year.png"))
        summary = registry.overview.year_summary(today.year, today)
        pdf_path = Path(tempfile.gettempdir()) / "年度汇总.pdf"
        pdf = write_year_pdf(summary, pdf_path, "某某县人民政府办公室", today)
        window.close()
        db.close()
    print(f"screenshots written to {out}; year summary PDF: {pdf}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
