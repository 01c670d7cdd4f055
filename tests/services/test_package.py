"""Data package (数据包): export the database and its evidence to one .zip, import it elsewhere."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from app.database import open_database
from app.errors import ValidationError
from app.io.table_reader import ImportCancelled
from app.services.backup import BackupService, integrity_problems
from app.services.dto import UnitInput
from app.services.package import (
    DB_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    export_package,
    import_package,
)
from app.services.registry import Registry
from db.migrate import current_revision, head_revision
from tests.db.test_upgrade import first_release_file  # noqa: F401 (fixture)
from tests.services.test_backup import corrupt
from tests.services.test_rounds_inspection import round_input, small  # noqa: F401 (fixture)


def dump(path: Path) -> list[str]:
    """The whole database as SQL text (compares content, not file bytes)."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def source(registry, small, tmp_path) -> Registry:  # noqa: F811
    """Registry data, a round and three evidence files (one attached twice)."""
    round_id = registry.rounds.create(round_input(registry))
    targets = registry.inspection.targets(round_id)
    for i, name in enumerate(["首页截图.png", "栏目截图.jpg", "说明.pdf"]):
        shot = tmp_path / name
        shot.write_bytes(f"evidence {i} ".encode() * 1000)
        registry.inspection.attach_evidence(targets[0].id, "W-V1", shot)
    registry.inspection.attach_evidence(targets[1].id, "W-V1", tmp_path / "首页截图.png")
    return registry


@pytest.fixture
def target(tmp_path) -> Registry:
    """Another office's database with data of its own (to be replaced)."""
    folder = tmp_path / "另一台电脑"
    db = open_database(folder / "wangjiantong.sqlite3")
    registry = Registry(db, user="乙")
    registry.units.create(UnitInput(name="原有单位", region="别县"))
    yield registry
    db.close()


def test_a_package_carries_database_and_evidence_to_another_database(source, target, tmp_path):
    out = tmp_path / "导出" / "网检通数据包.zip"
    out.parent.mkdir()
    exported = export_package(source.db.path, out, "测试员")
    assert exported.path == out and exported.evidence_files == 3 and exported.missing_evidence == 0
    assert exported.size == out.stat().st_size
    assert not out.with_name(out.name + ".part").exists()

    before_target = dump(target.db.path)
    target.db.close()
    imported = import_package(target.db.path, out)
    assert imported.user == "测试员" and imported.evidence_files == 3
    assert dump(target.db.path) == dump(source.db.path)
    assert tree(target.db.path.parent / "evidence") == tree(source.db.path.parent / "evidence")
    assert imported.backup is not None and imported.backup.reason == "package"
    assert dump(imported.backup.path) == before_target  # what was there is kept
    assert not list(target.db.path.parent.glob(".package-import-*"))  # work folder removed
    reopened = open_database(target.db.path)
    try:
        again = Registry(reopened)
        assert [
            e.file_name
            for e in again.inspection.checklist(
                again.inspection.targets(again.rounds.list()[0].id)[0].id
            ).evidence
        ] == ["首页截图.png", "栏目截图.jpg", "说明.pdf"]
    finally:
        reopened.close()


def test_the_manifest_names_app_format_user_and_every_member_with_its_hash(source, tmp_path):
    out = tmp_path / "p.zip"
    export_package(source.db.path, out, "测试员")
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read(MANIFEST_NAME))
        assert manifest["app"] == "网检通" and manifest["format"] == FORMAT
        assert manifest["format_version"] == FORMAT_VERSION and manifest["user"] == "测试员"
        assert manifest["schema_revision"] == head_revision() and manifest["created"]
        members = {m["name"]: m for m in manifest["members"]}
        assert set(members) | {MANIFEST_NAME} == set(zf.namelist())
        assert DB_MEMBER in members and len(members) == 4
        for name, entry in members.items():
            data = zf.read(name)
            assert entry["size"] == len(data)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()
            if name != DB_MEMBER:
                assert name.startswith("evidence/") and entry["sha256"] in name


