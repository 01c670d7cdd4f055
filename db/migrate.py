"""Bring a database file to the newest schema with Alembic.

The app opens every file through :func:`is_at_head` (a quick look that needs no Alembic) and
calls :func:`upgrade_to_head` only when the file is new or older, so an older file is upgraded
in place. Alembic is imported only then: it costs about a tenth of the start-up.
Developers add a revision with::

    python -m db.migrate revision "what changed" --db /tmp/dev.sqlite3
"""

from __future__ import annotations

import argparse
import ast
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

# Beside this module, from source and in a PyInstaller build (``_internal/db/migrations``).
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@cache
def shipped_head() -> str | None:
    """The head revision of ``migrations/versions``, read with ``ast`` (no Alembic import).

    None when the history is not one straight line (several heads): callers then ask Alembic.
    ``tests/db`` checks it agrees with :func:`head_revision`.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = (
                node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            )
            value = getattr(node, "value", None)
            if isinstance(target, ast.Name) and value is not None:
                try:
                    values[target.id] = ast.literal_eval(value)
                except ValueError:
                    continue
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """True when the file is already at the newest schema this build ships (fast path)."""
    head = shipped_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except OperationalError:  # no alembic_version table: a new file
        return False
    return list(versions) == [head]


def _config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str:
    """Newest revision shipped with this build."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """Revision the database file is at (None for a new, empty file)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    """Every revision shipped with this build (a file at another one is from a newer build)."""
    from alembic.script import ScriptDirectory

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
    from alembic import command

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
    from alembic import command

    cfg = _config(f"sqlite:///{Path(args.db)}")
    command.revision(cfg, message=args.message, autogenerate=True)


if __name__ == "__main__":
    _main()
