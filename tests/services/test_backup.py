"""Backups (备份): online snapshots, names, keep N, the daily one, restore, hooks before imports."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app.database import open_database
from app.errors import AppError, ValidationError
from app.services.backup import (
    DEFAULT_KEEP,
    BackupService,
    integrity_problems,
    schema_revision,
)
from app.services.registry_import import apply_import, plan_import
from db.migrate import head_revision
from tests.services.test_registry_import import TONGCHENG, write_list


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def corrupt(path: Path) -> None:
    """Overwrite the middle of the file (the header stays, so it still opens)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with path.open("r+b") as fh:
        for offset in range(4096 * 2, size - 4096, 4096 * 3):
            fh.seek(offset + 8)
            fh.write(b"\xa5" * 2000)


@pytest.fixture
def service(registry) -> BackupService:
    registry.demo.load()
    return BackupService(registry.db.path)


def test_a_backup_is_a_sound_single_file_with_everything_committed(service, registry):
    info = service.create("manual")
    assert info.path.parent == registry.db.path.parent / "backups"
    assert info.path.name.startswith("test_") and info.path.name.endswith("_manual.sqlite3")
    assert info.reason_text == "手动备份" and info.size == info.path.stat().st_size
    assert not info.path.with_name(info.path.name + "-wal").exists()
    assert integrity_problems(info.path) == []
    assert schema_revision(info.path) == head_revision()
    assert count(info.path, "website") == 49
    with closing(sqlite3.connect(info.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_snapshot_never_holds_an_uncommitted_write(service, registry):
    with registry.db.engine.connect() as conn:
        trans = conn.begin()
        conn.execute(text("DELETE FROM record_event"))
        conn.execute(text("DELETE FROM website"))
        info = service.create("manual")  # another connection is mid-transaction
        trans.rollback()
    assert count(info.path, "website") == 49


def test_backups_are_listed_newest_first_with_reasons(service):
    first = service.create("daily")
    second = service.create("import")  # same second: a sequence number keeps both
    listed = service.list()
    assert [b.path for b in listed] == [second.path, first.path]
    assert [b.reason_text for b in listed] == ["导入前自动备份", "每日自动备份"]


def test_other_files_in_the_folder_are_not_listed(service, registry):
    service.create("manual")
    (service.folder / "notes.txt").write_text("x", encoding="utf-8")
    (service.folder / "other_20260101-080000_daily.sqlite3").write_bytes(b"")
    assert len(service.list()) == 1


def test_only_the_newest_are_kept(service):
    assert service.keep() == DEFAULT_KEEP
    service.set_keep(3)
    made = [service.create("manual") for _ in range(5)]
    assert [b.path for b in service.list()] == [b.path for b in reversed(made[-3:])]
    assert BackupService(service.db_path).keep() == 3  # stored beside the backups


def test_keep_must_be_sensible(service):
    with pytest.raises(ValidationError, match="1 到 999"):
        service.set_keep(0)
    (service.folder).mkdir(exist_ok=True)
    (service.folder / "settings.json").write_text("{broken", encoding="utf-8")
    assert service.keep() == DEFAULT_KEEP


def test_the_daily_backup_is_made_once_a_day(service):
    today = date.today()
    made = service.daily_if_due(today)
    assert made is not None and made.reason == "daily"
    assert service.daily_if_due(today) is None
    assert service.daily_if_due(today + timedelta(days=1)) is not None


def test_restore_brings_back_the_data_and_keeps_the_current_first(service, registry):
    backup = service.create("manual")
    with registry.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM record_event"))
        conn.execute(text("DELETE FROM website"))
    registry.db.close()
    saved = service.restore(backup.path)
    assert saved is not None and saved.reason == "restore"
    assert count(saved.path, "website") == 0  # what was current is kept
    again = open_database(registry.db.path)
    try:
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM website")).scalar() == 49
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        again.close()
    assert integrity_problems(registry.db.path) == []


def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(service, registry):
    backup = service.create("manual")
    corrupt(backup.path)
    registry.db.close()
    with pytest.raises(AppError, match="已损坏"):
        service.restore(backup.path)
    foreign = service.folder / "test_20200101-000000_manual.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    with pytest.raises(AppError, match="不是网检通"):
        service.restore(foreign)
    assert count(registry.db.path, "website") == 49
    assert {b.reason for b in service.list()} == {"manual"}  # no 恢复前 backup either


def test_restore_refuses_a_backup_from_a_newer_version(service, registry):
    backup = service.create("manual")
    with closing(sqlite3.connect(backup.path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
        conn.commit()
    with pytest.raises(AppError, match="更新版本"):
        service.restore(backup.path)


def test_a_damaged_database_is_set_aside_and_replaced(service, registry):
    good = service.create("manual")
    registry.db.close()
    corrupt(registry.db.path)
    assert integrity_problems(registry.db.path)
    assert service.last_good() == good
    assert service.restore(good.path) is None  # too damaged to back up: copied as is
    assert [b.reason for b in service.list()] == ["damaged", "manual"]
    assert integrity_problems(registry.db.path) == []
    assert count(registry.db.path, "website") == 49


def test_a_file_that_is_not_a_database_any_more_is_replaced(service, registry):
    good = service.create("manual")
    registry.db.close()
    registry.db.path.write_bytes(b"\x00" * 8192)
    for side in ("-wal", "-shm"):
        registry.db.path.with_name(registry.db.path.name + side).unlink(missing_ok=True)
    service.restore(good.path)
    assert count(registry.db.path, "website") == 49


def test_a_backup_is_taken_before_every_registry_import(registry, tmp_path):
    path = write_list(tmp_path / "新媒体.xlsx", TONGCHENG)
    apply_import(registry, plan_import(registry, path), skip_bad_rows=False)
    backups = BackupService(registry.db.path).list()
    assert [b.reason for b in backups] == ["import"]
    assert count(backups[0].path, "account") == 0  # the state before the import


def test_a_failed_backup_stops_the_import(registry, tmp_path):
    path = write_list(tmp_path / "新媒体.xlsx", TONGCHENG)
    plan = plan_import(registry, path)
    (registry.db.path.parent / "backups").write_text("a file in the way", encoding="utf-8")
    with pytest.raises(AppError, match="无法备份"):
        apply_import(registry, plan, skip_bad_rows=False)
    assert count(registry.db.path, "account") == 0


def test_backup_names_carry_time_and_reason(service):
    info = service.create("upgrade")
    stamp = info.path.name.split("_")[1]
    assert datetime.strptime(stamp, "%Y%m%d-%H%M%S") == info.created
    assert info.label == f"{info.created:%Y-%m-%d %H:%M:%S}（升级前自动备份）"
