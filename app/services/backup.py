"""Automatic and manual backups of the database file (备份与恢复).

A backup is a consistent snapshot made with SQLite's online backup API
(``sqlite3.Connection.backup``), so it is correct even while the app has the file open and
includes what the WAL holds. Each backup is one self-contained file (rollback journal, no
``-wal``) in ``<database folder>/backups/``, named
``<database name>_<YYYYMMDD-HHMMSS>_<reason>.sqlite3``, e.g.
``wangjiantong_20260114-093012_import.sqlite3``; several databases may share a folder.

Taken automatically: on the first start of a day (``daily``), before every import
(``import``), before a schema upgrade (``upgrade``), before a restore (``restore``) and before
a data package replaces the data (``package``). Automatic backups hold the database only;
evidence files (``evidence/``, named by SHA-256 and never rewritten) are not copied — the data
package (:mod:`app.services.package`) carries both.

Only the newest *keep* backups of a database are kept (default 20); older ones are deleted
after each new backup. The number is stored in ``backups/settings.json`` beside the backups
it governs: the command line and the window read the same value, it moves with the data
folder, and no schema change is needed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.errors import AppError, FileAccessError, ValidationError
from db.migrate import known_revisions

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
SETTINGS_FILE = "settings.json"
DEFAULT_KEEP = 20
MAX_KEEP = 999
REASONS = {
    "daily": "每日自动备份",
    "import": "导入前自动备份",
    "upgrade": "升级前自动备份",
    "restore": "恢复前自动备份",
    "package": "导入数据包前自动备份",
    "manual": "手动备份",
    "damaged": "损坏的原文件",
}
_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<ts>\d{8}-\d{6})(?:-(?P<seq>\d+))?_(?P<reason>[a-z]+)\.sqlite3$"
)
_TS_FORMAT = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the 备份与恢复 dialog lists it."""

    path: Path
    created: datetime
    reason: str
    size: int
    seq: int = 0

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def created_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def label(self) -> str:
        """'2026-01-14 09:30:12（导入前自动备份）'."""
        return f"{self.created_text}（{self.reason_text}）"


# -------------------------------------------------------------------------- sqlite helpers


def connect_existing(path: Path, *, timeout: float = 30) -> sqlite3.Connection:
    """Connect to an existing database file (never creates one; sqlite3.Error if missing).

    A plain path rather than a ``file:`` URI: URIs refuse Windows network (UNC) paths.
    """
    path = Path(path)
    if not path.is_file():
        raise sqlite3.OperationalError(f"unable to open database file: {path}")
    return sqlite3.connect(path, timeout=timeout)


