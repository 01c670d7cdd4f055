"""导入数据包 refuses every bad package with a clear Chinese message and changes nothing:
not a zip, damaged, truncated, foreign (no or unknown manifest), zip-slip names, zip bombs
(too many members, too many bytes), members that differ from the manifest, a bad database."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

import app.services.package as package
from app.database import open_database
from app.errors import AppError
from app.services.dto import UnitInput
from app.services.package import DB_MEMBER, MANIFEST_NAME, export_package, import_package
from app.services.registry import Registry
from tests.services.test_package import dump, tree
from tests.services.test_rounds_inspection import round_input


@pytest.fixture
def good(registry, tmp_path) -> Path:
    """A sound package (demo data and one evidence file)."""
    registry.demo.load()
    shot = tmp_path / "截图.png"
    shot.write_bytes(b"\x89PNG" + b"x" * 5000)
    round_id = registry.rounds.create(round_input(registry))
    target = registry.inspection.targets(round_id)[0]
    registry.inspection.attach_evidence(target.id, "W-V1", shot)
    out = tmp_path / "好的数据包.zip"
    export_package(registry.db.path, out, "测试员")
    return out


@pytest.fixture
def clerk(tmp_path) -> Path:
    """The clerk's own database, with data, closed (as the window closes it to import)."""
    path = tmp_path / "本机" / "wangjiantong.sqlite3"
    db = open_database(path)
    Registry(db, user="乙").units.create(UnitInput(name="本机的单位", region="通城县"))
    db.close()
    (path.parent / "evidence" / "cd").mkdir(parents=True)
    (path.parent / "evidence" / "cd" / "existing.png").write_bytes(b"mine")
    return path


def state(db_path: Path) -> tuple:
    """Everything an import could change: content, evidence, backups, the folder's files."""
    return (
        dump(db_path),
        tree(db_path.parent / "evidence"),
        sorted(p.name for p in db_path.parent.iterdir()),
    )


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name != MANIFEST_NAME}


def manifest_for(members: dict[str, bytes], **changes: object) -> dict:
    manifest = {
        "app": "网检通",
        "format": package.FORMAT,
        "format_version": package.FORMAT_VERSION,
        "created": "2026-01-14T09:30:00",
        "user": "测试员",
        "members": [
            {"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
            for n, d in members.items()
        ],
    }
    manifest.update(changes)
    return manifest


def build(
    path: Path,
    members: dict[str, bytes],
    manifest: dict | bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A zip with ``members`` (+ ``extra`` not in the manifest); manifest computed unless given."""
    if manifest is None:
        manifest = manifest_for(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**members, **(extra or {})}.items():
            zf.writestr(name, data)
        if manifest is not False:
            body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
            zf.writestr(MANIFEST_NAME, body)
    return path


def refused(clerk: Path, bad: Path, message: str) -> str:
    """Import ``bad``: must raise with ``message`` and leave the clerk's data as it was."""
    before = state(clerk)
    with pytest.raises(AppError) as caught:
        import_package(clerk, bad)
    text = caught.value.message
    assert message in text, text
    assert f"「{bad.name}」" in text and "Traceback" not in text
    assert state(clerk) == before
    return text


def test_the_good_package_is_accepted(clerk, good):
    import_package(clerk, good)  # the baseline the bad cases differ from
    with closing(sqlite3.connect(clerk)) as conn:
        assert conn.execute("SELECT count(*) FROM website").fetchone()[0] == 49


# ------------------------------------------------------------------ not a package at all


def test_a_file_that_is_not_a_zip(clerk, tmp_path):
    bad = tmp_path / "台账.zip"
    bad.write_text("序号,单位名称\n1,县公安局\n", encoding="utf-8")
    refused(clerk, bad, "不是网检通数据包（不是 .zip 文件）")


def test_an_empty_file(clerk, tmp_path):
    bad = tmp_path / "空.zip"
    bad.write_bytes(b"")
    refused(clerk, bad, "不是 .zip 文件")


def test_a_missing_file(clerk, tmp_path):
    before = state(clerk)
    with pytest.raises(AppError, match="找不到数据包「不存在.zip」"):
        import_package(clerk, tmp_path / "不存在.zip")
    assert state(clerk) == before


def test_a_zip_without_manifest_is_foreign(clerk, tmp_path):
    bad = build(tmp_path / "照片.zip", {"IMG_0001.jpg": b"jpeg"}, manifest=False)
    refused(clerk, bad, "不是网检通数据包（缺少清单 manifest.json）")


def test_a_manifest_of_another_program(clerk, good, tmp_path):
    members = members_of(good)
    bad = build(tmp_path / "别的.zip", members, manifest_for(members, app="其他软件"))
    refused(clerk, bad, "清单不是网检通的")


def test_a_manifest_that_is_not_json(clerk, good, tmp_path):
    bad = build(tmp_path / "坏清单.zip", members_of(good), manifest=b"{not json")
    refused(clerk, bad, "清单无法读取")


def test_a_package_from_a_newer_version(clerk, good, tmp_path):
    members = members_of(good)
    bad = build(tmp_path / "新版.zip", members, manifest_for(members, format_version=99))
    refused(clerk, bad, "由更新版本的网检通导出（数据包格式 99）")


# ------------------------------------------------------------------ damaged or truncated


def test_a_truncated_package(clerk, good, tmp_path):
    bad = tmp_path / "只复制了一半.zip"
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    refused(clerk, bad, "已损坏或不完整")


def test_a_package_with_flipped_bytes(clerk, good, tmp_path):
    bad = tmp_path / "损坏.zip"
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo(DB_MEMBER)
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    for i in range(middle, middle + 64):
        data[i] ^= 0xFF
    bad.write_bytes(bytes(data))
    refused(clerk, bad, "已损坏或不完整")


def test_a_member_changed_after_export(clerk, good, tmp_path):
    members = members_of(good)
    manifest = manifest_for(members)
    (evidence,) = [name for name in members if name.startswith("evidence/")]
    members[evidence] = b"\x89PNG" + b"y" * 5000  # same size, other content
    bad = build(tmp_path / "被改动.zip", members, manifest)
    refused(clerk, bad, "校验失败（SHA-256 与清单不符）")


def test_a_size_that_differs_from_the_manifest(clerk, good, tmp_path):
    members = members_of(good)
    manifest = manifest_for(members)
    manifest["members"][0]["size"] += 1
    bad = build(tmp_path / "大小不符.zip", members, manifest)
    refused(clerk, bad, "大小与清单不符")


def test_a_missing_member(clerk, good, tmp_path):
    members = members_of(good)
    manifest = manifest_for(members)
    del members[DB_MEMBER]
    bad = build(tmp_path / "缺数据库.zip", members, manifest)
    refused(clerk, bad, f"缺少：{DB_MEMBER}")


def test_an_extra_member(clerk, good, tmp_path):
    bad = build(tmp_path / "多文件.zip", members_of(good), extra={"evidence/run.bat": b"x"})
    refused(clerk, bad, "多出：evidence/run.bat")


def test_duplicate_member_names(clerk, good, tmp_path):
    members = members_of(good)
    bad = build(tmp_path / "重名.zip", members)
    with pytest.warns(UserWarning), zipfile.ZipFile(bad, "a") as zf:
        zf.writestr(DB_MEMBER, b"second copy")
    refused(clerk, bad, "重名")


# ------------------------------------------------------------------ hostile names (zip-slip)


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "../../wangjiantong.sqlite3",
        "evidence/../../x.png",
        "/etc/cron.d/x",
        "C:/Windows/x.dll",
        "evidence\\..\\..\\x",
        "evidence/./ab/x",
    ],
)
def test_unsafe_member_names(clerk, good, tmp_path, name):
    members = members_of(good)
    members[name] = b"payload"
    bad = build(tmp_path / "恶意.zip", members)  # listed in the manifest too
    refused(clerk, bad, f"包含不安全的文件路径「{name}」")
    assert not any((folder / "x").exists() for folder in (tmp_path, clerk.parent))


