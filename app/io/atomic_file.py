"""Write a file through a temporary file beside it and a rename (all or nothing).

Every export (.xlsx, .pdf, .docx) goes through :func:`atomic_write`: a failure or a cancel
never leaves half a file behind and never destroys the file that was there before; OS errors
become :class:`~app.errors.FileAccessError` with a Chinese message naming the file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import FileAccessError


def with_suffix(path: Path | str, suffix: str) -> Path:
    """``path`` ending in ``suffix`` (e.g. ".pdf"): appended unless already there (any case).

    Appending keeps names like ``2023.03通报`` whole instead of replacing ".03通报".
    """
    path = Path(path)
    if path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    return path


@contextmanager
def atomic_write(path: Path, *, opened_in: str) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success rename it onto ``path``.

    ``opened_in`` names the program that may hold the target open, spaced as it reads in
    "文件可能正在{opened_in}中打开" (e.g. " Excel/WPS ", " PDF 阅读器"), for the message shown
    when the rename is refused. Exceptions raised in the
    body propagate unchanged (``OSError`` becomes :class:`FileAccessError`); the temporary
    file is removed in every case.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise FileAccessError(f"文件夹「{directory}」不存在，请选择其他保存位置。")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=directory)
    except OSError as exc:
        raise FileAccessError(
            f"无法在「{directory}」中写入文件：{exc.strerror or exc}。请选择其他位置。"
        ) from exc
    os.close(fd)
    try:
        yield Path(tmp_name)
        _ordinary_permissions(tmp_name)
        os.replace(tmp_name, path)
    except PermissionError as exc:
        raise FileAccessError(
            f"无法写入「{path.name}」：文件可能正在{opened_in}中打开，或没有写入权限。"
            "请关闭该文件后重试。"
        ) from exc
    except OSError as exc:
        raise FileAccessError(f"无法写入「{path}」：{exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _ordinary_permissions(name: str) -> None:
    """mkstemp creates owner-only files; give the export the usual permissions (umask applies)."""
    if os.name == "posix":
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(name, 0o666 & ~mask)
