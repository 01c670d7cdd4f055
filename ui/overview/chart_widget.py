"""A small chart drawn with QPainter: grouped bars, lines or horizontal bars with Chinese labels.

No QtCharts (it is only in PySide6-Addons). Everything is laid out from the widget's font in
logical pixels, so it reads the same at 96 and 144 DPI; :meth:`ChartWidget.image` renders at
2× for e-mail. The title, legend, axis, values on bars and the figure's definition (the
chart's ``note``) are all drawn, so an exported PNG explains itself.
"""

from __future__ import annotations

import math
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services.overview import ChartData

PALETTE = (QColor("#3B6FB6"), QColor("#E0892B"), QColor("#4C9A5B"), QColor("#9B59B6"))
_TEXT = QColor("#222222")
_MUTED = QColor("#666666")
_GRID = QColor("#DDDDDD")
_AXIS = QColor("#888888")
_MARGIN = 10.0
_BREAK_AFTER = "年月·、 "  # preferred places to break a category label …
_BREAK_BEFORE = "（("  # … and before an opening bracket
NO_VALUE = "—"  # drawn where a category has no value at all (nothing checked, nothing due)


class ChartStyle(Enum):
    BARS = "bars"  # vertical bars, one group per category
    LINE = "line"
    HBARS = "hbars"  # horizontal bars: long names (units) on the left


class ChartWidget(QWidget):
    def __init__(self, style: ChartStyle = ChartStyle.BARS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart_style = style
        self._data: ChartData | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)

    def set_chart(self, data: ChartData | None) -> None:
        self._data = data
        self.update()

    def chart(self) -> ChartData | None:
        return self._data

    def set_style(self, style: ChartStyle) -> None:
        self.chart_style = style
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(560, 300)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRectF(self.rect()))
        painter.end()

    def image(self, scale: float = 2.0) -> QImage:
        """The chart as an image at ``scale`` × its size on screen (sharp in e-mails)."""
        size = self.size()
        image = QImage(
            round(size.width() * scale),
            round(size.height() * scale),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(scale)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        return image

    def save_png(self, path: Path | str, scale: float = 2.0) -> bool:
        return self.image(scale).save(str(path), "PNG")

    # -- painting ---------------------------------------------------------------------------
    def paint(self, p: QPainter, rect: QRectF) -> None:
        p.fillRect(rect, Qt.GlobalColor.white)
        data = self._data
        fonts = _Fonts(self.font())
        area = rect.adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)
        if data is None:
            return
        p.setFont(fonts.title)
        p.setPen(_TEXT)
        title_h = fonts.title_m.height()
        p.drawText(QRectF(area.left(), area.top(), area.width(), title_h), data.title)
        area.setTop(area.top() + title_h + 4)
        if data.note:
            area.setBottom(area.bottom() - _note(p, fonts, data.note, area))
        if data.is_empty:
            p.setFont(fonts.base)
            p.setPen(_MUTED)
            p.drawText(
                area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, data.empty_text
            )
            return
        if len(data.series) > 1 or self.chart_style is ChartStyle.LINE:
            area.setTop(area.top() + _legend(p, fonts, data, area, self.chart_style) + 4)
        if self.chart_style is ChartStyle.HBARS:
            _HorizontalBars(p, fonts, data, area).draw()
        else:
            _VerticalChart(p, fonts, data, area, self.chart_style is ChartStyle.LINE).draw()


class _Fonts:
    def __init__(self, base: QFont) -> None:
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        self.base = QFont(base)
        self.title = QFont(base)
        self.title.setPointSizeF(size + 1)
        self.title.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(max(8.0, size - 1))
        self.base_m = QFontMetricsF(self.base)
        self.title_m = QFontMetricsF(self.title)
        self.small_m = QFontMetricsF(self.small)


def _note(p: QPainter, fonts: _Fonts, text: str, area: QRectF) -> float:
    """Draw the definition at the bottom in small grey type; returns the height used."""
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
    box = fonts.small_m.boundingRect(QRectF(0, 0, area.width(), 1000), flags, text)
    height = box.height()
    p.setFont(fonts.small)
    p.setPen(_MUTED)
    p.drawText(QRectF(area.left(), area.bottom() - height, area.width(), height), flags, text)
    return height + 6


