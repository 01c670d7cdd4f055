"""Files the clerk attaches (evidence screenshots, units' rectification reports), kept by content.

A file is copied into a folder beside the database under its SHA-256, so the same file attached
twice is stored once and a moved or renamed original never breaks the record.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.errors import FileAccessError, ValidationError

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    file_name: str  # the original name, shown to the clerk
    stored_name: str  # path relative to the store folder
    sha256: str
    size: int


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's content, read in 1 MB chunks (OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(source: Path, field: str) -> StoredFile:
    """Check size and hash ``source`` without copying it yet."""
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise FileAccessError(f"无法读取文件「{source}」：{exc.strerror or exc}") from exc
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"文件「{source.name}」超过 200 MB，请压缩或截取后再附加。", field)
    try:
        sha = sha256_of(source)
    except OSError as exc:
        raise FileAccessError(
            f"无法读取文件「{source.name}」：可能正被其他程序占用。（{exc.strerror or exc}）"
        ) from exc
    return StoredFile(source.name, f"{sha[:2]}/{sha}{source.suffix.lower()}", sha, size)


def copy_in(source: Path, folder: Path, stored: StoredFile) -> Path:
    """Copy ``source`` to its place in ``folder`` (through a .part file); returns the path."""
    target = folder / stored.stored_name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    try:
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileAccessError(f"无法保存文件「{source.name}」：{exc.strerror or exc}") from exc
    return target
