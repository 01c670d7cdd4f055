"""Paths as Windows clerks have them: Chinese characters and spaces in every folder and file name.

The database, its backups and evidence, an import, the 通报 exports and a data package all
live under ``测试 文件夹/数据 2026``; the command line gets the same paths as arguments. The
user data folder is the platform's AppDataLocation + 组织名/程序名 (on Windows
``%APPDATA%\\wangjiantong\\网检通``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.database import open_database
from app.domain.scoring import Finding
from app.paths import APP_NAME, DB_FILENAME, ORG_NAME
from app.services.backup import BackupService
from app.services.package import export_package, import_package
from app.services.registry import Registry
from app.services.registry_import import apply_import, plan_import
from app.services.rounds import RoundInput
from db.enums import RoundKind, TargetType
from tests.test_cli import ROOT, run
from tests.test_cli_notice import ROUND, inspected_db

FOLDER = Path("测试 文件夹") / "数据 2026"


def _sheet(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "新媒体 台账"
    ws.append(["全县政务新媒体台账"])
    ws.append(["序号", "单位名称", "新媒体账号名称", "类型", "管理员", "联系电话"])
    ws.append(["一、已备案的政务新媒体"])
    for n in range(1, 6):
        ws.append([n, f"测试县 农业局{n}", f"测试 发布{n}", "微信", f"管理员{n}", "13800000000"])
    wb.save(path)


def test_database_import_evidence_notice_and_package_under_chinese_folders(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir(parents=True)
    db = open_database(folder / "台账 2026.sqlite3")
    try:
        registry = Registry(db, user="测试员")
        registry.demo.load()
        sheet = folder / "新媒体 台账（县直）.xlsx"
        _sheet(sheet)
        result = apply_import(registry, plan_import(registry, sheet), skip_bad_rows=False)
        assert result.added == 5
        backups = BackupService(db.path).list()  # taken before the import, beside the file
        assert [b.reason for b in backups] == ["import"]
        assert backups[0].path.is_relative_to(folder)

        round_id = registry.rounds.create(
            RoundInput(
                "2026年 第一季度",
                RoundKind.QUARTERLY,
                date(2026, 1, 1),
                date(2026, 3, 25),
                registry.indicators.default_id(TargetType.WEBSITE),
                registry.indicators.default_id(TargetType.ACCOUNT),
            )
        )
        targets = registry.inspection.targets(round_id)
        veto = next(
            i for i in registry.inspection.checklist(targets[0].id).rules.indicators
            if i.part == "veto"
        )  # fmt: skip
        registry.inspection.save(targets[0].id, [Finding(veto.code)])
        shot = folder / "截图 首页 1.png"
        shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
        evidence = registry.inspection.attach_evidence(targets[0].id, veto.code, shot)
        assert evidence.path.is_file() and evidence.path.is_relative_to(folder)
        registry.inspection.mark_passed([t.id for t in targets])

        notices = registry.notices
        draft, facts = notices.draft(round_id, today=date(2026, 4, 1))
        out = folder / "通报 输出"
        out.mkdir()
        written = notices.export(
            notices.document(draft, facts),
            pdf=out / "通报 2026年 第一季度.pdf",
            docx=out / "通报 草稿.docx",
            xlsx=out / "附件 表格.xlsx",
        )
        assert [p.name for p in written] == [
            "通报 2026年 第一季度.pdf", "通报 草稿.docx", "附件 表格.xlsx"
        ]  # fmt: skip
        assert written[0].read_bytes().startswith(b"%PDF-")
        assert load_workbook(written[2]).sheetnames[0] == "附件1"
        issued = notices.issue(round_id, draft, out / "印发 稿.pdf")
        assert issued.intact and issued.path.is_relative_to(folder)

        package = export_package(db.path, folder / "数据包 2026.zip", "测试员")
        assert zipfile.is_zipfile(package.path)
    finally:
        db.close()
    restored = tmp_path / "另一台 电脑" / "台账 恢复.sqlite3"
    import_package(restored, folder / "数据包 2026.zip")
    again = open_database(restored)
    try:
        assert [r.name for r in Registry(again).rounds.list()] == ["2026年 第一季度"]
    finally:
        again.close()


def test_command_line_takes_chinese_paths_with_spaces(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir(parents=True)
    db_path = inspected_db(folder)
    pdf, xlsx = folder / "通报 输出.pdf", folder / "导出 台账.xlsx"
    result = run("--db", str(db_path), "notice", "--round", ROUND, "--out", str(pdf),
                 tmp_path=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert str(pdf) in result.stdout or pdf.name in result.stdout
    result = run("--db", str(db_path), "export-registry", str(xlsx), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load_workbook(xlsx).sheetnames


def _data_dir_in_subprocess(env: dict[str, str], cwd: Path) -> Path:
    code = "from app.paths import default_db_path; print(default_db_path())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **env},
        cwd=cwd,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


@pytest.mark.skipif(sys.platform == "win32", reason="XDG variables are Linux")
def test_user_data_folder_under_the_profile_on_linux(tmp_path):
    home = tmp_path / "用户 主目录"
    found = _data_dir_in_subprocess({"HOME": str(home), "XDG_DATA_HOME": ""}, tmp_path)
    assert found == home / ".local" / "share" / ORG_NAME / APP_NAME / DB_FILENAME
    xdg = tmp_path / "数据 目录"
    found = _data_dir_in_subprocess({"HOME": str(home), "XDG_DATA_HOME": str(xdg)}, tmp_path)
    assert found == xdg / ORG_NAME / APP_NAME / DB_FILENAME


@pytest.mark.skipif(sys.platform != "win32", reason="Windows profile folders")
def test_user_data_folder_under_the_profile_on_windows(tmp_path):
    found = _data_dir_in_subprocess({}, tmp_path)
    assert found == Path(os.environ["APPDATA"]) / ORG_NAME / APP_NAME / DB_FILENAME
