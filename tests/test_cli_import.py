"""``main.py import-registry`` as a batch script would call it (a real subprocess)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.database import open_database
from db.models import Account, RecordEvent, Unit, Website
from tests.services.test_registry_import import ACCOUNTS, FILE, TONGCHENG, write_list
from tests.test_cli import run

BAD_ROWS = [*TONGCHENG, (41, "县公安局", "通城网警", "推特"), (42, "县公安局", "通城发布", "微博")]


def counts(db_path: Path) -> tuple[int, int, int, int]:
    db = open_database(db_path)
    try:
        with db.session_factory() as s:
            return tuple(  # type: ignore[return-value]
                s.scalar(select(func.count()).select_from(m))
                for m in (Unit, Website, Account, RecordEvent)
            )
    finally:
        db.close()


def test_help_lists_import_registry(tmp_path):
    result = run("--help", tmp_path=tmp_path)
    assert "import-registry" in result.stdout
    result = run("import-registry", "--help", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "--dry-run" in result.stdout and "--skip-bad-rows" in result.stdout


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    path = write_list(tmp_path / FILE)
    result = run("--db", str(db_path), "import-registry", str(path), "--dry-run", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"新增 {ACCOUNTS}、更新 0、无变化 0、错误行 0" in out
    assert "第17行与第21行是同一账号，已合并" in out
    assert "新增 账号「通城公安」（抖音，县公安局，新建单位）" in out
    assert out.rstrip().endswith("（试运行，未写入数据库）")
    assert counts(db_path) == (0, 0, 0, 0)


def test_import_then_reimport(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    path = write_list(tmp_path / FILE)
    result = run("--db", str(db_path), "import-registry", str(path), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"已导入：新增 {ACCOUNTS}、更新 0、无变化 0" in result.stdout
    assert "试运行" not in result.stdout
    first = counts(db_path)
    assert first[2] == ACCOUNTS

    again = run("--db", str(db_path), "import-registry", str(path), tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"新增 0、更新 0、无变化 {ACCOUNTS}、错误行 0" in again.stdout
    assert counts(db_path) == first


def test_bad_rows_exit_1_and_write_nothing_unless_skipped(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    path = write_list(tmp_path / FILE, BAD_ROWS)
    args = ("--db", str(db_path), "import-registry", str(path))

    result = run(*args, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "错误行 1" in result.stdout
    assert "工作表「附件2」第23行「类型」：平台「推特」无法识别" in result.stdout
    assert "错误：有 1 行无法导入，未写入任何数据" in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(db_path) == (0, 0, 0, 0)

    dry = run(*args, "--dry-run", tmp_path=tmp_path)
    assert dry.returncode == 1 and "（试运行，未写入数据库）" in dry.stdout

    skipped = run(*args, "--skip-bad-rows", tmp_path=tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert f"新增 {ACCOUNTS + 1}" in skipped.stdout and "跳过错误行 1 行" in skipped.stdout
    assert counts(db_path)[2] == ACCOUNTS + 1


def test_unreadable_input_is_a_chinese_error(tmp_path):
    db_path = str(tmp_path / "db.sqlite3")
    missing = run("--db", db_path, "import-registry", str(tmp_path / "无.xlsx"), tmp_path=tmp_path)
    assert missing.returncode == 1 and "找不到文件「无.xlsx」" in missing.stderr
    path = write_list(tmp_path / FILE)
    wrong = run(
        "--db", db_path, "import-registry", str(path), "--sheet", "附件3", tmp_path=tmp_path
    )
    assert wrong.returncode == 1
    assert "没有名为「附件3」的工作表" in wrong.stderr and "Traceback" not in wrong.stderr
    assert run("import-registry", tmp_path=tmp_path).returncode == 2
