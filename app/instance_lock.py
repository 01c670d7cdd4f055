"""One 网检通 at a time per database file: a lock file beside the database (单实例锁).

The window holds the lock for as long as it is open; a command-line command that writes
(``import-registry``, ``import-results``, ``import-package``) holds it while it runs, so it is
refused while the window has the file open and vice versa. Read-only commands (exports,
``stats``) take no lock: SQLite's WAL mode gives them a consistent snapshot.

``QLockFile`` (QtCore, no widgets) does the locking: the file is created exclusively and, on
Windows, kept open without delete sharing, on Linux also ``flock``-ed, so a live holder's lock
is never removed. A lock left by a process that no longer runs (crash, power cut, 任务管理器
结束任务) is detected as stale and taken over at once. Finding such a lock means the last
session did not end cleanly: :attr:`InstanceLock.previous_exit_unclean` tells the caller to
check the database (``PRAGMA integrity_check``).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLockFile

from app.errors import ConflictError, FileAccessError

LOCK_SUFFIX = ".lock"


def lock_path(db_path: Path) -> Path:
    """``wangjiantong.sqlite3`` → ``wangjiantong.sqlite3.lock`` in the same folder."""
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


class InstanceLock:
    """The lock on one database file; acquire before opening it for writing."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path).expanduser().resolve()
        self.path = lock_path(self.db_path)
        self._lock = QLockFile(str(self.path))
        self.previous_exit_unclean = False

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def acquire(self) -> None:
        """Take the lock or raise ConflictError (in use) / FileAccessError (folder not writable).

        Sets :attr:`previous_exit_unclean` when a stale lock from a crashed session was found.
        """
        if self.held:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileAccessError(
                f"无法创建数据文件夹「{self.path.parent}」：{exc.strerror or exc}"
            ) from exc
        left_over = self.path.exists()
        if self._lock.tryLock(0):
            self.previous_exit_unclean = left_over
            return
        error = self._lock.error()
        if error == QLockFile.LockError.LockFailedError:
            raise ConflictError(self._in_use_message())
        raise FileAccessError(
            f"无法在文件夹「{self.path.parent}」中创建锁文件，数据库「{self.db_path.name}」"
            "不能安全打开。请确认该文件夹可写（不是只读的U盘或网络位置），或把数据库复制到本机"
            "磁盘后再打开。"
        )

    def release(self) -> None:
        """Give the lock back (removes the lock file): the session ended cleanly."""
        if self.held:
            self._lock.unlock()

    def _in_use_message(self) -> str:
        info = self._lock.getLockInfo()  # (pid, host, app name); falsy when unreadable
        pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 else (0, "")
        who = f"（进程号 {pid}，计算机 {host}）" if pid else ""
        return (
            f"数据库「{self.db_path}」正被另一个网检通使用{who}。\n"
            "同一个数据库文件同时只能由一个网检通窗口或一个导入命令打开。"
            "请切换到已经打开的网检通窗口，或等待命令行导入结束后再试。\n"
            f"如果确定没有其他网检通在运行，请重新启动电脑后再打开；仍不能打开时，"
            f"请把锁文件「{self.path.name}」交给维护人员。"
        )

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
