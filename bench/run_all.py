"""Run every benchmark and print one table: measured, baseline, ratio, target, met?

    python bench/run_all.py [--quick]

Each benchmark also prints its own details first. ``--quick`` uses smaller inputs and fewer
repetitions (a smoke run: the figures are not comparable with the targets). The table is
Markdown, ready for docs/performance.md, with the machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import import_registry, notice_pdf, registry_filter, startup  # noqa: E402
from bench.common import Result, table  # noqa: E402


def machine() -> str:
    """CPU model and cores, OS, Python, Qt and PySide6 versions."""
    import PySide6
    from PySide6.QtCore import qVersion

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} logical cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, a smoke run")
    args = parser.parse_args()
    q = args.quick
    steps = [
        ("startup", lambda: startup.run(repeat=2 if q else 7)),
        ("registry_filter", lambda: registry_filter.run(rows=2_000 if q else 10_000, repeat=1 if q else 5)),
        ("import_registry", lambda: import_registry.run(rows=2_000 if q else 10_000, repeat=1 if q else 3)),
        ("notice_pdf", lambda: notice_pdf.run(accounts=60 if q else 300, sites=10 if q else 50, repeat=1 if q else 3)),
    ]  # fmt: skip
    results: list[Result] = []
    started = time.perf_counter()
    for name, run in steps:
        print(f"\n== bench/{name}.py")
        results += run()
    print(f"\n== all benchmarks ({time.perf_counter() - started:.0f} s){' — QUICK' if q else ''}")
    print(f"machine: {machine()}\n")
    print(table(results))


if __name__ == "__main__":
    main()
