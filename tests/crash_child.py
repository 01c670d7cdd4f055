"""Child process for tests/test_crash_safety.py, killed with SIGKILL (kill -9) by the test.

    python tests/crash_child.py DB SHEET pause   save, then import SHEET and stop (sleep) once
                                                 uncommitted rows have reached the WAL file
    python tests/crash_child.py DB - saves       commit one new unit after another, for ever

It takes the instance lock and opens the database as the command line does, and prints
progress lines (flushed) the test waits for: ``saved``, ``planned N``, ``underway``,
``committed I``. Nothing here measures time; the test only reacts to these lines.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.database import open_database  # noqa: E402
from app.instance_lock import InstanceLock  # noqa: E402
from app.services.dto import UnitInput  # noqa: E402
from app.services.registry import Registry  # noqa: E402
from app.services.registry_import import apply_import, plan_import  # noqa: E402

PLATFORMS = ["微信", "微博", "抖音", "快手", "今日头条"]
SAVED_UNIT = "崩溃前保存的单位"
IMPORTED_PREFIX = "崩溃测试账号"


def make_sheet(path: Path, rows: int) -> Path:
    """An account list of ``rows`` new accounts (write-only openpyxl: fast and small)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("新媒体台账")
    ws.append(["序号", "单位名称", "新媒体账号名称", "类型", "管理员", "联系电话"])
    for n in range(1, rows + 1):
        ws.append(
            [n, f"崩溃测试单位{n % 300}", f"{IMPORTED_PREFIX}{n}", PLATFORMS[n % 5], "张三", ""]
        )
    wb.save(path)
    return path


def _say(line: str) -> None:
    print(line, flush=True)


def _pause_once_the_wal_holds_uncommitted_rows(registry: Registry) -> None:
    wal = registry.db.path.with_name(registry.db.path.name + "-wal")
    start = wal.stat().st_size if wal.exists() else 0

    def after(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT") and wal.exists():
            if wal.stat().st_size > start + 256 * 1024:
                _say("underway")
                time.sleep(3600)  # the transaction stays open until the test kills us

    event.listen(registry.db.engine, "after_cursor_execute", after)


def main() -> int:
    db_path, sheet, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    lock = InstanceLock(db_path)
    lock.acquire()
    registry = Registry(open_database(db_path), user="崩溃测试")
    if mode == "saves":
        for i in range(1, 10**9):
            registry.units.create(UnitInput(name=f"逐条保存单位{i}", region="通城县"))
            _say(f"committed {i}")
        return 0
    registry.units.create(UnitInput(name=SAVED_UNIT, region="通城县"))
    _say("saved")
    # a small page cache, so changes spill into the WAL long before the commit
    event.listen(registry.db.engine, "connect", lambda c, _r: c.execute("PRAGMA cache_size=50"))
    registry.db.engine.dispose()
    plan = plan_import(registry, Path(sheet))
    _say(f"planned {len(plan.items)}")
    if mode == "pause":
        _pause_once_the_wal_holds_uncommitted_rows(registry)
    apply_import(registry, plan, skip_bad_rows=False)
    _say("committed import")
    lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