# ------------------------------------------------------------------ zip bombs


def test_too_many_members(clerk, good, tmp_path, monkeypatch):
    members = members_of(good)
    for i in range(6):
        members[f"evidence/{i:02x}/{i:064x}.png"] = b"x"
    bad = build(tmp_path / "很多文件.zip", members)
    monkeypatch.setattr(package, "MAX_MEMBERS", 5)
    refused(clerk, bad, "超过上限 5")


def test_too_many_bytes_once_unpacked(clerk, good, tmp_path, monkeypatch):
    members = members_of(good)
    members["evidence/00/" + "0" * 64 + ".png"] = b"\0" * (12 * 1024 * 1024)  # zips to ~12 KB
    bad = build(tmp_path / "压缩炸弹.zip", members)
    assert bad.stat().st_size < 1024 * 1024
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", 10 * 1024 * 1024)
    refused(clerk, bad, "超过上限 10.0 MB")


def test_an_oversized_manifest(clerk, good, tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_MANIFEST_BYTES", 100)
    refused(clerk, good, "清单过大")


# ------------------------------------------------------------------ the database inside


def repackaged(good: Path, tmp_path: Path, name: str, change: Callable[[Path], None]) -> Path:
    """The good package with its database changed by ``change`` (manifest made to match)."""
    members = members_of(good)
    db_file = tmp_path / "db.sqlite3"
    db_file.write_bytes(members[DB_MEMBER])
    change(db_file)
    members[DB_MEMBER] = db_file.read_bytes()
    return build(tmp_path / name, members)


def test_a_database_that_is_garbage(clerk, good, tmp_path):
    bad = repackaged(good, tmp_path, "坏库.zip", lambda p: p.write_bytes(b"\0" * 4096))
    refused(clerk, bad, "中的数据库已损坏")


def test_a_database_of_another_program(clerk, good, tmp_path):
    def foreign(p: Path) -> None:
        p.unlink()
        with closing(sqlite3.connect(p)) as conn:
            conn.execute("CREATE TABLE stuff (x)")

    bad = repackaged(good, tmp_path, "别的库.zip", foreign)
    refused(clerk, bad, "中的数据库不是网检通数据库")


def test_a_database_from_a_newer_version(clerk, good, tmp_path):
    def newer(p: Path) -> None:
        with closing(sqlite3.connect(p)) as conn:
            conn.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
            conn.commit()

    bad = repackaged(good, tmp_path, "新版库.zip", newer)
    refused(clerk, bad, "中的数据库由更新版本的网检通创建")
