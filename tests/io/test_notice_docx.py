"""通报 .docx: read back with python-docx (texts, fonts, tables, header repeat, page numbers)."""

from __future__ import annotations

import os

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.errors import FileAccessError
from app.io.notice_docx import write_notice_docx
from tests.io.notice_samples import sample_notice


def east_asia(run) -> str | None:
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    doc = sample_notice(account_rows=80)
    path = write_notice_docx(doc, tmp_path_factory.mktemp("docx") / "通报")
    return doc, path, Document(str(path))


def paragraph_named(word, text: str):
    """The paragraph reading ``text`` (line breaks inside it ignored)."""
    return next(p for p in word.paragraphs if p.text.replace("\n", "") == text)


def test_path_and_page_setup(sample_docx):
    _, path, word = sample_docx
    assert path.suffix == ".docx" and path.is_file()
    section = word.sections[0]
    close = Mm(0.05)  # Word stores twentieths of a point

    def near(a, b) -> bool:
        return abs(a - b) < close

    assert near(section.page_width, Mm(210)) and near(section.page_height, Mm(297))
    assert near(section.top_margin, Mm(37)) and near(section.left_margin, Mm(28))
    assert near(section.page_width - section.left_margin - section.right_margin, Mm(156))
    assert near(section.page_height - section.top_margin - section.bottom_margin, Mm(225))


def test_texts_in_order(sample_docx):
    doc, _, word = sample_docx
    texts = [p.text.replace("\n", "") for p in word.paragraphs if p.text]
    expected = [doc.doc_number, doc.title, doc.recipients]
    expected += [b.lead + b.text for b in doc.body if b.text]
    expected += ["附件：1." + doc.attachment_titles[0], "2." + doc.attachment_titles[1]]
    expected += [doc.issuer, "2022年4月7日", doc.publicity, "附件1"]
    positions = [texts.index(t) for t in expected]
    assert positions == sorted(positions)


def test_fonts_named_for_east_asian_text(sample_docx):
    doc, _, word = sample_docx
    title = paragraph_named(word, doc.title)
    assert east_asia(title.runs[0]) == "黑体" and title.runs[0].font.size == Pt(22)
    upper, lower = title.text.split("\n")  # balanced lines, the upper one no shorter
    assert len(upper) >= len(lower) >= len(upper) - 3
    heading = paragraph_named(word, "一、总体情况")
    assert east_asia(heading.runs[0]) == "黑体"
    assert heading.paragraph_format.first_line_indent == Pt(32)
    lead_block = next(b for b in doc.body if b.lead)
    paragraph = paragraph_named(word, lead_block.lead + lead_block.text)
    assert [east_asia(r) for r in paragraph.runs] == ["楷体", "仿宋"]
    normal = word.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    recipients = paragraph_named(word, doc.recipients)
    assert not recipients.paragraph_format.first_line_indent


def test_signature_right_and_date_four_characters_in(sample_docx):
    doc, _, word = sample_docx
    date_paragraph = paragraph_named(word, "2022年4月7日")
    assert date_paragraph.alignment == 2  # right
    assert date_paragraph.paragraph_format.right_indent == Pt(64)
    issuer = paragraph_named(word, doc.issuer)
    # centred over the date: 10 characters (160 pt) over "2022年4月7日" (96 pt)
    assert issuer.paragraph_format.right_indent == Pt(64 + (96 - 160) / 2)


def test_attachment_tables(sample_docx):
    doc, _, word = sample_docx
    assert len(word.tables) == len(doc.attachments)
    for table, attachment in zip(word.tables, doc.attachments, strict=True):
        assert len(table.rows) == len(attachment.rows) + 1
        header = table.rows[0]
        assert [c.text for c in header.cells] == [c.title for c in attachment.columns]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(
            r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:]
        )
        assert [c.text for c in table.rows[-1].cells] == attachment.rows[-1]
        assert east_asia(header.cells[0].paragraphs[0].runs[0]) == "黑体"
        assert east_asia(table.rows[1].cells[1].paragraphs[0].runs[0]) == "仿宋"
    marks = [p for p in word.paragraphs if p.text in {"附件1", "附件2", "附件3"}]
    assert [p.text for p in marks] == ["附件1", "附件2", "附件3"]
    assert all(p.paragraph_format.page_break_before for p in marks)


def test_page_numbers_are_a_page_field_outside_edge(sample_docx):
    _, _, word = sample_docx
    section = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")


def test_single_attachment_is_just_fujian(tmp_path):
    doc = sample_notice(account_rows=3)
    doc.attachments = doc.attachments[:1]
    doc.attachment_titles = doc.attachment_titles[:1]
    word = Document(str(write_notice_docx(doc, tmp_path / "a.docx")))
    texts = [p.text for p in word.paragraphs]
    assert "附件：" + doc.attachment_titles[0] in texts
    assert "附件" in texts and "附件1" not in texts


def test_missing_folder(tmp_path):
    with pytest.raises(FileAccessError, match="不存在"):
        write_notice_docx(sample_notice(account_rows=3), tmp_path / "nope" / "a.docx")


@pytest.mark.skipif(
    os.name == "nt" or os.geteuid() == 0, reason="root ignores directory permissions"
)
def test_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(FileAccessError, match="无法"):
            write_notice_docx(sample_notice(account_rows=3), locked / "a.docx")
    finally:
        locked.chmod(0o700)


def test_file_open_in_word(monkeypatch, tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileAccessError, match="正在 Word/WPS 中打开"):
        write_notice_docx(sample_notice(account_rows=3), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
