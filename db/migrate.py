"""Bring a database file to the newest schema with Alembic.

The app calls :func:`upgrade_to_head` on every start, so an older file is upgraded in place.
Developers add a revision with::

    python -m db.migrate revision "what changed" --db /tmp/dev.sqlite3
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str:
    """Newest revision shipped with this build."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """Revision the database file is at (None for a new, empty file)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    """Every revision shipped with this build (a file at another one is from a newer build)."""
    script = ScriptDirectory.from_config(_config())
    return {rev.revision for rev in script.walk_revisions()}


def needs_upgrade(engine: Engine) -> bool:
    """True for a file at an older revision this build knows (not new, not head, not newer)."""
    current = current_revision(engine)
    if current is None or current == head_revision():
        return False
    return current in known_revisions()


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (default: the newest) in one transaction."""
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _main() -> None:
    parser = argparse.ArgumentParser(description="Schema migrations (developer tool)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    rev = sub.add_parser("revision", help="autogenerate a new revision")
    rev.add_argument("message")
    rev.add_argument("--db", required=True, help="a database at the current head")
    args = parser.parse_args()
    cfg = _config(f"sqlite:///{Path(args.db)}")
    command.revision(cfg, message=args.message, autogenerate=True)


if __name__ == "__main__":
    _main()
