"""Times SQLite records (CURRENT_TIMESTAMP, UTC) are shown in the PC's local time."""

import time
from datetime import datetime

import pytest

from app.domain.dates import local_time


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is POSIX only")
def test_utc_timestamps_shown_in_beijing_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time(datetime(2026, 11, 24, 23, 30)) == datetime(2026, 11, 25, 7, 30)
        assert local_time(None) is None
    finally:
        monkeypatch.undo()
        time.tzset()
