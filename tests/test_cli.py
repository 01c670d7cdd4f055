"""The command line as a clerk's batch script would call it (a real subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        HOME=str(tmp_path),
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        cwd=tmp_path,
    )


def test_help_lists_commands(tmp_path):
    result = run("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "export-registry" in result.stdout and "--db" in result.stdout


def test_export_registry_writes_every_sheet(tmp_path, registry):
    registry.demo.load()
    db_path = str(registry.db.path)
    registry.db.close()
    out = tmp_path / "导出 台账.xlsx"
    result = run("--db", db_path, "export-registry", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "已导出" in result.stdout
    wb = load_workbook(out)
    assert wb["政府网站"].max_row == 50
    only = run(
        "--db",
        db_path,
        "export-registry",
        str(tmp_path / "w.xlsx"),
        "--only",
        "websites",
        tmp_path=tmp_path,
    )
    assert only.returncode == 0
    assert load_workbook(tmp_path / "w.xlsx").sheetnames == ["政府网站"]


def test_default_database_lives_in_the_user_data_folder(tmp_path):
    result = run("export-registry", str(tmp_path / "a.xlsx"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    created = list((tmp_path / "xdg").rglob("wangjiantong.sqlite3"))
    assert len(created) == 1


def test_errors_are_chinese_with_exit_code_1(tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("x", encoding="utf-8")
    result = run("--db", str(bogus), "export-registry", str(tmp_path / "a.xlsx"), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "错误：" in result.stderr and "不是网检通数据库" in result.stderr
    assert "Traceback" not in result.stderr
    result = run(
        "--db",
        str(tmp_path / "ok.sqlite3"),
        "export-registry",
        str(tmp_path / "no" / "a.xlsx"),
        tmp_path=tmp_path,
    )
    assert result.returncode == 1 and "不存在" in result.stderr


def test_bad_usage_exits_2(tmp_path):
    result = run("export-registry", tmp_path=tmp_path)
    assert result.returncode == 2


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    """`main.py stats … | head -1`: the reader leaves early; no BrokenPipeError traceback."""
    from tests.test_cli_notice import ROUND, inspected_db

    db_path = inspected_db(tmp_path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "stats", "--round", ROUND],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    proc.stdout.close()  # like `head` leaving before the program writes (it is still starting)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
