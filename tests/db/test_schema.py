"""The migrations build exactly the models' schema; the database enforces its keys."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.database import open_database
from app.errors import AppError
from db.base import Base
from db.migrate import current_revision, head_revision


def test_new_file_is_created_at_head(db):
    assert current_revision(db.engine) == head_revision()


def test_migrations_match_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_pragmas_are_on(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO website (name, site_code, url, unit_id, kind, icp, status, note, is_demo) "
                "VALUES ('x', '', 'a.gov.cn', 999, 'portal', '', 'running', '', 0)"
            )
        )


def test_reopening_an_existing_file_keeps_data(tmp_path: Path, registry):
    registry.demo.load()
    path = registry.db.path
    registry.db.close()
    again = open_database(path)
    try:
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM website")).scalar() == 49
    finally:
        again.close()


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path):
    database = open_database(tmp_path / "newer.sqlite3")
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    database.close()
    with pytest.raises(AppError, match="更新版本"):
        open_database(tmp_path / "newer.sqlite3")


def test_not_a_database_is_refused(tmp_path: Path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(AppError, match="不是网检通数据库"):
        open_database(bogus)
    assert bogus.read_text(encoding="utf-8") == "这不是数据库"


def test_foreign_sqlite_database_is_refused(tmp_path: Path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    with pytest.raises(AppError, match="其他程序"):
        open_database(other)


def test_upgrade_from_first_schema_keeps_every_record(tmp_path: Path):
    """A file made by the first release (registry only) opens and keeps its data."""
    from db.migrate import upgrade_to_head
    from db.session import make_engine

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade_to_head(engine, "0001_registry")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit (name, name_key, region, kind, contact, phone, email, note, is_demo) VALUES ('县公安局', '县公安局', '通城县', 'department', '', '', '', '', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO account (platform, name, name_key, account_id, unit_id, region, filing_status, status, maintainer, maintainer_phone, is_zombie, is_empty_shell, note, is_demo) VALUES ('douyin', '通城公安', '通城公安', '', 1, '通城县', 'unfiled', 'running', '', '', 0, 0, '', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO record_event (account_id, kind, event_date, summary, reason, recorded_by) VALUES (1, 'opened', '2021-06-04', '登记入台账', '', '老版本')"
            )
        )
    engine.dispose()

    database = open_database(path)
    try:
        assert current_revision(database.engine) == head_revision() != "0001_registry"
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT name, filing_status FROM account")).one() == (
                "通城公安",
                "unfiled",
            )
            assert conn.execute(text("SELECT recorded_by FROM record_event")).scalar() == "老版本"
            assert conn.execute(text("SELECT count(*) FROM inspection_round")).scalar() == 0
    finally:
        database.close()
