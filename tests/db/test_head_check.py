"""The quick schema check that lets a normal start skip Alembic agrees with Alembic."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from app.database import open_database
from db.migrate import head_revision, is_at_head, shipped_head, upgrade_to_head
from db.session import make_engine
from tests.test_cli import ROOT


def test_shipped_head_is_alembics_head():
    assert shipped_head() == head_revision()


def test_is_at_head_only_for_a_file_at_the_newest_schema(tmp_path):
    new = make_engine(tmp_path / "new.sqlite3")
    assert not is_at_head(new)  # no alembic_version table yet
    upgrade_to_head(new, "0001_registry")
    assert not is_at_head(new)
    upgrade_to_head(new)
    assert is_at_head(new)
    with new.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_a_newer_build'"))
    assert not is_at_head(new)
    new.dispose()


def test_opening_a_current_file_does_not_import_alembic(tmp_path):
    open_database(tmp_path / "db.sqlite3").close()
    code = (
        "import sys; from app.database import open_database; "
        f"open_database({str(tmp_path / 'db.sqlite3')!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
