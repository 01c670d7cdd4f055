"""Draw the app icon (resources/icons/app.png and app.ico) with QPainter; no downloaded art.

A red rounded square (the colour of 红头文件), a white sheet with lines (the 台账) and a
magnifier with a gold tick (检查合格). Each size of the .ico is drawn at that size, so the
small ones stay crisp; the .ico holds PNG images (Windows Vista and later read them).

    python scripts/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
RED_TOP, RED_BOTTOM = QColor("#d62839"), QColor("#9e1b24")
GOLD = QColor("#ffc933")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # draw in a 256×256 design space
    small = size <= 24

    gradient = QLinearGradient(0, 0, 0, 256)
    gradient.setColorAt(0, RED_TOP)
    gradient.setColorAt(1, RED_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)

    # the sheet (台账)
    p.setBrush(QColor("white"))
    p.drawRoundedRect(QRectF(44, 36, 128, 164) if not small else QRectF(36, 28, 140, 176), 14, 14)
    if not small:
        p.setPen(QPen(QColor("#c9ccd3"), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for y in (76, 106, 136):
            p.drawLine(QPointF(70, y), QPointF(146 if y != 136 else 112, y))

    # the magnifier with a tick (检查合格)
    centre, radius = QPointF(160, 160), 50
    p.setPen(QPen(QColor("white"), 30, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(198, 198), QPointF(226, 226))
    p.setPen(QPen(QColor("white"), 18 if not small else 24))
    p.setBrush(RED_BOTTOM)
    p.drawEllipse(centre, radius, radius)
    tick = QPainterPath(QPointF(136, 162))
    tick.lineTo(QPointF(154, 180))
    tick.lineTo(QPointF(186, 142))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(
        QPen(GOLD, 16 if not small else 24, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
             Qt.PenJoinStyle.RoundJoin)
    )  # fmt: skip
    p.drawPath(tick)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """An ICO file whose entries are PNG images (ICONDIR, ICONDIRENTRY×n, data)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in zip(sizes, images, strict=True):
        edge = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def main() -> None:
    QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "app.png"))
    (OUT / "app.ico").write_bytes(ico_bytes([png_bytes(draw(s)) for s in ICO_SIZES], ICO_SIZES))
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
