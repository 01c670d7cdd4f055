"""A file made by the first release upgrades to the newest schema with every record intact,
and a backup of the old file is taken before the upgrade."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app.database import open_database
from app.errors import FileAccessError
from app.services.backup import BackupService, integrity_problems, schema_revision
from db.migrate import MIGRATIONS_DIR, current_revision, head_revision, upgrade_to_head
from db.session import make_engine

FIRST_RELEASE_DATA = [
    "INSERT INTO unit (id, name, name_key, region, kind, contact, phone, email, note, is_demo,"
    " created_at, updated_at) VALUES"
    " (1, '县公安局', '县公安局', '通城县', 'department', '王警官', '0715-4321000',"
    "  'ga@tc.gov.cn', '备注：含“引号”和\n换行', 0, '2021-06-01 08:00:00', '2021-06-02 09:30:00'),"
    " (2, '麦市镇人民政府', '麦市镇人民政府', '通城县', 'township', '', '', '', '', 1,"
    "  '2021-06-01 08:00:00', '2021-06-01 08:00:00')",
    "INSERT INTO unit_alias (id, unit_id, alias, alias_key) VALUES (1, 1, '县公安', '县公安')",
    "INSERT INTO website (id, name, site_code, site_code_key, url, url_key, unit_id, kind, icp,"
    " status, opened_on, closed_on, note, is_demo, created_at, updated_at) VALUES"
    " (1, '通城县人民政府', '4212220001', '4212220001', 'http://www.tongcheng.gov.cn',"
    "  'tongcheng.gov.cn', 2, 'portal', '鄂ICP备05003310号', 'running', '2010-01-01', NULL, '',"
    "  0, '2021-06-01 08:00:00', '2021-06-01 08:00:00'),"
    " (2, '通城县公安局', '', NULL, 'http://gaj.tongcheng.gov.cn', 'gaj.tongcheng.gov.cn', 1,"
    "  'department', '', 'migrated', NULL, '2020-12-31', '整合到门户', 0, '2021-06-01 08:00:00',"
    "  '2021-06-01 08:00:00')",
    "INSERT INTO account (id, platform, name, name_key, account_id, unit_id, region,"
    " filing_status, status, opened_on, closed_on, maintainer, maintainer_phone, is_zombie,"
    " is_empty_shell, note, is_demo, created_at, updated_at) VALUES"
    " (1, 'douyin', '通城公安', '通城公安', 'tcga110', 1, '通城县', 'unfiled', 'running',"
    "  '2019-03-01', NULL, '李四', '13307244177', 0, 0, '', 0, '2021-06-01 08:00:00',"
    "  '2021-06-01 08:00:00'),"
    " (2, 'wechat', '麦市微讯息', '麦市微讯息', '', 2, '通城县', 'filed', 'closed', NULL,"
    "  '2021-05-20', '', '', 1, 1, '僵尸号', 0, '2021-06-01 08:00:00', '2021-06-01 08:00:00')",
    "INSERT INTO record_event (id, website_id, account_id, kind, event_date, summary, reason,"
    " recorded_by, recorded_at) VALUES"
    " (1, NULL, 1, 'opened', '2021-06-04', '登记入台账', '', '老版本', '2021-06-04 10:00:00'),"
    " (2, NULL, 2, 'closed', '2021-05-20', '关停', '责令关停', '老版本', '2021-06-04 10:00:00'),"
    " (3, 2, NULL, 'migrated', '2020-12-31', '整合迁移', '', '老版本', '2021-06-04 10:00:00')",
]


def first_revision() -> str:
    (base,) = ScriptDirectory(str(MIGRATIONS_DIR)).get_bases()
    return base


def contents(path: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of each table, limited to the given columns, in id order."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            table: conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
            for table, cols in columns.items()
        }


def table_columns(path: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'alembic_version'"
            )
        ]
        return {t: [c[1] for c in conn.execute(f"PRAGMA table_info({t})")] for t in tables}


@pytest.fixture
def first_release_file(tmp_path: Path) -> Path:
    """A database as the first release left it: first schema, some of every kind of record."""
    path = tmp_path / "wangjiantong.sqlite3"
    engine = make_engine(path)
    upgrade_to_head(engine, first_revision())
    with engine.begin() as conn:
        for statement in FIRST_RELEASE_DATA:
            conn.exec_driver_sql(statement)
    engine.dispose()
    return path


def test_the_first_schema_upgrades_with_every_record_intact(first_release_file: Path):
    assert first_revision() == "0001_registry"
    old_columns = table_columns(first_release_file)
    before = contents(first_release_file, old_columns)
    assert all(before[t] for t in ("unit", "unit_alias", "website", "account", "record_event"))

    database = open_database(first_release_file)
    try:
        assert current_revision(database.engine) == head_revision() != first_revision()
    finally:
        database.close()
    assert contents(first_release_file, old_columns) == before  # same rows, same values
    assert integrity_problems(first_release_file) == []


def test_a_backup_is_taken_before_the_upgrade(first_release_file: Path):
    old_columns = table_columns(first_release_file)
    before = contents(first_release_file, old_columns)
    open_database(first_release_file).close()

    (backup,) = BackupService(first_release_file).list()
    assert backup.reason == "upgrade" and backup.reason_text == "升级前自动备份"
    assert schema_revision(backup.path) == first_revision()  # the file as it was
    assert table_columns(backup.path) == old_columns
    assert contents(backup.path, old_columns) == before
    open_database(first_release_file).close()
    assert len(BackupService(first_release_file).list()) == 1  # at head: no more backups


def test_a_new_file_and_a_file_at_head_take_no_backup(tmp_path: Path):
    path = tmp_path / "new.sqlite3"
    open_database(path).close()
    open_database(path).close()
    assert BackupService(path).list() == []


def test_a_failed_backup_stops_the_upgrade(first_release_file: Path):
    (first_release_file.parent / "backups").write_text("in the way", encoding="utf-8")
    with pytest.raises(FileAccessError, match="无法备份"):
        open_database(first_release_file)
    engine = make_engine(first_release_file)
    try:
        assert current_revision(engine) == first_revision()  # not upgraded without a backup
    finally:
        engine.dispose()