def _legend(p: QPainter, fonts: _Fonts, data: ChartData, area: QRectF, style: ChartStyle) -> float:
    """Series names right-aligned above the plot; returns the height used."""
    m = fonts.small_m
    swatch = 10.0
    widths = [swatch + 4 + m.horizontalAdvance(s.name) for s in data.series]
    x = area.right() - sum(widths) - 14 * (len(widths) - 1)
    y = area.top()
    p.setFont(fonts.small)
    for i, series in enumerate(data.series):
        color = PALETTE[i % len(PALETTE)]
        middle = y + m.height() / 2
        if style is ChartStyle.LINE:
            p.setPen(QPen(color, 2))
            p.drawLine(QPointF(x, middle), QPointF(x + swatch, middle))
            p.setBrush(color)
            p.drawEllipse(QPointF(x + swatch / 2, middle), 2.5, 2.5)
        else:
            p.fillRect(QRectF(x, middle - swatch / 2, swatch, swatch), color)
        p.setPen(_TEXT)
        p.drawText(QPointF(x + swatch + 4, y + m.ascent()), series.name)
        x += widths[i] + 14
    return m.height()


def _scale(data: ChartData) -> tuple[float, float]:
    """(top of the value axis, tick step): 0–100 % for rates, a round number for counts."""
    if data.percent:
        return 100.0, 20.0
    top = max((v for s in data.series for v in s.values if v is not None), default=1.0)
    raw = max(top, 1.0) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    return math.ceil(top / step) * step, step


def _tick_text(value: float, percent: bool) -> str:
    return f"{value:g}%" if percent else f"{value:g}"


def wrap_label(text: str, metrics: QFontMetricsF, width: float, max_lines: int = 3) -> list[str]:
    """Break a category label to ``width``: after 年/月 or before a bracket if that fits, else
    anywhere (Chinese needs no spaces); the last line is elided."""
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    lines: list[str] = []
    rest = text
    while rest and len(lines) < max_lines - 1:
        fit = 1
        while fit < len(rest) and metrics.horizontalAdvance(rest[: fit + 1]) <= width:
            fit += 1
        if fit >= len(rest):
            break
        cuts = [i + 1 for i in range(fit) if rest[i] in _BREAK_AFTER]
        cuts += [i for i in range(1, fit + 1) if rest[i] in _BREAK_BEFORE]
        cut = max(cuts, default=fit)
        lines.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return lines


