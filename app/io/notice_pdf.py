"""A 通报 as PDF, laid out after GB/T 9704-2012 (党政机关公文格式) as far as reportlab allows.

Page: A4, text area 156 × 225 mm (top 37 mm, left 28 mm), 22 lines of 三号 (16 pt) per page.
Title 二号 (22 pt) centred, 文号 centred above it; 主送 flush left; body paragraphs indented two
characters, 一、 headings in 黑体, （一） run-in leads in 楷体, text in 仿宋; the 附件 list with
names aligned under each other; issuer centred over the date, the date four characters from
the right edge (the layout for a sealed document); the 公开属性 line indented two characters.
Page numbers "— N —" in 14 pt 宋体 7 mm below the text area, on the outside edge as GB/T 9704
asks for double-sided printing: right on odd pages, left on even pages, one character in.

Each attachment starts a new page (portrait): "附件N" top left in 黑体, its title centred, the
note line, then the table; its header row repeats on every page, cells wrap (long rows split
across pages), column widths follow :attr:`TableColumn.weight`; table text is 14 pt (四号)
for up to 4 columns, 12 pt (小四) for 5–6 and 10.5 pt (五号) for 7 or more, instead of
landscape pages. A wrapped title is split into lines of about equal width (GB/T 9704's
trapezoid); a line break typed in the title is kept. The chart shrinks (fonts unchanged) to
finish a page when at least 130 pt remain. With a single attachment the list
and the page say just "附件" (GB/T 9704 numbers attachments only when there are several).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit_module
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph_module

from app.domain.notice_document import (
    AttachmentTable,
    BarChart,
    BlockKind,
    NoticeDocument,
    chinese_date,
)
from app.errors import AppError
from app.io.atomic_file import atomic_write, with_suffix
from app.io.fonts import FontNames, notice_fonts

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

# reportlab's CJK line breaking keeps listed punctuation off the start of a line, but its list
# lacks the full-width comma, semicolon, colon, question/exclamation marks and closing quotes
# Chinese text uses most (a line starting with "，" is a typesetting error in a 公文).
_CJK_CANNOT_START = "，；：？！”’》〉…"
for _module in (_paragraph_module, _textsplit_module):  # multi-run and single-run paragraphs
    _module.ALL_CANNOT_START += "".join(
        ch for ch in _CJK_CANNOT_START if ch not in _module.ALL_CANNOT_START
    )

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 37 * mm
MARGIN_LEFT = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
MARGIN_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TEXT_HEIGHT  # 35 mm
BODY_SIZE = 16.0  # 三号
CHAR = BODY_SIZE  # one character, the unit of every indent
LINE = 28.95  # 22 lines in the 225 mm text area (Word templates use the same "固定值")
TITLE_SIZE = 22.0  # 二号
TITLE_LEADING = 35.0
PAGE_NUMBER_SIZE = 14.0  # 四号
NOTE_SIZE = 14.0
CELL_PADDING_X = 3.0
CELL_PADDING_Y = 2.5
_ROWS_PER_POLL = 50


class NoticeCancelled(AppError):
    """The clerk cancelled writing the notice; no file was written."""

    def __init__(self) -> None:
        super().__init__("已取消生成，未保存文件。")


def write_notice_pdf(
    doc: NoticeDocument,
    path: Path | str,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Path:
    """Write ``doc`` as a PDF at ``path`` (".pdf" added if missing); returns the path written.

    ``progress(done, total)`` reports blocks and table rows laid out; ``cancelled()`` is polled
    on the way and True raises :class:`NoticeCancelled` (nothing is written). Raises
    :class:`~app.errors.FileAccessError` when the folder is missing or not writable or the
    file is open in a PDF reader; an existing file is kept intact on any failure.
    """
    path = with_suffix(path, ".pdf")
    fonts = notice_fonts().pdf
    story, total = _Story(fonts, cancelled).build(doc)
    with atomic_write(path, opened_in=" PDF 阅读器") as tmp:
        template = _NoticeTemplate(str(tmp), doc, fonts, total, progress, cancelled)
        template.build(story)
    if progress is not None:
        progress(total, total)
    return path


class _NoticeTable(Table):
    """The attachment table: header row 0 repeats; rows taller than a page are split.

    reportlab splits between rows first and splits inside a row only when no row fits, which
    leaves half a page empty before a very tall row and then repeats the header mid-page.
    A row that cannot fit on any page is therefore split right where it starts.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        used = 0.0
        for height in heights:
            if used + height > availHeight:
                if height > TEXT_HEIGHT - heights[0] and used > heights[0]:
                    result = self._splitRows(availHeight, doInRowSplit=True)
                    if result:
                        return result
                break
            used += height
        return super().split(availWidth, availHeight)

    def data_rows(self) -> int:
        """Data rows in this piece, for progress."""
        return max(0, self._nrows - 1)