def test_missing_evidence_files_are_counted_not_fatal(source, tmp_path):
    first = next((source.db.path.parent / "evidence").rglob("*.png"))
    first.unlink()
    summary = export_package(source.db.path, tmp_path / "p.zip", "测试员")
    assert summary.evidence_files == 2 and summary.missing_evidence == 1


def test_export_wants_a_zip_name_and_cancel_leaves_nothing(source, tmp_path):
    with pytest.raises(ValidationError, match=r"\.zip"):
        export_package(source.db.path, tmp_path / "数据包.sqlite3", "测试员")
    out = tmp_path / "p.zip"
    out.write_bytes(b"an older package")
    with pytest.raises(ImportCancelled):
        export_package(source.db.path, out, "测试员", cancel=lambda: True)
    assert out.read_bytes() == b"an older package"
    assert sorted(p.name for p in tmp_path.glob("p.zip*")) == ["p.zip"]


def test_cancel_while_checking_an_import_changes_nothing(source, target, tmp_path):
    out = tmp_path / "p.zip"
    export_package(source.db.path, out, "测试员")
    before = dump(target.db.path)
    target.db.close()
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ImportCancelled):
        import_package(target.db.path, out, cancel=cancel)
    assert dump(target.db.path) == before
    assert BackupService(target.db.path).list() == []
    assert tree(target.db.path.parent / "evidence") == {}


def test_a_package_replaces_a_damaged_database(source, target, tmp_path):
    out = tmp_path / "p.zip"
    export_package(source.db.path, out, "测试员")
    target.db.close()
    corrupt(target.db.path)
    assert integrity_problems(target.db.path)
    summary = import_package(target.db.path, out)
    assert summary.backup is None  # too damaged to back up: set aside as it was
    assert [b.reason for b in BackupService(target.db.path).list()] == ["damaged"]
    assert dump(target.db.path) == dump(source.db.path)


def test_a_package_from_the_first_release_is_upgraded_when_opened(
    first_release_file,  # noqa: F811
    target,
    tmp_path,
):
    out = tmp_path / "old.zip"
    export_package(first_release_file, out, "老版本")
    target.db.close()
    import_package(target.db.path, out)
    database = open_database(target.db.path)
    try:
        assert current_revision(database.engine) == head_revision()
        assert [u.name for u in Registry(database).units.list()] == ["县公安局", "麦市镇人民政府"]
    finally:
        database.close()


def test_a_package_carries_rectification_reports_and_issued_notices(source, target, tmp_path):
    from app.domain.scoring import Finding

    round_id = source.rounds.list()[0].id
    targets = source.inspection.targets(round_id)
    veto = next(
        i for i in source.inspection.checklist(targets[0].id).rules.indicators if i.part == "veto"
    )
    source.inspection.save(targets[0].id, [Finding(veto.code)])
    source.inspection.mark_passed([t.id for t in targets[1:]])
    item = source.rectification.list()[0]
    report = tmp_path / "整改报告.docx"
    report.write_bytes(b"report " * 100)
    source.rectification.record_report(item.id, item.found_on, "已整改", report)
    draft, _ = source.notices.draft(round_id)
    issued = source.notices.issue(round_id, draft, tmp_path / "通报.pdf")

    out = tmp_path / "包.zip"
    exported = export_package(source.db.path, out, "测试员")
    assert exported.evidence_files == 5 and exported.missing_evidence == 0
    names = zipfile.ZipFile(out).namelist()
    assert f"notices/{issued.path.name}" in names
    assert any(n.startswith("rectification/") for n in names)

    target.db.close()
    import_package(target.db.path, out)
    reopened = open_database(target.db.path)
    try:
        again = Registry(reopened)
        (copied,) = again.notices.history()
        assert copied.intact and copied.sha256 == issued.sha256
        row = again.rectification.get(item.id).row
        assert row.report_path is not None and row.report_path.read_bytes() == report.read_bytes()
    finally:
        reopened.close()
