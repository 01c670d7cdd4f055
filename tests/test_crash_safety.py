"""Crash safety: a process killed with SIGKILL (kill -9) in the middle of a large import or
of a run of saves leaves a sound database holding every committed record and nothing of
the interrupted transaction.

The child (tests/crash_child.py or the real command line) reports its progress on stdout or
by the WAL file growing; the test waits for that with generous timeouts and never asserts
on durations, so a slow two-core machine only makes it slower, not flaky.
"""

from __future__ import annotations

import queue
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.database import open_database
from app.instance_lock import InstanceLock
from app.services.backup import BackupService, integrity_problems
from tests.crash_child import IMPORTED_PREFIX, SAVED_UNIT, make_sheet
from tests.test_cli import ROOT, run

ROWS = 20_000
PATIENCE = 600.0  # seconds to wait for a child's next line: generous on purpose


class Child:
    """A child process whose stdout lines arrive in a queue (read by a thread)."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def wait_for(self, wanted: Callable[[str], bool]) -> str:
        """The first line for which ``wanted`` is true; fails if the child ends first."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1.0)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"child ended early: {self.stderr()}")
            if wanted(line):
                return line
        raise AssertionError(f"child never printed the expected line: {self.stderr()}")

    def kill(self) -> None:
        """kill -9 (TerminateProcess on Windows), then reap it so its PID is gone."""
        self.proc.kill()
        self.proc.wait()

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        assert self.proc.stderr is not None
        return self.proc.stderr.read()[-3000:]


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def snapshot_of(path: Path) -> dict[str, list[tuple]]:
    """The registry's committed content, table by table."""
    return {
        table: rows(path, f"SELECT * FROM {table} ORDER BY id")
        for table in ("unit", "unit_alias", "website", "account", "record_event")
    }


def reopen_after_crash(db_path: Path) -> None:
    """What the next start does: the stale lock is taken over and marks an unclean exit."""
    lock = InstanceLock(db_path)
    lock.acquire()
    try:
        assert lock.previous_exit_unclean
        assert integrity_problems(db_path) == []
        open_database(db_path).close()  # opens (and recovers the WAL) without complaint
    finally:
        lock.release()


@pytest.fixture
def committed(registry) -> tuple[Path, dict[str, list[tuple]]]:
    """A database with the demo data committed, closed; and its content."""
    registry.demo.load()
    path = registry.db.path
    registry.db.close()
    return path, snapshot_of(path)


@pytest.fixture(scope="module")
def big_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sheet(tmp_path_factory.mktemp("sheet") / "两万行台账.xlsx", ROWS)


def test_kill_in_the_middle_of_a_large_import_loses_only_that_import(committed, big_sheet):
    db_path, before = committed
    child = Child([str(ROOT / "tests" / "crash_child.py"), str(db_path), str(big_sheet), "pause"])
    try:
        child.wait_for(lambda line: line == "saved")
        assert child.wait_for(lambda line: line.startswith("planned")) == f"planned {ROWS}"
        child.wait_for(lambda line: line == "underway")  # uncommitted rows are in the WAL
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size > 256 * 1024
    finally:
        child.kill()

    reopen_after_crash(db_path)
    after = snapshot_of(db_path)
    for table, content in before.items():  # every record committed before is there, unchanged
        assert set(content) <= set(after[table]), table
    saved = [u for u in after["unit"] if SAVED_UNIT in u]
    assert len(saved) == 1  # the save before the import was committed
    assert rows(db_path, f"SELECT count(*) FROM account WHERE name LIKE '{IMPORTED_PREFIX}%'") == [
        (0,)
    ]
    assert len(after["account"]) == len(before["account"])
    assert len(after["unit"]) == len(before["unit"]) + 1  # no unit of the import either
    # the backup taken before the import is complete and sound
    (backup,) = [b for b in BackupService(db_path).list() if b.reason == "import"]
    assert integrity_problems(backup.path) == []
    assert rows(backup.path, "SELECT count(*) FROM website") == [(len(before["website"]),)]


def test_kill_of_the_command_line_import_is_all_or_nothing(committed, big_sheet, tmp_path):
    """The real ``main.py import-registry``, killed once the WAL grows; wherever the kill
    lands, the import is either complete or absent, and the file is sound."""
    db_path, before = committed
    wal = db_path.with_name(db_path.name + "-wal")
    start = wal.stat().st_size if wal.exists() else 0
    child = Child([str(ROOT / "main.py"), "--db", str(db_path), "import-registry", str(big_sheet)])
    try:
        deadline = time.monotonic() + PATIENCE
        while not (wal.exists() and wal.stat().st_size > start + 64 * 1024):
            assert child.proc.poll() is None, f"import ended before it was killed: {child.stderr()}"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.005)
    finally:
        child.kill()

    reopen_after_crash(db_path)
    after = snapshot_of(db_path)
    for table, content in before.items():
        assert set(content) <= set(after[table]), table
    imported = rows(db_path, f"SELECT count(*) FROM account WHERE name LIKE '{IMPORTED_PREFIX}%'")
    assert imported in ([(0,)], [(ROWS,)])
    # the clerk simply runs it again: the stale lock does not block, the import completes
    again = run("--db", str(db_path), "import-registry", str(big_sheet), tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert rows(db_path, f"SELECT count(*) FROM account WHERE name LIKE '{IMPORTED_PREFIX}%'") == [
        (ROWS,)
    ]
    assert integrity_problems(db_path) == []


def test_kill_during_a_run_of_saves_keeps_every_committed_one(committed):
    db_path, before = committed
    child = Child([str(ROOT / "tests" / "crash_child.py"), str(db_path), "-", "saves"])
    try:
        line = child.wait_for(lambda text: text.startswith("committed ") and text != "committed 0")
        while int(line.split()[1]) < 200:
            line = child.wait_for(lambda text: text.startswith("committed "))
        last_reported = int(line.split()[1])
    finally:
        child.kill()

    reopen_after_crash(db_path)
    names = {r[0] for r in rows(db_path, "SELECT name FROM unit WHERE name LIKE '逐条保存单位%'")}
    numbers = sorted(int(n.removeprefix("逐条保存单位")) for n in names)
    assert numbers == list(range(1, len(numbers) + 1))  # no gaps, no half-saved record
    assert len(numbers) >= last_reported  # everything reported as committed is there
    assert set(before["website"]) <= set(snapshot_of(db_path)["website"])