class _NoticeTemplate(BaseDocTemplate):
    """One portrait page template with the GB/T 9704 text area and page numbers."""

    def __init__(
        self,
        filename: str,
        doc: NoticeDocument,
        fonts: FontNames,
        total: int,
        progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=PAGE_WIDTH - MARGIN_LEFT - TEXT_WIDTH,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=doc.title,
            author=doc.issuer,
            creator="网检通",
            lang="zh-CN",
            initialFontName=fonts.body,
            initialFontSize=BODY_SIZE,
            initialLeading=LINE,
        )
        self._fonts = fonts
        self._total = total
        self._done = 0
        self._progress = progress
        self._cancelled = cancelled
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, TEXT_WIDTH, TEXT_HEIGHT, 0, 0, 0, 0, id="text")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page_number)])

    def handle_pageBegin(self) -> None:
        self._check_cancel()
        super().handle_pageBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        self._done += flowable.data_rows() if isinstance(flowable, _NoticeTable) else 1
        self._check_cancel()
        if self._progress is not None:
            self._progress(min(self._done, self._total), self._total)

    def _check_cancel(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise NoticeCancelled()

    def _page_number(self, canvas, _doc) -> None:
        """Draw "— N —" 7 mm below the text area, one character in from the outside edge."""
        number = canvas.getPageNumber()
        text = f"— {number} —"
        y = MARGIN_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
        canvas.saveState()
        canvas.setFont(self._fonts.page_number, PAGE_NUMBER_SIZE)
        if number % 2:
            canvas.drawRightString(MARGIN_LEFT + TEXT_WIDTH - PAGE_NUMBER_SIZE, y, text)
        else:
            canvas.drawString(MARGIN_LEFT + PAGE_NUMBER_SIZE, y, text)
        canvas.restoreState()


def _markup(text: str) -> str:
    """Paragraph markup for plain text: XML escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


class _Story:
    """Turns a :class:`NoticeDocument` into platypus flowables."""

    def __init__(self, fonts: FontNames, cancelled: CancelFn | None) -> None:
        self.fonts = fonts
        self.cancelled = cancelled
        body = ParagraphStyle(
            "body",
            fontName=fonts.body,
            fontSize=BODY_SIZE,
            leading=LINE,
            firstLineIndent=2 * CHAR,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        )
        self.body = body
        self.plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
        self.heading = ParagraphStyle(
            "heading", parent=body, fontName=fonts.heading, keepWithNext=1
        )
        self.title = ParagraphStyle(
            "title",
            parent=body,
            fontName=fonts.title,
            fontSize=TITLE_SIZE,
            leading=TITLE_LEADING,
            firstLineIndent=0,
            alignment=TA_CENTER,
        )
        self.centred = ParagraphStyle("centred", parent=self.plain, alignment=TA_CENTER)
        self.attachment_mark = ParagraphStyle(
            "attachment_mark", parent=self.plain, fontName=fonts.heading, alignment=TA_LEFT
        )
        self.note = ParagraphStyle(
            "note", parent=self.plain, fontSize=NOTE_SIZE, leading=NOTE_SIZE * 1.6
        )

    def build(self, doc: NoticeDocument) -> tuple[list[Flowable], int]:
        """The flowables and the progress total (flowables plus table rows)."""
        story: list[Flowable] = []
        if doc.doc_number:
            story += [Paragraph(_markup(doc.doc_number), self.centred), Spacer(1, LINE)]
        story += [self._title(doc.title), Spacer(1, LINE)]
        if doc.recipients:
            story.append(Paragraph(_markup(doc.recipients), self.plain))
        for block in doc.body:
            story += self._block(block, doc.chart)
        # The signature never stands alone on a page: the 附件 list and the last body
        # paragraph move with it (GB/T 9704 forbids a page holding only the signature).
        closing: list[Flowable] = []
        if story and isinstance(story[-1], Paragraph):
            closing.append(story.pop())
            while story and getattr(story[-1], "style", None) is self.heading:
                closing.insert(0, story.pop())  # its heading moves with it
        titles = doc.attachment_titles or [a.title for a in doc.attachments]
        if titles:
            closing.append(Spacer(1, LINE))
            closing += self._attachment_list(titles)
        closing += self._signature(doc)
        story.append(KeepTogether(closing))
        if doc.publicity:
            story.append(Paragraph(_markup(doc.publicity), self.body))
        total = len(story)
        several = len(doc.attachments) > 1
        for attachment in doc.attachments:
            flowables = self._attachment(attachment, several)
            story += flowables
            total += len(flowables) - 1 + len(attachment.rows)
        return story, total

    def _title(self, text: str) -> Paragraph:
        font = self.fonts.title
        lines = balanced_lines(text, lambda t: stringWidth(t, font, TITLE_SIZE), TEXT_WIDTH)
        return Paragraph("<br/>".join(escape(line) for line in lines), self.title)

    def _block(self, block, chart: BarChart | None) -> list[Flowable]:
        if block.kind is BlockKind.CHART:
            return [self._chart(chart)] if chart is not None and chart.categories else []
        if block.kind is BlockKind.HEADING:
            return [Paragraph(_markup(block.text), self.heading)]
        style = self.plain if block.kind is BlockKind.PLAIN else self.body
        text = _markup(block.text)
        if block.lead:
            text = f'<font name="{self.fonts.lead}">{_markup(block.lead)}</font>{text}'
        return [Paragraph(text, style)]

    def _attachment_list(self, titles: list[str]) -> list[Flowable]:
        """附件：1.… with later names aligned under the first; wrapped lines under the name."""
        label = "附件："
        label_width = stringWidth(label, self.fonts.body, BODY_SIZE)
        items = []
        for i, title in enumerate(titles, start=1):
            number = f"{i}." if len(titles) > 1 else ""
            number_width = stringWidth(number, self.fonts.body, BODY_SIZE)
            left = 2 * CHAR + label_width + number_width
            first = -number_width - (label_width if i == 1 else 0)
            style = ParagraphStyle(
                f"attachment_item_{i}", parent=self.body, leftIndent=left, firstLineIndent=first
            )
            prefix = label if i == 1 else ""
            items.append(Paragraph(_markup(f"{prefix}{number}{title}"), style))
        return items

    def _signature(self, doc: NoticeDocument) -> list[Flowable]:
        """Issuer centred over the date; the date four characters from the right edge."""
        date_text = chinese_date(doc.issue_date)
        date_width = stringWidth(date_text, self.fonts.body, BODY_SIZE)
        issuer_width = stringWidth(doc.issuer, self.fonts.body, BODY_SIZE)
        issuer_indent = max(0.0, 4 * CHAR + (date_width - issuer_width) / 2)
        issuer_style = ParagraphStyle(
            "issuer", parent=self.plain, alignment=TA_RIGHT, rightIndent=issuer_indent
        )
        date_style = ParagraphStyle(
            "date", parent=self.plain, alignment=TA_RIGHT, rightIndent=4 * CHAR
        )
        return [
            Spacer(1, 2 * LINE),  # room for the seal
            Paragraph(_markup(doc.issuer), issuer_style),
            Paragraph(_markup(date_text), date_style),
        ]

    def _attachment(self, table: AttachmentTable, numbered: bool) -> list[Flowable]:
        mark = f"附件{table.number}" if numbered else "附件"
        flowables: list[Flowable] = [
            PageBreak(),
            Paragraph(mark, self.attachment_mark),
            Spacer(1, LINE),
            self._title(table.title),
        ]
        if table.note:
            flowables.append(Paragraph(_markup(table.note), self.note))
        flowables += [Spacer(1, 6), self._table(table)]
        return flowables

    def _table(self, table: AttachmentTable) -> _NoticeTable:
        ncols = len(table.columns)
        size = 10.5 if ncols >= 7 else 12.0 if ncols >= 5 else 14.0
        leading = round(size * 1.35, 1)
        widths = column_widths(
            [c.weight for c in table.columns], TEXT_WIDTH, 2 * size + 2 * CELL_PADDING_X + 1
        )
        header_style = ParagraphStyle(
            "cell_header",
            fontName=self.fonts.heading,
            fontSize=size,
            leading=leading,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        cell_styles = {
            align: ParagraphStyle(
                f"cell_{align}",
                parent=header_style,
                fontName=self.fonts.body,
                alignment=TA_LEFT if align == "left" else TA_CENTER,
            )
            for align in ("left", "center")
        }
        data: list[list[object]] = [
            [Paragraph(_markup(c.title), header_style) for c in table.columns]
        ]
        room = [w - 2 * CELL_PADDING_X for w in widths]
        font = self.fonts.body
        tall_rows: list[int] = []
        for n, row in enumerate(table.rows):
            if n % _ROWS_PER_POLL == 0 and self.cancelled is not None and self.cancelled():
                raise NoticeCancelled()
            cells: list[object] = []
            for i, column in enumerate(table.columns):
                text = row[i] if i < len(row) else ""
                text = "" if text is None else str(text)
                # Short one-line texts stay plain strings: much cheaper than a Paragraph.
                width = stringWidth(text, font, size)
                if "\n" not in text and width <= room[i]:
                    cells.append(text)
                else:
                    cells.append(Paragraph(_markup(text), cell_styles[column.align]))
                    lines = width / room[i] + text.count("\n") + 1
                    if lines * leading > TEXT_HEIGHT / 2 and tall_rows[-1:] != [n + 1]:
                        tall_rows.append(n + 1)
            data.append(cells)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), leading),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_Y + 1),
        ]
        for i, column in enumerate(table.columns):
            align = "LEFT" if column.align == "left" else "CENTER"
            style.append(("ALIGN", (i, 1), (i, -1), align))
        # reportlab splits vertically centred cells badly; rows that may span pages align top.
        style += [("VALIGN", (0, r), (-1, r), "TOP") for r in tall_rows]
        return _NoticeTable(
            data,
            colWidths=widths,
            repeatRows=1,
            splitInRow=1,  # a row taller than a page is split, never cut off
            style=TableStyle(style),
            hAlign="CENTER",
        )

    def _chart(self, chart: BarChart) -> Flowable:
        return ChartFlowable(chart, self.fonts.body, self.fonts.heading, TEXT_WIDTH)


_NO_LINE_START = set("，。、；：！？）》」』”’%．,.;:!?)")
_NO_LINE_END = set("（《「『“‘(")
_TOKEN = re.compile(r"[0-9A-Za-z.%\-]+|\s+|.", re.S)


def balanced_lines(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Break a title into lines of about equal width, the upper ones no shorter.

    ``measure(text)`` gives a text's width in the title font. GB/T 9704 wants a wrapped
    title set as a trapezoid or diamond rather than a full line over one or two characters.
    Digit and Latin runs ("2022") stay whole; closing punctuation never starts a line and an
    opening bracket never ends one. Line
    breaks the clerk typed are kept as they are.
    """
    if "\n" in text:
        return text.split("\n")
    total = measure(text)
    if total <= width:
        return [text]
    count = math.ceil(total / width)
    while True:
        target = total / count
        lines, line, used = [], "", 0.0
        for token in _TOKEN.findall(text):
            if (
                line
                and used >= target - 0.01
                and token[0] not in _NO_LINE_START
                and line[-1] not in _NO_LINE_END
            ):
                lines.append(line)
                line, used = "", 0.0
            line += token
            used += measure(token)
        lines.append(line)
        if all(measure(x) <= width for x in lines) or count > len(text):
            return _natural_break(lines, measure, width) if len(lines) == 2 else lines
        count += 1


_BREAK_AFTER = set("的、度")  # 关于2026年第三季度 | 全县…；…情况的 | 通报
_BREAK_BEFORE = set("与和及关")  # …政府网站 | 与政务新媒体…


def _natural_break(lines: list[str], measure: Callable[[str], float], width: float) -> list[str]:
    """Move a two-line title's break up to five characters to where a phrase ends (before
    与/和/及/关于, after 的/度), if both lines still fit (GB/T 9704: 词意完整)."""
    text = "".join(lines)
    cut = len(lines[0])
    best = None
    for shift in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
        at = cut + shift
        if not 0 < at < len(text):
            continue
        upper, lower = text[:at], text[at:]
        natural = upper[-1] in _BREAK_AFTER or lower[0] in _BREAK_BEFORE
        if (
            natural
            and measure(upper) <= width
            and measure(lower) <= width
            and abs(measure(upper) - measure(lower)) <= 0.25 * measure(text)  # still balanced
            and lower[0] not in _NO_LINE_START
            and upper[-1] not in _NO_LINE_END
            and not (upper[-1].isdigit() and lower[0].isdigit())
        ):
            best = [upper, lower]
            break
    return best or lines


def column_widths(weights: list[float], total: float, minimum: float) -> list[float]:
    """Split ``total`` by ``weights``; no column narrower than ``minimum`` (if room allows)."""
    weights = [w if w > 0 else 1.0 for w in weights] or [1.0]
    minimum = min(minimum, total / len(weights))
    widths = [total * w / sum(weights) for w in weights]
    narrow = [w < minimum for w in widths]
    if any(narrow):
        free = total - minimum * sum(narrow)
        rest = sum(w for w, small in zip(weights, narrow, strict=True) if not small)
        widths = [
            minimum if small else free * w / rest for w, small in zip(weights, narrow, strict=True)
        ]
    return widths


def format_value(value: float, suffix: str) -> str:
    """Bar label as the notices write rates: one decimal half-up, "100%" and "0%" bare."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = str(int(rounded)) if rounded in (Decimal(0), Decimal(100)) else str(rounded)
    return f"{text}{suffix}"


class ChartFlowable(Flowable):
    """The bar chart with its caption; shrinks (down to ``minimum``) to finish a page.

    Fonts keep their size when it shrinks: only the plot gets shorter, so a chart that
    follows a few lines of text need not leave the rest of the page empty.
    """

    def __init__(self, chart: BarChart, font: str, caption_font: str, width: float) -> None:
        super().__init__()
        self.chart, self.font, self.caption_font = chart, font, caption_font
        self.width = width
        self.preferred, self.minimum = 240.0, 130.0
        self.height = self.preferred
        self.spaceBefore = 8.0
        self.spaceAfter = LINE / 2

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        room = availHeight - self.spaceBefore - self.spaceAfter
        self.height = min(self.preferred, room) if room >= self.minimum else self.preferred
        return self.width, self.height

    def draw(self) -> None:
        drawing = bar_chart_drawing(
            self.chart, self.font, self.width, self.height, caption_font=self.caption_font
        )
        drawing.drawOn(self.canv, 0, 0)


def bar_chart_drawing(
    chart: BarChart, font: str, width: float, height: float = 240, *, caption_font: str = ""
) -> Drawing:
    """A vertical bar chart of ``chart`` (values 0–100) with CJK labels and values on bars.

    ``height`` includes the caption (``chart.title`` in ``caption_font``, 14 pt, centred).
    """
    label_size = 10.0
    top = max([100.0, *chart.values])
    plot_width = width - 60
    slot = plot_width / max(1, len(chart.categories))
    widest = max(stringWidth(c, font, label_size) for c in chart.categories)
    angle = 0 if widest <= slot * 0.95 else 40
    label_room = 18 if angle == 0 else 12 + widest * math.sin(math.radians(angle))
    caption_room = NOTE_SIZE + 12
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # else the renderer selects (and lists) Helvetica
    drawing.initialFontSize = label_size
    drawing.add(
        String(
            width / 2,
            height - NOTE_SIZE,
            chart.title,
            fontName=caption_font or font,
            fontSize=NOTE_SIZE,
            textAnchor="middle",
        )
    )
    bc = VerticalBarChart()
    bc.x = 45
    bc.y = label_room
    bc.width = plot_width
    bc.height = max(40.0, height - caption_room - label_room - label_size - 6)
    bc.data = [list(chart.values)]
    bc.barWidth = 1  # relative: bars 5/8 of their slot, at most 40 pt wide
    bc.groupSpacing = max(0.6, (slot - 40) / 40)
    bc.bars[0].fillColor = colors.HexColor("#4A78B5")
    bc.bars[0].strokeColor = None
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = top
    bc.valueAxis.valueStep = (20 if bc.height >= 110 else 50) if top <= 100 else None
    bc.valueAxis.labels.fontName = font
    bc.valueAxis.labels.fontSize = label_size
    bc.valueAxis.labelTextFormat = lambda v: f"{v:g}{chart.value_suffix}"
    bc.valueAxis.visibleGrid = True
    bc.valueAxis.gridStrokeColor = colors.HexColor("#D0D0D0")
    bc.categoryAxis.categoryNames = list(chart.categories)
    bc.categoryAxis.labels.fontName = font
    bc.categoryAxis.labels.fontSize = label_size
    if angle:
        bc.categoryAxis.labels.angle = angle
        bc.categoryAxis.labels.boxAnchor = "ne"
        bc.categoryAxis.labels.dx = 4
        bc.categoryAxis.labels.dy = -2
    bc.barLabels.fontName = font
    bc.barLabels.fontSize = label_size - 1
    bc.barLabels.nudge = 7
    bc.barLabelFormat = lambda v: format_value(v, chart.value_suffix)
    drawing.add(bc)
    return drawing