class _VerticalChart:
    """Grouped vertical bars or lines over categories."""

    def __init__(
        self, p: QPainter, fonts: _Fonts, data: ChartData, area: QRectF, line: bool
    ) -> None:
        self.p, self.fonts, self.data, self.line = p, fonts, data, line
        self.top_value, self.step = _scale(data)
        m = fonts.small_m
        ticks = [i * self.step for i in range(int(round(self.top_value / self.step)) + 1)]
        self.ticks = ticks
        tick_width = max(m.horizontalAdvance(_tick_text(t, data.percent)) for t in ticks)
        left = area.left() + tick_width + 6
        n = max(1, len(data.categories))
        self.slot = (area.right() - left) / n
        self.labels = [wrap_label(c, m, self.slot - 4) for c in data.categories]
        label_h = max(len(lines) for lines in self.labels) * m.height() if self.labels else 0
        series = max(1, len(data.series))
        self.bar = min(self.slot * 0.72 / series, 44.0)
        room = self.slot - 4 if series == 1 or line else self.bar + 2
        widest = max(
            (m.horizontalAdvance(t) for s in data.series for t in s.labels if t), default=0.0
        )
        self.rotate_values = not line and widest > room
        headroom = (widest if self.rotate_values else m.height()) + 6
        self.plot = QRectF(
            left, area.top() + headroom, area.right() - left, area.height() - headroom - label_h - 6
        )

    def y(self, value: float) -> float:
        return self.plot.bottom() - self.plot.height() * value / self.top_value

    def draw(self) -> None:
        p, m, plot = self.p, self.fonts.small_m, self.plot
        p.setFont(self.fonts.small)
        for tick in self.ticks:
            y = self.y(tick)
            p.setPen(QPen(_AXIS if tick == 0 else _GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(_MUTED)
            text = _tick_text(tick, self.data.percent)
            x = plot.left() - 6 - m.horizontalAdvance(text)
            p.drawText(QPointF(x, y + m.ascent() / 2 - 1), text)
        p.setPen(_TEXT)
        for i, lines in enumerate(self.labels):
            centre = plot.left() + self.slot * (i + 0.5)
            for j, text in enumerate(lines):
                x = centre - m.horizontalAdvance(text) / 2
                p.drawText(QPointF(x, plot.bottom() + 4 + m.ascent() + j * m.height()), text)
        p.setPen(_MUTED)
        for i in range(len(self.data.categories)):
            if all(series.values[i] is None for series in self.data.series):  # nothing to show
                x = plot.left() + self.slot * (i + 0.5) - m.horizontalAdvance(NO_VALUE) / 2
                p.drawText(QPointF(x, plot.bottom() - 4 - m.descent()), NO_VALUE)
        if self.line:
            self._lines()
        else:
            self._bars()

    def _bars(self) -> None:
        p, m = self.p, self.fonts.small_m
        count = max(1, len(self.data.series))
        for s, series in enumerate(self.data.series):
            color = PALETTE[s % len(PALETTE)]
            for i, value in enumerate(series.values):
                if value is None:
                    continue
                centre = self.plot.left() + self.slot * (i + 0.5)
                x = centre - self.bar * count / 2 + self.bar * s
                top = self.y(value)
                p.fillRect(QRectF(x + 1, top, self.bar - 2, self.plot.bottom() - top), color)
                text = series.labels[i]
                p.setPen(_TEXT)
                if self.rotate_values:
                    p.save()
                    p.translate(x + self.bar / 2 + m.ascent() / 2 - 1, top - 4)
                    p.rotate(-90)
                    p.drawText(QPointF(0, 0), text)
                    p.restore()
                else:
                    width = m.horizontalAdvance(text)
                    p.drawText(QPointF(x + (self.bar - width) / 2, top - 4 - m.descent()), text)

    def _lines(self) -> None:
        p, m = self.p, self.fonts.small_m
        values = [s.values for s in self.data.series]
        for s, series in enumerate(self.data.series):
            color = PALETTE[s % len(PALETTE)]
            points = [
                None if v is None else QPointF(self.plot.left() + self.slot * (i + 0.5), self.y(v))
                for i, v in enumerate(series.values)
            ]
            p.setPen(QPen(color, 2))
            for a, b in zip(points, points[1:], strict=False):
                if a is not None and b is not None:
                    p.drawLine(a, b)
            p.setBrush(color)
            for i, point in enumerate(points):
                if point is None:
                    continue
                p.setPen(QPen(color, 1))
                p.drawEllipse(point, 3.5, 3.5)
                others = [v[i] for k, v in enumerate(values) if k != s and v[i] is not None]
                below = any(o > series.values[i] for o in others)  # type: ignore[operator]
                text = series.labels[i]
                width = m.horizontalAdvance(text)
                y = point.y() + 6 + m.ascent() if below else point.y() - 6 - m.descent()
                p.setPen(color.darker(130))
                p.drawText(QPointF(point.x() - width / 2, y), text)


class _HorizontalBars:
    """One bar per category (e.g. a unit), the name on the left and the value at the end."""

    def __init__(self, p: QPainter, fonts: _Fonts, data: ChartData, area: QRectF) -> None:
        self.p, self.fonts, self.data, self.area = p, fonts, data, area
        self.top_value, self.step = _scale(data)

    def draw(self) -> None:
        p, m, data, area = self.p, self.fonts.small_m, self.data, self.area
        names = list(data.categories)
        name_width = min(max(m.horizontalAdvance(n) for n in names), area.width() * 0.4)
        axis_h = m.height() + 4
        plot = QRectF(
            area.left() + name_width + 8,
            area.top(),
            area.width() - name_width - 8 - m.horizontalAdvance("0000") - 6,
            area.height() - axis_h,
        )
        row = plot.height() / max(1, len(names))
        bar = min(row * 0.62, 24.0)
        p.setFont(self.fonts.small)
        ticks = int(round(self.top_value / self.step))
        for i in range(ticks + 1):
            value = i * self.step
            x = plot.left() + plot.width() * value / self.top_value
            p.setPen(QPen(_AXIS if i == 0 else _GRID, 1))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(_MUTED)
            text = _tick_text(value, data.percent)
            p.drawText(
                QPointF(x - m.horizontalAdvance(text) / 2, plot.bottom() + 2 + m.ascent()), text
            )
        series = data.series[0]
        for i, name in enumerate(names):
            middle = plot.top() + row * (i + 0.5)
            shown = m.elidedText(name, Qt.TextElideMode.ElideMiddle, name_width)
            p.setPen(_TEXT)
            p.drawText(
                QPointF(plot.left() - 8 - m.horizontalAdvance(shown), middle + m.ascent() / 2 - 1),
                shown,
            )
            value = series.values[i]
            if value is None:
                continue
            width = plot.width() * value / self.top_value
            p.fillRect(QRectF(plot.left(), middle - bar / 2, width, bar), PALETTE[0])
            p.setPen(_TEXT)
            p.drawText(
                QPointF(plot.left() + width + 4, middle + m.ascent() / 2 - 1), series.labels[i]
            )
