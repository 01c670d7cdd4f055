"""Fonts for the 通报 renderers: which file serves which role, registered with reportlab once.

GB/T 9704-2012 sets the title in 小标宋, the body in 仿宋, 一、 headings in 黑体, （一） run-in
leads in 楷体 and page numbers in 宋体. On Windows the installed fonts are used (a 方正小标宋
installed by the office is preferred for the title, else 黑体); every role falls back to the
bundled WenQuanYi Micro Hei, so a PDF never shows boxes and every font is embedded. The .docx
names the Word fonts instead (:attr:`NoticeFonts.docx`): Word/WPS resolve them on the reader's
machine, whatever this machine has installed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.errors import FileAccessError
from app.paths import resource_path

BUNDLED_FONT = ("fonts", "wqy-microhei.ttc")


@dataclass(frozen=True)
class FontNames:
    """One font name per role of a notice."""

    title: str  # 标题 (小标宋)
    body: str  # 正文 (仿宋)
    heading: str  # 一、 headings (黑体)
    lead: str  # （一） run-in leads (楷体)
    page_number: str  # — 1 — (宋体)


@dataclass(frozen=True)
class NoticeFonts:
    """reportlab names registered for this process (``pdf``) and the names a .docx uses."""

    pdf: FontNames
    docx: FontNames
    files: dict[str, Path]  # role -> the font file behind ``pdf``, for logs and the report

    @property
    def fallback_only(self) -> bool:
        """True when every role uses the bundled font (no Windows fonts found)."""
        bundled = resource_path(*BUNDLED_FONT)
        return all(path == bundled for path in self.files.values())


# (file name, subfont index) per role, best first; searched in the Windows font folders.
_XIAOBIAOSONG = [("FZXBSJW.TTF", 0), ("方正小标宋简体.ttf", 0), ("方正小标宋_GBK.ttf", 0)]
_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    "title": [*_XIAOBIAOSONG, ("simhei.ttf", 0)],
    "body": [("simfang.ttf", 0)],
    "heading": [("simhei.ttf", 0)],
    "lead": [("simkai.ttf", 0)],
    "page_number": [("simsun.ttc", 0), ("simsun.ttf", 0)],
}
_DOCX_NAMES = FontNames(title="黑体", body="仿宋", heading="黑体", lead="楷体", page_number="宋体")

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}  # (file, subfont index) -> reportlab name
_resolved: dict[tuple[str, ...], NoticeFonts] = {}


def font_note(font_dirs: Sequence[Path] | None = None) -> str:
    """One line for the clerk: which fonts a notice PDF will embed (found by file name only)."""
    dirs = windows_font_dirs() if font_dirs is None else list(font_dirs)
    found = {
        role: any((d / name).is_file() for d in dirs for name, _ in candidates)
        for role, candidates in _CANDIDATES.items()
    }
    if found["body"] and found["heading"] and found["lead"]:
        return "PDF 字体：本机的仿宋、黑体、楷体（嵌入文件，对方电脑无需安装）"
    return (
        "PDF 字体：本机未找到仿宋、黑体、楷体，使用程序自带的文泉驿微米黑"
        "（嵌入文件；在装有这些字体的 Windows 电脑上生成即为公文字体）"
    )


def windows_font_dirs() -> list[Path]:
    """The system and the per-user font folders on Windows; nothing elsewhere."""
    if os.name != "nt":
        return []
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def notice_fonts(font_dirs: Sequence[Path] | None = None) -> NoticeFonts:
    """Resolve and register the notice fonts (idempotent, thread-safe, cached per folder list).

    ``font_dirs`` defaults to :func:`windows_font_dirs`; tests pass their own folders.
    """
    dirs = list(windows_font_dirs() if font_dirs is None else font_dirs)
    key = tuple(str(d) for d in dirs)
    with _lock:
        cached = _resolved.get(key)
        if cached is not None:
            return cached
        pdf_names: dict[str, str] = {}
        files: dict[str, Path] = {}
        for role, candidates in _CANDIDATES.items():
            found = _first_loadable(dirs, candidates)
            if found is None:
                found = (_bundled_font(), 0)
            files[role] = found[0]
            pdf_names[role] = _register(*found)
        title_is_xbs = files["title"].name.lower() in {n.lower() for n, _ in _XIAOBIAOSONG}
        docx = replace(_DOCX_NAMES, title="方正小标宋简体") if title_is_xbs else _DOCX_NAMES
        fonts = NoticeFonts(pdf=FontNames(**pdf_names), docx=docx, files=files)
        _resolved[key] = fonts
        return fonts


def docx_font_names(font_dirs: Sequence[Path] | None = None) -> FontNames:
    """The Word font names for a .docx, without loading any font into reportlab.

    The same as ``notice_fonts().docx``: 方正小标宋简体 for the title when installed here,
    else 黑体; 仿宋 body, 黑体 headings, 楷体 leads, 宋体 page numbers.
    """
    dirs = list(windows_font_dirs() if font_dirs is None else font_dirs)
    installed = any((folder / name).is_file() for name, _ in _XIAOBIAOSONG for folder in dirs)
    return replace(_DOCX_NAMES, title="方正小标宋简体") if installed else _DOCX_NAMES


def _bundled_font() -> Path:
    path = resource_path(*BUNDLED_FONT)
    if not path.is_file():
        raise FileAccessError(f"缺少字体文件「{path}」，无法生成通报。请重新安装网检通。")
    return path


def _first_loadable(
    dirs: Sequence[Path], candidates: Sequence[tuple[str, int]]
) -> tuple[Path, int] | None:
    """The first candidate file that exists and reportlab can load, as (path, index)."""
    for name, index in candidates:
        for folder in dirs:
            path = folder / name
            if not path.is_file():
                continue
            try:
                _register(path, index)
            except (TTFError, OSError, ValueError):
                continue  # PostScript outlines, damaged file …: try the next one
            return path, index
    return None


def _register(path: Path, index: int) -> str:
    """Register ``path`` with reportlab once; returns its reportlab name. Caller holds the lock."""
    key = (str(path), index)
    name = _registered.get(key)
    if name is None:
        name = f"WJT-{path.stem}-{index}"
        if name in pdfmetrics.getRegisteredFontNames():  # same stem from another folder
            name = f"WJT-{path.stem}-{index}-{len(_registered)}"
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
        _registered[key] = name
    return name
