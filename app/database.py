"""Open the embedded database: create it on first use, upgrade an older file in place."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import AppError, FileAccessError
from app.services.backup import backup_before
from db.migrate import is_at_head, needs_upgrade, upgrade_to_head
from db.session import make_engine, make_session_factory


@dataclass(frozen=True)
class Database:
    """An open database file and the factory for its sessions."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise AppError(
            f"「{path}」不是网检通数据库文件（也不是 SQLite 数据库），请选择正确的文件。"
        )


def open_database(path: Path | str) -> Database:
    """Open (and if needed create or upgrade) the database at ``path``."""
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise AppError(
            f"「{path}」是一个文件夹。请给出数据库文件的路径，如 {path / 'wangjiantong.sqlite3'}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileAccessError(
            f"无法创建数据文件夹「{path.parent}」：{exc.strerror or exc}"
        ) from exc
    _check_is_sqlite(path)
    engine = make_engine(path)
    try:
        tables = set(inspect(engine).get_table_names())
        if tables and "alembic_version" not in tables:
            raise AppError(f"「{path}」是其他程序的 SQLite 数据库，不是网检通数据库。")
        if not (tables and is_at_head(engine)):  # the usual start needs no Alembic at all
            _create_or_upgrade(engine, path, bool(tables))
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise FileAccessError(
            f"无法打开数据库「{path}」：文件可能已损坏、只读或正被其他程序占用。（{exc.orig if hasattr(exc, 'orig') else exc}）"
        ) from exc
    except AppError:
        engine.dispose()
        raise
    return Database(path=path, engine=engine, session_factory=make_session_factory(engine))


def _create_or_upgrade(engine: Engine, path: Path, existing: bool) -> None:
    """Build a new file's schema or upgrade an older one (backed up first) with Alembic."""
    from alembic.util.exc import CommandError

    try:
        if existing and needs_upgrade(engine):
            backup_before(path, "upgrade")  # raises (and nothing is upgraded) if it fails
        upgrade_to_head(engine)
    except CommandError as exc:
        raise AppError(
            f"数据库「{path.name}」由更新版本的网检通创建，当前程序无法打开，请升级程序。"
        ) from exc
