"""Data package (数据包): all data — database and attached files — in one .zip to move or keep.

Layout of the .zip::

    manifest.json          app name, format and version, created, user, schema revision and
                           the size and SHA-256 of every other member
    database.sqlite3       a snapshot made with SQLite's online backup API
    evidence/ab/<sha256>.png …        the evidence files the database refers to
    rectification/ab/<sha256>.pdf …   units' rectification reports (整改报告)
    notices/<date>_<name>_<sha8>.pdf  issued notices kept with their SHA-256

:func:`import_package` checks everything before it changes anything: a file that is not a
zip, truncated or damaged, without or with an unknown manifest, with unsafe member names
(``../x``, absolute paths, drive letters), more members or more bytes than the limits below
(zip bombs), members that differ from the manifest, or a database that is damaged or from a
newer version is refused with a Chinese message and the current data stays as it was. Only
then is the current database backed up (``package``), the evidence files added (they are
named by content, so nothing is overwritten) and the package's database put in its place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from app.errors import AppError, FileAccessError, ImportFormatError, ValidationError
from app.io.table_reader import ImportCancelled
from app.paths import APP_NAME
from app.services.backup import (
    BackupInfo,
    BackupService,
    connect_existing,
    integrity_problems,
    schema_revision,
    snapshot,
)
from db.migrate import known_revisions

FORMAT = "wangjiantong-data-package"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DB_MEMBER = "database.sqlite3"
EVIDENCE_DIR = "evidence"
MAX_MEMBERS = 100_000
MAX_TOTAL_BYTES = 20 * 1024**3
MAX_MANIFEST_BYTES = 32 * 1024**2
_CHUNK = 1 << 20
_ATTACHMENT_NAME = re.compile(
    r"^(evidence|rectification)/[0-9a-f]{2}/[0-9a-f]{64}(\.[^./\\:*?\"<>|\x00-\x1f]{1,20})?$"
    r"|^notices/[^/\\:*?\"<>|\x00-\x1f]{1,200}$"
)
# folder beside the database → query for the stored names the database refers to
_ATTACHMENT_QUERIES = (
    (EVIDENCE_DIR, "SELECT DISTINCT stored_name FROM evidence"),
    (
        "rectification",
        "SELECT DISTINCT report_stored_name FROM rectification_item WHERE report_stored_name <> ''",
    ),
    ("notices", "SELECT DISTINCT stored_name FROM issued_notice"),
)
log = logging.getLogger(__name__)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class PackageSummary:
    """What an export wrote or an import brought in."""

    path: Path
    created: str
    user: str
    evidence_files: int
    size: int
    missing_evidence: int = 0
    backup: BackupInfo | None = None

    @property
    def created_text(self) -> str:
        try:
            return datetime.fromisoformat(self.created).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.created


# ---------------------------------------------------------------------------------- export


def export_package(
    db_path: Path,
    out: Path,
    user: str,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> PackageSummary:
    """Write the database and its evidence files to the .zip ``out`` (replaced if present).

    Raises FileAccessError (Chinese, naming the file) when it cannot be written and
    ImportCancelled on cancel; ``out`` is then left as it was.
    """
    db_path, out = Path(db_path).resolve(), Path(out).resolve()
    if out.suffix.lower() != ".zip":
        raise ValidationError(f"数据包文件名应以 .zip 结尾，如「{out.stem}.zip」。", "out")
    part = out.with_name(out.name + ".part")
    try:
        with tempfile.TemporaryDirectory(prefix="wangjiantong-export-") as tmp:
            db_copy = Path(tmp) / DB_MEMBER
            try:
                snapshot(db_path, db_copy)
            except (OSError, sqlite3.Error) as exc:
                raise FileAccessError(
                    f"无法读取数据库「{db_path}」来导出数据包：{exc}。请关闭其他程序后重试。"
                ) from exc
            files, missing = _attached_files(db_copy, db_path.parent)
            total = len(files) + 1
            members = []
            created = datetime.now().isoformat(timespec="seconds")
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                members.append(_add_member(zf, DB_MEMBER, db_copy))
                for n, (name, source) in enumerate(files, start=1):
                    _poll(n, total, progress, cancel)
                    members.append(_add_member(zf, name, source))
                manifest = {
                    "app": APP_NAME,
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created": created,
                    "user": user,
                    "schema_revision": schema_revision(db_copy),
                    "members": members,
                }
                zf.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1))
            _poll(total, total, progress, cancel)
            os.replace(part, out)
    except ImportCancelled:
        part.unlink(missing_ok=True)
        raise
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise FileAccessError(
            f"无法写入数据包「{out}」：{exc.strerror or exc}。"
            "请确认文件没有在其他程序中打开、磁盘（或U盘）有足够空间。"
        ) from exc
    return PackageSummary(out, created, user, len(files), out.stat().st_size, missing)


def _attached_files(db_copy: Path, data_dir: Path) -> tuple[list[tuple[str, Path]], int]:
    """(member name, file) of every attached file the snapshot refers to; count of missing."""
    stored: list[str] = []
    with closing(connect_existing(db_copy)) as conn:
        for folder, query in _ATTACHMENT_QUERIES:
            try:
                stored += [f"{folder}/{r[0]}" for r in conn.execute(query)]
            except sqlite3.OperationalError:  # a table an older schema does not have yet
                continue
    files: list[tuple[str, Path]] = []
    missing = 0
    for member in sorted(set(stored)):
        source = data_dir.joinpath(*member.split("/"))
        if _ATTACHMENT_NAME.match(member) and source.is_file():
            files.append((member, source))
        else:
            missing += 1
    return files, missing


def _add_member(zf: zipfile.ZipFile, name: str, source: Path) -> dict[str, object]:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _poll(done: int, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled()
    if progress is not None:
        progress(done, total)


# ---------------------------------------------------------------------------------- import


@dataclass(frozen=True)
class VerifiedPackage:
    """A package whose members were checked and extracted into a work folder."""

    source: Path
    manifest: dict
    database: Path
    attachments: list[tuple[str, Path]]  # (member name such as evidence/ab/…, extracted file)


def import_package(
    db_path: Path,
    package: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> PackageSummary:
    """Replace the data of the database at ``db_path`` with the package's (checked first).

    The current database is backed up (导入数据包前自动备份) before it is replaced; evidence
    files are added beside the existing ones. Close every connection to the database first
    and reopen it afterwards (an older package's schema is upgraded then). Raises
    ImportFormatError / FileAccessError / AppError (Chinese) with nothing changed, or
    ImportCancelled (cancel works until the checks are done).
    """
    db_path, package = Path(db_path).resolve(), Path(package).resolve()
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".package-import-", dir=db_path.parent))
    except OSError as exc:
        raise FileAccessError(
            f"无法在「{db_path.parent}」中创建临时文件夹：{exc.strerror or exc}。请确认该文件夹可写。"
        ) from exc
    try:
        verified = verify_package(package, work, progress, cancel)
        if cancel is not None and cancel():
            raise ImportCancelled()
        # nothing changed up to here; from now on the steps are quick and not cancellable
        added = _add_attachments(verified.attachments, db_path.parent)
        backup = BackupService(db_path).restore(verified.database, reason="package")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest = verified.manifest
    return PackageSummary(
        package,
        str(manifest.get("created", "")),
        str(manifest.get("user", "")),
        added,
        package.stat().st_size,
        backup=backup,
    )


def _add_attachments(files: list[tuple[str, Path]], data_dir: Path) -> int:
    """Move the extracted files into place (names carry their content hash: existing kept)."""
    for member, extracted in files:
        target = data_dir.joinpath(*member.split("/"))
        if target.exists():
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(extracted, target)
        except OSError as exc:
            raise FileAccessError(
                f"无法把附件文件写入「{target.parent}」：{exc.strerror or exc}。数据库没有改动，"
                "请检查磁盘空间和文件夹权限后重试。"
            ) from exc
    return len(files)


def verify_package(
    path: Path,
    work: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> VerifiedPackage:
    """Check the package at ``path`` and extract it into ``work``; AppError if anything is off."""
    label = f"「{path.name}」"
    if not path.is_file():
        raise FileAccessError(f"找不到数据包{label}（{path}）。请确认文件位置后重试。")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        if magic[:2] != b"PK":
            raise ImportFormatError(
                f"{label}不是网检通数据包（不是 .zip 文件）。请选择用“文件 → 导出数据包”生成的"
                " .zip 文件。当前数据没有改动。"
            )
        with zipfile.ZipFile(path) as zf:
            return _verify(zf, path, label, work, progress, cancel)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        log.warning("damaged package %s: %s", path, exc)
        raise ImportFormatError(
            f"{label}已损坏或不完整（可能复制或下载时中断），无法导入。"
            "请重新导出数据包或重新复制该文件。当前数据没有改动。"
        ) from exc
    except OSError as exc:
        raise FileAccessError(
            f"无法读取数据包{label}：{exc.strerror or exc}。当前数据没有改动。"
        ) from exc


def _verify(
    zf: zipfile.ZipFile,
    path: Path,
    label: str,
    work: Path,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> VerifiedPackage:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFormatError(
            f"{label}包含 {len(infos)} 个文件，超过上限 {MAX_MEMBERS}，已拒绝导入"
            "（可能是恶意构造的压缩包）。当前数据没有改动。"
        )
    names = [i.filename for i in infos]
    for name in names:
        if _unsafe(name):
            raise ImportFormatError(
                f"{label}包含不安全的文件路径「{name}」，已拒绝导入（文件可能被篡改）。"
                "请向发送方重新索取用“导出数据包”生成的文件。当前数据没有改动。"
            )
    if len(set(names)) != len(names):
        raise ImportFormatError(
            f"{label}中有重名的文件，不是有效的网检通数据包。当前数据没有改动。"
        )
    manifest = _manifest(zf, label)
    declared = {m["name"]: m for m in manifest["members"]}
    expected = set(declared) | {MANIFEST_NAME}
    if set(names) != expected or DB_MEMBER not in declared:
        details = []
        if extra := sorted(set(names) - expected)[:3]:
            details.append(f"多出：{'、'.join(extra)}")
        if lacking := sorted(expected - set(names))[:3]:
            details.append(f"缺少：{'、'.join(lacking)}")
        detail = "；".join(details)
        raise ImportFormatError(
            f"{label}的内容与清单不符（{detail or '缺少数据库'}），文件可能被改动或不完整。"
            "请重新导出数据包。当前数据没有改动。"
        )
    total_size = 0
    for info in infos:
        if info.filename == MANIFEST_NAME:
            continue
        if info.file_size != declared[info.filename]["size"]:
            raise ImportFormatError(
                f"{label}中的「{info.filename}」大小与清单不符，文件可能被改动。请重新导出数据包。"
                "当前数据没有改动。"
            )
        total_size += info.file_size
    if total_size > MAX_TOTAL_BYTES:
        raise ImportFormatError(
            f"{label}解压后共 {_size_text(total_size)}，超过上限 {_size_text(MAX_TOTAL_BYTES)}，"
            "已拒绝导入（可能是恶意构造的压缩包）。当前数据没有改动。"
        )
    free = shutil.disk_usage(work).free
    if total_size + 64 * 1024**2 > free:
        raise FileAccessError(
            f"磁盘空间不足：导入{label}需要约 {_size_text(total_size)}，"
            f"「{work.parent}」所在磁盘只剩 {_size_text(free)}。请清理磁盘后重试。"
        )
    attachments: list[tuple[str, Path]] = []
    members = [i for i in infos if i.filename != MANIFEST_NAME]
    for n, info in enumerate(members):
        _poll(n, len(members) + 1, progress, cancel)
        target = work.joinpath(*info.filename.split("/"))
        if not target.resolve().is_relative_to(work.resolve()):  # belt and braces
            raise ImportFormatError(f"{label}包含不安全的文件路径「{info.filename}」，已拒绝导入。")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, target.open("wb") as dst:
            digest = _copy_limited(src, dst, info.file_size, label, info.filename)
        if digest != declared[info.filename]["sha256"]:
            raise ImportFormatError(
                f"{label}中的「{info.filename}」校验失败（SHA-256 与清单不符），文件已损坏或被改动。"
                "请重新导出数据包。当前数据没有改动。"
            )
        if info.filename != DB_MEMBER:
            attachments.append((info.filename, target))
    database = work / DB_MEMBER
    _check_database(database, label)
    return VerifiedPackage(path, manifest, database, attachments)


def _unsafe(name: str) -> bool:
    """Traversal, absolute paths, drive letters, backslashes or control characters."""
    parts = name.split("/")
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or ":" in name
        or any(part in ("", ".", "..") for part in parts[:-1])
        or parts[-1] in (".", "..")
        or any(ord(ch) < 32 for ch in name)
    )


def _manifest(zf: zipfile.ZipFile, label: str) -> dict:
    foreign = (
        f"{label}不是网检通数据包（{{}}）。请选择用“文件 → 导出数据包”生成的 .zip 文件。"
        "当前数据没有改动。"
    )
    try:
        info = zf.getinfo(MANIFEST_NAME)
    except KeyError:
        raise ImportFormatError(foreign.format("缺少清单 manifest.json")) from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ImportFormatError(foreign.format("清单过大"))
    try:
        with zf.open(info) as fh:
            data = json.loads(fh.read(MAX_MANIFEST_BYTES + 1).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFormatError(foreign.format("清单无法读取")) from None
    if not isinstance(data, dict) or data.get("app") != APP_NAME or data.get("format") != FORMAT:
        raise ImportFormatError(foreign.format("清单不是网检通的"))
    version = data.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ImportFormatError(foreign.format("清单中的格式版本无效"))
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            f"{label}由更新版本的网检通导出（数据包格式 {version}），当前程序无法导入。"
            "请先升级程序。当前数据没有改动。"
        )
    members = data.get("members")
    if not isinstance(members, list) or not all(_valid_entry(m) for m in members):
        raise ImportFormatError(foreign.format("清单中的文件列表无效"))
    if len({m["name"] for m in members}) != len(members):
        raise ImportFormatError(foreign.format("清单中有重名的文件"))
    for m in members:
        if m["name"] != DB_MEMBER and not _ATTACHMENT_NAME.match(m["name"]):
            raise ImportFormatError(foreign.format(f"清单列出了未知的文件「{m['name']}」"))
    return data


def _valid_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("size"), int)
        and not isinstance(entry.get("size"), bool)
        and entry["size"] >= 0
        and isinstance(entry.get("sha256"), str)
        and bool(_SHA256.match(entry["sha256"]))
    )


def _copy_limited(src: IO[bytes], dst: IO[bytes], size: int, label: str, name: str) -> str:
    """Copy at most ``size`` bytes (the declared size) and return the SHA-256."""
    digest = hashlib.sha256()
    copied = 0
    while chunk := src.read(_CHUNK):
        copied += len(chunk)
        if copied > size:
            raise ImportFormatError(
                f"{label}中的「{name}」解压后比声明的大，已拒绝导入（文件可能被篡改）。"
                "当前数据没有改动。"
            )
        digest.update(chunk)
        dst.write(chunk)
    return digest.hexdigest()


def _check_database(database: Path, label: str) -> None:
    problems = integrity_problems(database)
    if problems:
        raise ImportFormatError(
            f"{label}中的数据库已损坏（{problems[0]}），无法导入。请重新导出数据包。当前数据没有改动。"
        )
    revision = schema_revision(database)
    if revision is None:
        raise ImportFormatError(f"{label}中的数据库不是网检通数据库，无法导入。当前数据没有改动。")
    if revision not in known_revisions():
        raise AppError(
            f"{label}中的数据库由更新版本的网检通创建，当前程序无法打开。请先升级程序。"
            "当前数据没有改动。"
        )


def _size_text(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    if size >= 1024**2:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} 字节"
