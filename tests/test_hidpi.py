"""HiDPI: Qt 6 scales logical pixels by the screen's factor (150 % on many office laptops);
text must be sized in points so it scales with everything else. A pixel font size would stay
small while the rest grows, so none may appear in the UI code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIXEL_FONT = re.compile(r"font(-size)?\s*:[^;\"']*\d+\s*px|setPixelSize\s*\(")
SCALE_OVERRIDES = ("QT_SCALE_FACTOR", "QT_ENABLE_HIGHDPI_SCALING", "AA_DisableHighDpiScaling")


def _sources() -> list[Path]:
    return [*(ROOT / "ui").rglob("*.py"), ROOT / "main.py"]


def test_fonts_are_sized_in_points_not_pixels():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PIXEL_FONT.search(line)
    ]
    assert offenders == []


def test_nothing_overrides_qt_high_dpi_scaling():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _sources()
        for name in SCALE_OVERRIDES
        if name in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_checker_sees_pixel_fonts():
    assert PIXEL_FONT.search('label.setStyleSheet("font-size: 14px;")')
    assert PIXEL_FONT.search("font.setPixelSize(14)")
    assert not PIXEL_FONT.search('label.setStyleSheet("font-size: 12pt; padding: 3px 6px;")')
