"""``main.py notice``: the round's 通报 as PDF (+ .docx/.xlsx) from a script, and --issue."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.database import open_database
from app.domain.scoring import Finding
from app.services.registry import Registry
from app.services.rounds import RoundInput
from db.enums import RoundKind, TargetType
from tests.test_cli import run

ROUND = "2026年第三季度"


def inspected_db(tmp_path: Path, *, complete: bool = True) -> Path:
    """Demo registry, one round; every site inspected, the first one failing a veto."""
    db_path = tmp_path / "db.sqlite3"
    db = open_database(db_path)
    try:
        r = Registry(db, user="测试员")
        r.demo.load()
        rid = r.rounds.create(
            RoundInput(
                ROUND,
                RoundKind.QUARTERLY,
                date(2026, 7, 1),
                date(2026, 9, 20),
                r.indicators.default_id(TargetType.WEBSITE),
                r.indicators.default_id(TargetType.ACCOUNT),
                report_deadline=date(2026, 10, 20),
            )
        )
        targets = r.inspection.targets(rid)
        if not complete:
            targets = targets[:3]
        veto = next(
            i for i in r.inspection.checklist(targets[0].id).rules.indicators if i.part == "veto"
        )
        for n, t in enumerate(targets):
            if t.kind is TargetType.ACCOUNT and n % 2:
                continue
            r.inspection.save(t.id, [Finding(veto.code)] if n == 0 else [])
        if complete:
            r.inspection.mark_passed([t.id for t in targets])
    finally:
        db.close()
    return db_path


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")
def test_notice_writes_pdf_docx_xlsx(tmp_path):
    db_path = inspected_db(tmp_path)
    out = tmp_path / "通报.pdf"
    result = run(
        "--db", str(db_path), "notice", "--round", ROUND, "--out", str(out),
        "--docx", str(tmp_path / "通报.docx"), "--xlsx", str(tmp_path / "附件.xlsx"),
        tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert f"关于{ROUND}" in flat and "一、总体情况" in flat and "附件1" in flat
    assert "政府网站共49个" in flat and "合格48个，不合格1个，合格率为98.0%" in flat
    paragraphs = "".join(p.text for p in Document(str(tmp_path / "通报.docx")).paragraphs)
    assert "合格率为98.0%" in paragraphs
    assert load_workbook(tmp_path / "附件.xlsx").sheetnames[0] == "附件1"
    db = open_database(db_path)
    try:
        assert Registry(db).rounds.get(Registry(db).rounds.find_id(ROUND)).status.value == "open"
    finally:
        db.close()


def test_notice_issue_finalises_and_refuses_a_second_time(tmp_path):
    db_path = inspected_db(tmp_path)
    out = tmp_path / "印发.pdf"
    first = run(
        "--db",
        str(db_path),
        "notice",
        "--round",
        ROUND,
        "--out",
        str(out),
        "--issue",
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert "已定稿" in first.stdout and out.is_file()
    second = run(
        "--db", str(db_path), "notice", "--round", ROUND, "--out", str(tmp_path / "2.pdf"), "--issue",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert second.returncode == 1 and "已印发" in second.stderr
    assert "Traceback" not in second.stderr and not (tmp_path / "2.pdf").exists()


def test_notice_errors_are_clear(tmp_path):
    db_path = inspected_db(tmp_path, complete=False)
    missing = run(
        "--db", str(db_path), "notice", "--round", "不存在", "--out", "x.pdf", tmp_path=tmp_path
    )
    assert missing.returncode == 1 and "没有名为「不存在」的检查轮次" in missing.stderr
    assert ROUND in missing.stderr
    no_dir = run(
        "--db", str(db_path), "notice", "--round", ROUND, "--out", str(tmp_path / "无此目录" / "x.pdf"),
        tmp_path=tmp_path,
    )  # fmt: skip
    assert no_dir.returncode == 1 and "不存在" in no_dir.stderr and "Traceback" not in no_dir.stderr
    pending = run(
        "--db", str(db_path), "notice", "--round", ROUND, "--out", str(tmp_path / "p.pdf"), "--issue",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert pending.returncode == 1 and "未检查" in pending.stderr
    assert not (tmp_path / "p.pdf").exists()
