"""``main.py --self-test``: the whole path on a fresh database, one Chinese line per step."""

from __future__ import annotations

from app.database import open_database
from app.self_test import STEPS, run_self_test
from app.services.registry import Registry
from tests.test_cli import run


def test_self_test_from_source_passes(tmp_path):
    result = run("--self-test", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("网检通自检：版本 ")
    steps = [line for line in lines if line.startswith("[")]
    assert len(steps) == len(STEPS) + 1  # + the main window
    assert all("：正常 —— " in line for line in steps), steps
    assert "生成通报：正常" in result.stdout and "PDF" in result.stdout
    assert "主窗口：正常" in result.stdout and "台账" in result.stdout
    assert lines[-1].startswith("自检通过")
    assert not (tmp_path / "xdg").exists()  # nothing written to the user's data folder


def test_a_failing_step_is_named_and_exits_1(tmp_path, capsys):
    lines: list[str] = []

    def broken(_registry) -> str:  # noqa: ANN001
        raise RuntimeError("模拟的故障")

    code = run_self_test([("模拟步骤", broken)], out=lines.append)
    assert code == 1
    assert lines[-2] == f"[{len(STEPS) + 1}/{len(STEPS) + 1}] 模拟步骤：失败 —— 模拟的故障"
    assert lines[-1].startswith("自检未通过：「模拟步骤」")
    assert "RuntimeError" in capsys.readouterr().err  # the traceback, for the maintainer


def test_a_missing_resource_fails_the_first_step(tmp_path, monkeypatch):
    monkeypatch.setattr("app.self_test.resource_path", lambda *parts: tmp_path.joinpath(*parts))
    lines: list[str] = []
    assert run_self_test(out=lines.append) == 1
    assert lines[1].startswith("[1/8] 资源文件：失败 —— 缺少资源文件：字体")
    assert "wqy-microhei.ttc" in lines[1]


def test_the_self_test_database_opens_again(tmp_path):
    """The steps leave a database the app opens again (checked before the folder goes)."""
    seen: list[str] = []

    def reopen(registry) -> str:  # noqa: ANN001
        registry.db.close()
        again = open_database(registry.db.path)
        try:
            seen.extend(r.status.value for r in Registry(again).rounds.list())
        finally:
            again.close()
        return "已重新打开"

    assert run_self_test([("重新打开数据库", reopen)], out=lambda _line: None) == 0
    assert seen == ["finalized"]