def snapshot(source: Path, dest: Path) -> None:
    """Write a consistent copy of the database ``source`` to ``dest`` (one file, no WAL).

    Uses the online backup API in one step, so concurrent readers and a writer in another
    connection are fine. Writes to ``dest.part`` first and renames, so ``dest`` never exists
    half-written. Raises sqlite3.Error / OSError.
    """
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    try:
        with closing(connect_existing(source)) as src:
            with closing(sqlite3.connect(part)) as dst:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def integrity_problems(path: Path, limit: int = 20) -> list[str]:
    """``PRAGMA integrity_check`` of the file at ``path``: [] when it is sound."""
    try:
        with closing(connect_existing(path)) as conn:
            rows = conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def schema_revision(path: Path) -> str | None:
    """The Alembic revision stored in the file, None when it is no 网检通 database."""
    try:
        with closing(connect_existing(path)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def overwrite_database(source: Path, dest: Path) -> None:
    """Make the database ``dest`` hold exactly what ``source`` holds.

    The backup API writes into ``dest`` as one transaction (WAL mode is kept), so a crash
    half-way leaves ``dest`` as it was. A ``dest`` too damaged to open (bad header) is
    replaced as a file instead. Every connection of this process to ``dest`` should be
    closed first (the caller reopens afterwards).
    """
    try:
        with closing(connect_existing(source)) as src:
            with closing(sqlite3.connect(dest, timeout=30)) as dst:
                src.backup(dst)
        return
    except sqlite3.DatabaseError as exc:
        if integrity_problems(source):
            raise
        log.warning("backup API into %s failed (%s); replacing the file", dest, exc)
    part = dest.with_name(dest.name + ".restore.part")
    shutil.copyfile(source, part)
    with part.open("rb+") as fh:
        os.fsync(fh.fileno())
    for side in ("-wal", "-shm", "-journal"):
        dest.with_name(dest.name + side).unlink(missing_ok=True)
    os.replace(part, dest)


# -------------------------------------------------------------------------- the service


class BackupService:
    """Backups of the database file at ``db_path``; no open database needed."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path).expanduser().resolve()
        self.folder = self.db_path.parent / BACKUP_DIR_NAME

    # -- settings ---------------------------------------------------------------------
    def keep(self) -> int:
        """How many backups of this database to keep (保留份数)."""
        try:
            data = json.loads((self.folder / SETTINGS_FILE).read_text(encoding="utf-8"))
            value = int(data["keep"])
        except (OSError, ValueError, KeyError, TypeError):
            return DEFAULT_KEEP
        return min(max(value, 1), MAX_KEEP)

    def set_keep(self, count: int) -> None:
        """Store the number to keep; older backups go with the next backup."""
        if not 1 <= count <= MAX_KEEP:
            raise ValidationError(f"保留份数应在 1 到 {MAX_KEEP} 之间。", "keep")
        path = self.folder / SETTINGS_FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = {"keep": count}
            part = path.with_name(path.name + ".part")
            part.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(part, path)
        except OSError as exc:
            raise FileAccessError(
                f"无法保存备份设置到「{path}」：{exc.strerror or exc}。请确认该文件夹可写。"
            ) from exc

    # -- listing ----------------------------------------------------------------------
    def list(self) -> list[BackupInfo]:
        """This database's backups, newest first (other databases' files are ignored)."""
        found: list[BackupInfo] = []
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob("*.sqlite3"):
            info = _parse(path)
            if info is not None and _stem(path) == self.db_path.stem:
                found.append(info)
        found.sort(key=lambda b: (b.created, b.seq), reverse=True)
        return found

    def last_good(self) -> BackupInfo | None:
        """The newest backup that passes the integrity check (damaged copies skipped)."""
        for info in self.list():
            if info.reason != "damaged" and not integrity_problems(info.path):
                return info
        return None

    # -- commands ---------------------------------------------------------------------
    def create(self, reason: str) -> BackupInfo:
        """Snapshot the database now; then drop backups beyond :meth:`keep`.

        Raises FileAccessError (Chinese, naming the folder) when it cannot be written.
        """
        if reason not in REASONS:
            raise ValueError(reason)
        dest = self._new_path(reason)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            snapshot(self.db_path, dest)
        except (OSError, sqlite3.Error) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise FileAccessError(
                f"无法备份数据库「{self.db_path.name}」到文件夹「{self.folder}」：{detail}。"
                "请检查磁盘空间和文件夹权限。"
            ) from exc
        self.prune()
        info = _parse(dest)
        assert info is not None
        return info

    def daily_if_due(self, today: date | None = None) -> BackupInfo | None:
        """The first start of a day makes the day's backup; later starts do nothing."""
        today = today or date.today()
        if not self.db_path.exists():
            return None
        if any(b.reason == "daily" and b.created.date() == today for b in self.list()):
            return None
        return self.create("daily")

    def prune(self) -> list[Path]:
        """Delete the oldest backups beyond :meth:`keep`; returns what was deleted."""
        removed: list[Path] = []
        for info in self.list()[self.keep() :]:
            try:
                info.path.unlink()
                info.path.with_name(info.path.name + "-wal").unlink(missing_ok=True)  # damaged
                removed.append(info.path)
            except OSError as exc:  # an open file on Windows: try again next time
                log.warning("could not delete old backup %s: %s", info.path, exc)
        return removed

    def set_aside_damaged(self) -> Path:
        """Copy the (damaged) database file as it is, with its WAL, into the backup folder."""
        dest = self._new_path("damaged")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.db_path, dest)
            wal = self.db_path.with_name(self.db_path.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
        except OSError as exc:
            raise FileAccessError(
                f"无法把损坏的数据库另存到「{self.folder}」：{exc.strerror or exc}。"
                "请检查磁盘空间后重试。"
            ) from exc
        return dest

    def restore(self, backup: Path, reason: str = "restore") -> BackupInfo | None:
        """Replace the database's content with ``backup``; the current data is backed up first.

        Close every connection to the database before and reopen it after (the reopen
        upgrades a backup made by an older version). Returns the 恢复前 backup, or None
        when the current file was too damaged to back up (then it is set aside as is).
        ``reason`` names the backup of the current data (``restore`` or ``package``).
        Raises AppError (Chinese) when ``backup`` is damaged or not a 网检通 database;
        nothing is changed then.
        """
        backup = Path(backup)
        check_restorable(backup)
        before: BackupInfo | None = None
        if self.db_path.exists():
            if integrity_problems(self.db_path):
                self.set_aside_damaged()
            else:
                before = self.create(reason)
        try:
            overwrite_database(backup, self.db_path)
        except (OSError, sqlite3.Error) as exc:
            raise FileAccessError(
                f"无法用备份「{backup.name}」恢复数据库「{self.db_path.name}」：{exc}。"
                "数据库没有改动。请关闭其他可能打开该文件的程序后重试。"
            ) from exc
        return before

    def _new_path(self, reason: str) -> Path:
        """A name that sorts after every backup made in the same second (``…-2_…``)."""
        now = datetime.now().replace(microsecond=0)
        stamp = now.strftime(_TS_FORMAT)
        taken = [b.seq for b in self.list() if b.created == now]
        seq = max(taken) + 1 if taken else 1
        while True:
            suffix = f"-{seq}" if seq > 1 else ""
            path = self.folder / f"{self.db_path.stem}_{stamp}{suffix}_{reason}.sqlite3"
            if not path.exists():
                return path
            seq += 1


def check_restorable(path: Path) -> None:
    """Refuse (AppError, Chinese) a file that is damaged or no 网检通 database."""
    if not path.is_file():
        raise FileAccessError(f"备份文件「{path}」不存在，可能已被删除。请刷新列表后重选。")
    problems = integrity_problems(path)
    if problems:
        raise AppError(
            f"备份文件「{path.name}」已损坏（{problems[0]}），不能用来恢复。请选择另一个备份。"
        )
    revision = schema_revision(path)
    if revision is None:
        raise AppError(f"「{path.name}」不是网检通的数据库备份，不能用来恢复。")
    if revision not in known_revisions():
        raise AppError(
            f"「{path.name}」由更新版本的网检通创建，当前程序无法使用。请先升级程序再恢复。"
        )


def backup_before(db_path: Path, reason: str) -> BackupInfo | None:
    """The automatic backup before an import or upgrade (hook for the services).

    None for a file that does not exist yet (nothing to lose).
    """
    service = BackupService(db_path)
    if not service.db_path.exists():
        return None
    return service.create(reason)


def _stem(path: Path) -> str:
    match = _NAME.match(path.name)
    return match.group("stem") if match else ""


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        created = datetime.strptime(match.group("ts"), _TS_FORMAT)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, created, match.group("reason"), size, int(match.group("seq") or 1))
