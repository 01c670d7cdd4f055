"""Engine and session factory for the embedded SQLite file.

Connection settings (applied on every connection):
- ``foreign_keys=ON``: SQLite ignores REFERENCES clauses without it.
- ``journal_mode=WAL``: readers never block the writer and a crash mid-write leaves the
  main file intact; the database must live on a local disk (not a network share).
- ``synchronous=FULL``: every committed transaction survives a power cut, at a cost a
  desktop app with one user never notices.
- ``busy_timeout=5000``: wait briefly instead of failing when another connection writes.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from db.audit import DEFAULT_USER, install_audit


def _apply_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(path: Path | str) -> Engine:
    """Engine for the SQLite file at ``path`` (created on first connection)."""
    engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    event.listen(engine, "connect", _apply_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so services may read them back, and
    record every change of an audited record (``db/audit.py``) as ``info["user"]``."""
    factory = sessionmaker(engine, expire_on_commit=False, info={"user": DEFAULT_USER})
    install_audit(factory)
    return factory
