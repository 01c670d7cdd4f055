"""Regenerate the README screenshots from the demo data (offscreen, no screen needed).

python docs/make_screenshots.py

Writes, into docs/screenshots/: the 台账 (empty, websites, accounts, a search), the 检查
checklist (红旗区 scored as in 新乡's 2023 Q1 notice), then — after the round is completed,
its 通报 issued and a few rectification items taken through their steps (reported, re-checked
passed or failed, closed, one added by hand, the rest overdue) — one picture of every tab the
main window has (``tab-<name>.png``, whatever tabs exist when it runs) and two pages of the
issued notice rendered with pdftoppm (``notice-demo-page1.png``, ``notice-demo-attachment.png``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from decimal import Decimal  # noqa: E402

from PySide6.QtCore import QCoreApplication, QStandardPaths  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def _inspection(app, window) -> int:  # noqa: ANN001
    """A round over the demo data with the 新乡 local rules; 红旗区 scored as in the notice."""
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
    return round_id


ISSUED_ON = date(2023, 4, 7)


def _complete_and_issue(registry, round_id: int, folder: Path) -> Path:  # noqa: ANN001
    """Finish the round (two more sites and the last accounts fail), issue its 通报; the PDF."""
    from app.domain.notice_facts import OfficeProfile
    from app.domain.scoring import Finding
    from app.vocab import TargetState, TargetType

    pending = [t for t in registry.inspection.targets(round_id) if t.state is TargetState.PENDING]
    failing = [t for t in pending if t.kind is TargetType.WEBSITE][-2:]
    failing += [t for t in pending if t.kind is TargetType.ACCOUNT]
    for target in failing:
        rules = registry.inspection.checklist(target.id).rules
        veto = [i for i in rules.indicators if i.part == "veto"][target.id % 3]
        registry.inspection.save(target.id, [Finding(veto.code)])
    registry.inspection.mark_passed([t.id for t in pending if t not in failing])
    registry.notices.save_profile(
        OfficeProfile(
            issuer="新乡市人民政府办公室",
            area="全市",
            recipients="各县（市、区）人民政府，市人民政府各部门：",
            contact="张三",
            phone="0373-0000000",
            doc_number_pattern="新政办〔{year}〕{n}号",
            next_number=12,
        )
    )
    draft, _facts = registry.notices.draft(round_id, today=ISSUED_ON, regenerate=True)
    return registry.notices.issue(round_id, draft, folder / "通报.pdf").path


def _rectification_steps(registry) -> None:  # noqa: ANN001
    """Items in every state: reported, re-checked (passed / failed), closed, one added by hand."""
    from app.services.rectification import ItemInput

    service = registry.rectification
    items = sorted(service.list(), key=lambda item: item.id)
    reported_on = ISSUED_ON + timedelta(days=18)
    for item in items[:4]:
        service.record_report(item.id, reported_on, "已按要求整改，附整改报告。")
    service.record_recheck(items[1].id, reported_on + timedelta(days=5), True, "复查已整改")
    service.record_recheck(items[2].id, reported_on + timedelta(days=5), False, "栏目仍为空白")
    service.record_recheck(items[3].id, reported_on + timedelta(days=5), True)
    service.close(items[3].id, reported_on + timedelta(days=6), "复查通过，关闭")
    account = registry.accounts.list()[0]
    today = date.today()
    service.create(
        ItemInput(
            [account.unit_name],
            "上级抽查：账号简介未标注主办单位",
            today - timedelta(days=3),
            deadline_days=10,
            account_id=account.id,
            note="省办抽查通报点名",
        )
    )


def _tab_name(window, widget) -> str:  # noqa: ANN001
    """``notice`` for ``window.notice_tab``: the attribute the main window keeps it under."""
    for attribute, value in vars(window).items():
        if value is widget and attribute.endswith("_tab"):
            return attribute.removesuffix("_tab")
    return f"tab{window.tabs.indexOf(widget)}"


def _every_tab(app, window, round_id: int) -> list[str]:  # noqa: ANN001
    written = []
    for index in range(window.tabs.count()):
        widget = window.tabs.widget(index)
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        if hasattr(widget, "select_round"):
            widget.select_round(round_id)
        app.processEvents()
        app.processEvents()
        name = f"tab-{_tab_name(window, widget)}.png"
        window.grab().save(str(OUT / name))
        written.append(name)
    return written


def _render_notice(pdf: Path, folder: Path) -> list[str]:
    """Page 1 and the first attachment page of the issued notice, as pdftoppm renders them."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        print("pdftoppm/pdftotext missing (Debian: poppler-utils): notice pages skipped")
        return []
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    attachment = next(
        (
            n
            for n, text in enumerate(pages.split("\f"), start=1)
            if text.lstrip().startswith("附件1")
        ),
        2,
    )
    written = []
    for page, name in ((1, "notice-demo-page1"), (attachment, "notice-demo-attachment")):
        stem = folder / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
             str(pdf), str(stem)],
            check=True,
        )  # fmt: skip
        shutil.copyfile(stem.with_suffix(".png"), OUT / f"{name}.png")
        written.append(f"{name}.png")
    return written


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
        tab.accounts.search.clear()  # the 台账 tab picture shows the whole list again
        tab.accounts.findChild(type(tab.accounts.region_filter), "filter_filing").setCurrentIndex(0)
        round_id = _inspection(app, window)
        pdf = _complete_and_issue(window.registry, round_id, Path(folder))
        _rectification_steps(window.registry)
        written = _every_tab(app, window, round_id)
        written += _render_notice(pdf, Path(folder))
        window.close()
        db.close()
    print(f"screenshots written to {OUT}: {', '.join(written)} (and the 台账/检查 ones)")


if __name__ == "__main__":
    main()
