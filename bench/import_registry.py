"""Benchmark: importing a 10 000-row registry sheet vs. bare openpyxl iteration of the file.

Builds an .xlsx shaped like the offices' account lists (title row, header, section rows,
序号/单位名称/新媒体账号名称/类型/备案状态/管理员/联系电话), then times in the same run:

- baseline: ``openpyxl.load_workbook(read_only=True)`` and iterating every row's values;
- app: ``plan_import`` (read, parse, compare: what the preview shows) and ``apply_import``
  (one transaction into an empty database), and both together.

Target: the import takes at most 1.5× the baseline. Prints medians over ``--repeat`` runs.
``run()`` gives the same as a row for ``bench/run_all.py``.

    python bench/import_registry.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook  # noqa: E402

from app.database import open_database  # noqa: E402
from app.services.registry import Registry  # noqa: E402
from app.services.registry_import import apply_import, plan_import  # noqa: E402
from bench.common import Result  # noqa: E402

TARGET = 1.5

PLATFORMS = ["微信", "微博", "抖音", "快手", "今日头条", "百家号"]
SECTIONS = [
    "一、已备案的政务新媒体",
    "二、未备案的单位及新媒体账号",
    "三、未及时备案的单位及新媒体账号",
]


def make_sheet(path: Path, rows: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("新媒体台账")
    ws.append(["全县政务新媒体台账"])
    ws.append(["序号", "单位名称", "新媒体账号名称", "类型", "管理员", "联系电话"])
    per_section = rows // len(SECTIONS) + 1
    n = 0
    for section in SECTIONS:
        ws.append([section])
        for _ in range(per_section):
            if n == rows:
                break
            n += 1
            ws.append(
                [
                    n,
                    f"县直单位{n % 500}",
                    f"政务账号{n}",
                    PLATFORMS[n % len(PLATFORMS)],
                    f"管理员{n % 97}",
                    f"1380000{n:04d}",
                ]
            )
    wb.save(path)


def bare_openpyxl(path: Path) -> int:
    wb = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            count += 1
    wb.close()
    return count


def measure(rows: int, repeat: int) -> tuple[float, float, float]:
    """Medians in seconds: (baseline, plan, apply)."""
    base, plan_t, apply_t = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "台账.xlsx"
        make_sheet(sheet, rows)
        for i in range(repeat):
            t = time.perf_counter()
            bare_openpyxl(sheet)
            base.append(time.perf_counter() - t)
            db = open_database(Path(folder) / f"bench{i}.sqlite3")
            registry = Registry(db, user="bench")
            t = time.perf_counter()
            plan = plan_import(registry, sheet)
            plan_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = apply_import(registry, plan, skip_bad_rows=False)
            apply_t.append(time.perf_counter() - t)
            assert result.added == rows, result
            db.close()
    b, p, a = (statistics.median(x) for x in (base, plan_t, apply_t))
    return b, p, a


def report(rows: int, repeat: int, b: float, p: float, a: float) -> None:
    print(f"registry import, {rows} rows, median of {repeat}")
    print(f"{'measure':<46}{'s':>8}{'ratio':>8}")
    print(f"{'baseline: bare openpyxl read-only iteration':<46}{b:>8.2f}{1:>8.2f}")
    print(f"{'plan (read + parse + compare, the preview)':<46}{p:>8.2f}{p / b:>8.2f}")
    print(f"{'apply (one transaction)':<46}{a:>8.2f}{a / b:>8.2f}")
    print(f"{'import = plan + apply':<46}{p + a:>8.2f}{(p + a) / b:>8.2f}")
    print(f"target import ≤ {TARGET}× baseline: {'met' if (p + a) / b <= TARGET else 'NOT met'}")


def run(rows: int = 10_000, repeat: int = 3) -> list[Result]:
    b, p, a = measure(rows, repeat)
    report(rows, repeat, b, p, a)
    name = f"registry import, {rows} rows (plan + apply) vs bare openpyxl"
    return [Result(name, p + a, b, "s", target_ratio=TARGET)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    report(args.rows, args.repeat, *measure(args.rows, args.repeat))


if __name__ == "__main__":
    main()
