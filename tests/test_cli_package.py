"""export-package / import-package as a clerk's batch script calls them (real subprocess)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.test_cli import run


def websites(path) -> int:  # noqa: ANN001
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM website").fetchone()[0]


def test_export_then_import_on_another_database(tmp_path, registry):
    registry.demo.load()
    source = str(registry.db.path)
    registry.db.close()
    out = tmp_path / "数据包 2026.zip"
    exported = run("--db", source, "export-package", str(out), tmp_path=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "已导出数据包" in exported.stdout and str(out) in exported.stdout

    other = tmp_path / "另一台" / "wangjiantong.sqlite3"
    first = run("--db", str(other), "import-package", str(out), tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "已导入数据包" in first.stdout
    assert websites(other) == 49
    again = run("--db", str(other), "import-package", str(out), tmp_path=tmp_path)
    assert again.returncode == 0 and "导入前的数据已备份到" in again.stdout


def test_a_bad_package_is_refused_with_exit_code_1(tmp_path, registry):
    registry.demo.load()
    db_path = str(registry.db.path)
    registry.db.close()
    bad = tmp_path / "坏.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    result = run("--db", db_path, "import-package", str(bad), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "已损坏或不完整" in result.stderr and "Traceback" not in result.stderr
    assert websites(db_path) == 49


def test_wrong_usage_is_exit_code_2(tmp_path):
    missing = run("import-package", tmp_path=tmp_path)
    assert missing.returncode == 2 and "缺少必填参数" in missing.stderr
    help_text = run("export-package", "--help", tmp_path=tmp_path)
    assert help_text.returncode == 0 and "OUT.zip" in help_text.stdout


def test_export_wants_a_zip_name(tmp_path):
    result = run(
        "--db",
        str(tmp_path / "a.sqlite3"),
        "export-package",
        str(tmp_path / "x.db"),
        tmp_path=tmp_path,
    )
    assert result.returncode == 1 and ".zip" in result.stderr
