"""A 通报 as a Word document (.docx) with the same content and layout as the PDF.

A4, text area 156 × 225 mm (top 37, bottom 35, left 28, right 26 mm), 三号仿宋 body at a fixed
28.95 pt line spacing (22 lines per page), first lines indented two characters (Word's
"2 字符"), 一、 headings 黑体, （一） leads 楷体, title 二号 centred; fonts are named for the
East Asian script (``w:eastAsia``) as well as for Latin text. Page numbers "— N —" come from a
PAGE field in the footer, outside edge (odd pages right, even pages left). Each attachment
starts a new page with a real Word table whose header row repeats on every page
(``w:tblHeader``). The bar chart is not drawn in Word (the PDF has it).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.domain.notice_document import (
    AttachmentTable,
    Block,
    BlockKind,
    NoticeDocument,
    chinese_date,
)
from app.io.atomic_file import atomic_write, with_suffix
from app.io.fonts import FontNames, docx_font_names
from app.io.notice_pdf import balanced_lines

BODY_SIZE = 16.0  # 三号
CHAR = BODY_SIZE
LINE = 28.95
TITLE_SIZE = 22.0  # 二号
TITLE_LINE = 35.0
NOTE_SIZE = 14.0
PAGE_NUMBER_SIZE = 14.0  # 四号
TEXT_WIDTH_PT = 156 / 25.4 * 72


def write_notice_docx(doc: NoticeDocument, path: Path | str) -> Path:
    """Write ``doc`` as .docx at ``path`` (".docx" added if missing); returns the path.

    Raises :class:`~app.errors.FileAccessError` when the folder is missing or not writable
    or the file is open in Word/WPS; an existing file is kept intact on any failure.
    """
    path = with_suffix(path, ".docx")
    document = _DocxBuilder(docx_font_names()).build(doc)
    with atomic_write(path, opened_in=" Word/WPS ") as tmp:
        document.save(str(tmp))
    return path


def set_run_font(run, name: str, size: float | None = None) -> None:
    """Name the font for Latin and East Asian text alike; optionally set the size."""
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)


def text_width(text: str, size: float) -> float:
    """Estimated width in points: CJK and full-width characters one em, others half."""
    return sum(size if ord(ch) > 0x2E7F else size / 2 for ch in text)


def _indent_chars(paragraph: Paragraph, first_line_chars: int) -> None:
    """First-line indent in characters (w:firstLineChars), with the points as fallback."""
    paragraph.paragraph_format.first_line_indent = Pt(first_line_chars * CHAR)
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))


class _DocxBuilder:
    def __init__(self, names: FontNames) -> None:
        self.names = names
        self.document: DocxDocument = Document()

    def build(self, doc: NoticeDocument) -> DocxDocument:
        self._page_setup()
        self._styles()
        props = self.document.core_properties
        props.title = doc.title
        props.author = doc.issuer
        props.comments = "网检通"
        if doc.doc_number:
            self._paragraph([(doc.doc_number, self.names.body)], WD_ALIGN_PARAGRAPH.CENTER)
            self._paragraph([])
        self._title(doc.title)
        self._paragraph([])
        if doc.recipients:
            self._paragraph([(doc.recipients, self.names.body)])
        for block in doc.body:
            self._block(block)
        closing_from = len(self.document.paragraphs) - 1
        titles = doc.attachment_titles or [a.title for a in doc.attachments]
        if titles:
            self._paragraph([])
            self._attachment_list(titles)
        self._signature(doc)
        # The signature never stands alone on a page: the last body paragraph, the 附件
        # list and the signature are kept together (GB/T 9704).
        for paragraph in self.document.paragraphs[max(0, closing_from) : -1]:
            paragraph.paragraph_format.keep_with_next = True
        if doc.publicity:
            _indent_chars(self._paragraph([(doc.publicity, self.names.body)]), 2)
        several = len(doc.attachments) > 1
        for attachment in doc.attachments:
            self._attachment(attachment, several)
        return self.document

    def _title(self, text: str) -> Paragraph:
        """二号 centred, wrapped into lines of about equal width as in the PDF."""
        lines = balanced_lines(text, lambda t: text_width(t, TITLE_SIZE), TEXT_WIDTH_PT)
        title = self._paragraph(
            [("\n".join(lines), self.names.title)], WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_SIZE
        )
        title.paragraph_format.line_spacing = Pt(TITLE_LINE)
        return title

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(23)  # the number sits about 7 mm below the text area
        self.document.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = self.names.body
        normal.font.size = Pt(BODY_SIZE)
        rpr = normal.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), self.names.body)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _page_number(self, paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
        """ "— N —" with a PAGE field, one character in from the outside edge."""
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_SIZE)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_SIZE)
        parts: list[tuple[str, str]] = [
            ("text", "— "),
            ("begin", ""),
            ("instr", " PAGE "),
            ("separate", ""),
            ("text", "1"),
            ("end", ""),
            ("text", " —"),
        ]
        for kind, value in parts:
            run = paragraph.add_run()
            set_run_font(run, self.names.page_number, PAGE_NUMBER_SIZE)
            if kind == "text":
                run.text = value
            elif kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = value
                run._r.append(instr)
            else:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._r.append(fld)

    def _paragraph(
        self,
        runs: list[tuple[str, str]],
        align: WD_ALIGN_PARAGRAPH | None = None,
        *,
        size: float | None = None,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        for text, font in runs:
            if text:
                set_run_font(paragraph.add_run(text), font, size)
        return paragraph

    def _block(self, block: Block) -> None:
        if block.kind is BlockKind.CHART:
            return  # drawn in the PDF only
        if block.kind is BlockKind.HEADING:
            paragraph = self._paragraph([(block.text, self.names.heading)])
            paragraph.paragraph_format.keep_with_next = True
            _indent_chars(paragraph, 2)
            return
        paragraph = self._paragraph([(block.lead, self.names.lead), (block.text, self.names.body)])
        if block.kind is BlockKind.PARAGRAPH:
            _indent_chars(paragraph, 2)

    def _attachment_list(self, titles: list[str]) -> None:
        """附件：1.… with the names aligned under each other (hanging indents)."""
        label = "附件："
        for i, title in enumerate(titles, start=1):
            number = f"{i}." if len(titles) > 1 else ""
            number_width = text_width(number, BODY_SIZE)
            prefix = label if i == 1 else ""
            paragraph = self._paragraph([(f"{prefix}{number}{title}", self.names.body)])
            fmt = paragraph.paragraph_format
            fmt.left_indent = Pt(2 * CHAR + text_width(label, BODY_SIZE) + number_width)
            hang = number_width + (text_width(label, BODY_SIZE) if i == 1 else 0)
            fmt.first_line_indent = Pt(-hang)

    def _signature(self, doc: NoticeDocument) -> None:
        """Issuer centred over the date, the date four characters from the right edge."""
        date_text = chinese_date(doc.issue_date)
        self._paragraph([])
        self._paragraph([])
        issuer = self._paragraph([(doc.issuer, self.names.body)], WD_ALIGN_PARAGRAPH.RIGHT)
        shift = (text_width(date_text, BODY_SIZE) - text_width(doc.issuer, BODY_SIZE)) / 2
        issuer.paragraph_format.right_indent = Pt(max(0.0, 4 * CHAR + shift))
        date_paragraph = self._paragraph([(date_text, self.names.body)], WD_ALIGN_PARAGRAPH.RIGHT)
        date_paragraph.paragraph_format.right_indent = Pt(4 * CHAR)

    def _attachment(self, table: AttachmentTable, numbered: bool) -> None:
        mark = self._paragraph(
            [(f"附件{table.number}" if numbered else "附件", self.names.heading)],
            WD_ALIGN_PARAGRAPH.LEFT,
        )
        mark.paragraph_format.page_break_before = True
        self._paragraph([])
        self._title(table.title)
        if table.note:
            note = self._paragraph(
                [(table.note, self.names.body)], WD_ALIGN_PARAGRAPH.LEFT, size=NOTE_SIZE
            )
            note.paragraph_format.line_spacing = Pt(NOTE_SIZE * 1.6)
        self._table(table)

    def _table(self, table: AttachmentTable) -> Table:
        ncols = len(table.columns)
        size = 10.5 if ncols >= 7 else 12.0 if ncols >= 5 else 14.0
        total = sum(c.weight if c.weight > 0 else 1.0 for c in table.columns) or 1.0
        widths = [
            Pt(TEXT_WIDTH_PT * (c.weight if c.weight > 0 else 1.0) / total) for c in table.columns
        ]
        word_table = self.document.add_table(rows=1 + len(table.rows), cols=ncols)
        word_table.style = self.document.styles["Table Grid"]
        word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
        word_table.autofit = False
        for column, width in zip(word_table.columns, widths, strict=True):
            column.width = width
        header = word_table.rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        header_align = [WD_ALIGN_PARAGRAPH.CENTER] * ncols
        self._fill_row(header, [c.title for c in table.columns], widths, header_align, size, True)
        aligns = [
            WD_ALIGN_PARAGRAPH.LEFT if c.align == "left" else WD_ALIGN_PARAGRAPH.CENTER
            for c in table.columns
        ]
        for row, values in zip(word_table.rows[1:], table.rows, strict=True):
            self._fill_row(row, values, widths, aligns, size, False)
        return word_table

    def _fill_row(self, row, values, widths, aligns, size: float, header: bool) -> None:
        font = self.names.heading if header else self.names.body
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            fmt = paragraph.paragraph_format
            fmt.alignment = aligns[i]
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            text = values[i] if i < len(values) else ""
            if text:
                set_run_font(paragraph.add_run(str(text)), font, size)
