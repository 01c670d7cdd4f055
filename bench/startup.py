"""Benchmark: start-up to the first painted main window vs. a bare PySide6 window.

Every start is a fresh process (this script with ``--child``), timed by the parent from
spawning it until the child reports the first paint event of its main window:

- app: the real entry point ``main.main(["--db", …])`` → ``run_gui`` on a database holding
  the demo data and a scored round: imports, QApplication and fonts, the instance lock, the
  start-up checks and daily backup, opening the database (schema check), the main window with
  every tab filled;
- baseline: a bare ``QApplication`` + ``QMainWindow`` with a ``QTableView`` over a 50-row
  ``QStandardItemModel``, same window size and platform.

Both children quit right after the first paint (no settings are written: they go to a
temporary folder). One warm-up start of each is not counted; then ``--repeat`` starts each,
interleaved. Target: app ≤ 1.5× baseline (median).

    python bench/startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "first-paint"
TARGET = 1.5


# -- the children ---------------------------------------------------------------------------
def _isolate_settings(folder: str) -> None:
    from PySide6.QtCore import QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def _report_first_paint(window_class: type) -> type:
    """A subclass of ``window_class`` that prints MARKER at its first paint and quits."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    class Timed(window_class):  # type: ignore[misc, valid-type]
        _painted = False

        def paintEvent(self, event) -> None:  # noqa: ANN001, N802
            super().paintEvent(event)
            if not Timed._painted:
                Timed._painted = True
                print(MARKER, flush=True)
                QTimer.singleShot(0, QApplication.quit)

    return Timed


def child_app(db: str, settings: str) -> int:
    sys.path.insert(0, str(ROOT))
    _isolate_settings(settings)
    import main
    import ui.main_window

    ui.main_window.MainWindow = _report_first_paint(ui.main_window.MainWindow)
    return main.main(["--db", db])


def child_bare(settings: str) -> int:
    _isolate_settings(settings)
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(50, 9)
    for row in range(50):
        for col in range(9):
            model.setItem(row, col, QStandardItem(f"单元格 {row}-{col}"))
    window = _report_first_paint(QMainWindow)()
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 780)
    window.show()
    return app.exec()


# -- the parent -----------------------------------------------------------------------------
def make_database(path: Path) -> None:
    """The demo data and a round with results, as a clerk's file looks after a few weeks."""
    sys.path.insert(0, str(ROOT))
    from app.database import open_database
    from app.self_test import SelfTestContext, create_round, enter_results
    from app.services.registry import Registry

    db = open_database(path)
    try:
        registry = Registry(db, user="bench")
        registry.demo.load()
        ctx = SelfTestContext(folder=path.parent, registry=registry)
        create_round(ctx)
        enter_results(ctx)
    finally:
        db.close()


def time_start(args: list[str]) -> float:
    """Seconds from spawning ``python bench/startup.py --child …`` to its first paint."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    t = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == MARKER:
            elapsed = time.perf_counter() - t
            break
    else:
        raise RuntimeError(f"child {args[0]} ended without painting (exit {child.wait()})")
    child.wait(timeout=60)
    return elapsed


def measure(repeat: int = 7) -> tuple[list[float], list[float]]:
    """(app times, baseline times) in seconds, ``repeat`` starts each after a warm-up."""
    app_t, base_t = [], []
    with tempfile.TemporaryDirectory() as folder:
        db, settings = Path(folder) / "台账.sqlite3", str(Path(folder) / "settings")
        make_database(db)
        time_start(["bare", settings])  # warm-up: file caches, the day's backup
        time_start(["app", settings, str(db)])
        for _ in range(repeat):
            base_t.append(time_start(["bare", settings]))
            app_t.append(time_start(["app", settings, str(db)]))
    return app_t, base_t


def report(repeat: int, app_t: list[float], base_t: list[float]) -> None:
    a, b = statistics.median(app_t), statistics.median(base_t)
    print(f"start-up to first paint, fresh process each, median of {repeat}")
    print(f"{'measure':<52}{'s':>8}{'ratio':>8}")
    print(f"{'baseline: bare QMainWindow + QTableView':<52}{b:>8.2f}{1:>8.2f}")
    print(f"{'app: main.py window on the demo data':<52}{a:>8.2f}{a / b:>8.2f}")
    print(f"  app runs: {', '.join(f'{x:.2f}' for x in app_t)}")
    print(f"  baseline runs: {', '.join(f'{x:.2f}' for x in base_t)}")
    print(f"target app ≤ {TARGET}× baseline: {'met' if a / b <= TARGET else 'NOT met'}")


def run(repeat: int = 7) -> list:
    """For bench/run_all.py: one Result (medians)."""
    from bench.common import Result

    app_t, base_t = measure(repeat)
    report(repeat, app_t, base_t)
    return [
        Result(
            "start-up to first painted window (demo data)",
            statistics.median(app_t),
            statistics.median(base_t),
            "s",
            target_ratio=TARGET,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        sys.exit(child_app(rest[1], rest[0]) if kind == "app" else child_bare(rest[0]))
    report(args.repeat, *measure(args.repeat))


if __name__ == "__main__":
    main()
