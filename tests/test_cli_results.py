"""``main.py import-results`` / ``export-results`` as a batch script would call them."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.database import open_database
from app.services.registry import Registry
from db.models import Round, Website
from tests.services.test_results_import import FILE, ROUND, SITES, write_xinxiang
from tests.test_cli import run


def demo_db(tmp_path: Path) -> Path:
    """A database holding the demo registry (新乡's 49 sites)."""
    db_path = tmp_path / "db.sqlite3"
    db = open_database(db_path)
    try:
        Registry(db, user="测试员").demo.load()
    finally:
        db.close()
    return db_path


def counts(db_path: Path) -> tuple[int, int]:
    db = open_database(db_path)
    try:
        with db.session_factory() as s:
            return tuple(  # type: ignore[return-value]
                s.scalar(select(func.count()).select_from(m)) for m in (Round, Website)
            )
    finally:
        db.close()


def test_help_lists_the_results_commands(tmp_path):
    result = run("--help", tmp_path=tmp_path)
    assert "import-results" in result.stdout and "export-results" in result.stdout
    result = run("import-results", "--help", tmp_path=tmp_path)
    assert result.returncode == 0
    for option in ("--round", "--kind", "--sheet", "--create-missing", "--window", "--dry-run"):
        assert option in result.stdout


def test_import_results_then_stats_and_export(tmp_path):
    db_path = demo_db(tmp_path)
    path = write_xinxiang(tmp_path / FILE)
    args = ("--db", str(db_path), "import-results", str(path), "--round", ROUND)

    dry = run(*args, "--dry-run", tmp_path=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert (
        f"检查轮次「{ROUND}」：将新建（季度，数据采集时间 2023-01-01 至 2023-03-31）" in dry.stdout
    )
    assert "结果 49 条：合格 47、不合格 2；台账中已有 49、台账中没有 0、错误行 0" in dry.stdout
    assert dry.stdout.rstrip().endswith("（试运行，未写入数据库）")
    assert counts(db_path)[0] == 0

    result = run(*args, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"已导入检查轮次「{ROUND}」（新建）：结果 {SITES} 条（合格 47、不合格 2" in result.stdout

    stats = run("--db", str(db_path), "stats", "--round", ROUND, "--json", tmp_path=tmp_path)
    assert stats.returncode == 0, stats.stderr
    websites = json.loads(stats.stdout)["websites"]
    assert websites == {"total": 49, "passed": 47, "failed": 2, "pass_rate": "95.9%"}

    again = run(*args, tmp_path=tmp_path)
    assert again.returncode == 0 and f"更新 0、无变化 {SITES}" in again.stdout
    assert counts(db_path)[0] == 1

    out = tmp_path / "结果.xlsx"
    exported = run(
        "--db", str(db_path), "export-results", "--round", ROUND, str(out), tmp_path=tmp_path
    )
    assert exported.returncode == 0, exported.stderr
    assert f"已导出检查轮次「{ROUND}」的结果到" in exported.stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["政府网站", "政务新媒体", "统计"]
    assert ["合计", "政府网站", 49, 47, 2, "95.9%"] in [
        list(r) for r in wb["统计"].iter_rows(values_only=True)
    ]


def test_unknown_sites_exit_1_unless_created(tmp_path):
    db_path = demo_db(tmp_path)
    path = write_xinxiang(tmp_path / FILE, extra=[(38, "市新闻出版局", 92, "合格", "无")])
    args = ("--db", str(db_path), "import-results", str(path), "--round", ROUND)
    before = counts(db_path)

    result = run(*args, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "工作表「附件2」第41行：台账中没有网站「市新闻出版局」" in result.stdout
    assert "错误：有 1 行无法导入，未写入任何数据" in result.stderr
    assert "--create-missing" in result.stderr and "Traceback" not in result.stderr
    assert counts(db_path) == before

    created = run(*args, "--create-missing", tmp_path=tmp_path)
    assert created.returncode == 0, created.stderr
    assert "将登记到台账 1 个：" in created.stdout and "登记到台账 1 个" in created.stdout
    assert counts(db_path) == (1, before[1] + 1)


def test_window_needed_for_a_round_name_without_quarter(tmp_path):
    db_path = demo_db(tmp_path)
    path = write_xinxiang(tmp_path / FILE)
    args = ("--db", str(db_path), "import-results", str(path), "--round", "网站专项检查")

    result = run(*args, tmp_path=tmp_path)
    assert result.returncode == 1 and "--window" in result.stderr

    bad = run(*args, "--window", "2023-01-01", "三月底", tmp_path=tmp_path)
    assert bad.returncode == 2 and "--window" in bad.stderr

    ok = run(*args, "--window", "2023-01-01", "2023-03-25", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "数据采集时间 2023-01-01 至 2023-03-25" in ok.stdout


def test_export_results_unknown_round(tmp_path):
    db_path = demo_db(tmp_path)
    result = run(
        "--db", str(db_path), "export-results", "--round", "无此轮次", "x.xlsx", tmp_path=tmp_path
    )
    assert result.returncode == 1
    assert "没有名为「无此轮次」的检查轮次" in result.stderr
