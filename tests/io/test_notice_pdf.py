"""通报 PDF: read back with pdftotext/pdffonts; fonts; atomic write, progress and cancel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.domain.notice_document import Block, BlockKind, NoticeDocument
from app.errors import FileAccessError
from app.io.fonts import notice_fonts
from app.io.notice_pdf import (
    NoticeCancelled,
    balanced_lines,
    column_widths,
    format_value,
    write_notice_pdf,
)
from app.paths import resource_path
from tests.io.notice_samples import HUGE_MARK, REGIONS, sample_notice

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)


def pdf_pages(path: Path) -> list[str]:
    """Text of each page (pdftotext separates pages with form feeds)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def flat(text: str) -> str:
    """Text without whitespace: pdftotext breaks lines and spaces glyphs freely."""
    return re.sub(r"\s+", "", text)


def pdffonts_rows(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> tuple[NoticeDocument, Path]:
    doc = sample_notice(account_rows=120)
    path = write_notice_pdf(doc, tmp_path_factory.mktemp("pdf") / "通报.pdf")
    return doc, path


@needs_poppler
def test_every_text_of_the_notice_is_in_the_pdf(sample_pdf):
    doc, path = sample_pdf
    text = flat("".join(pdf_pages(path)))
    expected = [doc.title, doc.doc_number, doc.recipients, doc.issuer, "2022年4月7日"]
    expected += [doc.publicity, "附件：1.", *doc.attachment_titles]
    for block in doc.body:
        expected += [block.lead, block.text]
    for table in doc.attachments:
        expected += [f"附件{table.number}", table.title, table.note]
        expected += [c.title for c in table.columns]
        expected += [cell for row in table.rows for cell in row]
    missing = [t for t in expected if flat(t) and flat(t) not in text]
    assert missing == []
    assert "95.7%" in text and "100%" in text


@needs_poppler
def test_page_numbers_on_every_page(sample_pdf):
    _, path = sample_pdf
    pages = pdf_pages(path)
    assert len(pages) > 4
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"—\s*{number}\s*—", page), f"page {number}"


@needs_poppler
def test_chart_labels_are_text(sample_pdf):
    doc, path = sample_pdf
    chart_page = next(p for p in pdf_pages(path) if doc.chart.title in flat(p))
    text = flat(chart_page)
    assert all(region in text for region in REGIONS)
    assert "62.5%" in text and "87.5%" in text and "0%" in text


@needs_poppler
def test_long_table_repeats_its_header_on_the_next_page(sample_pdf):
    _, path = sample_pdf
    pages = [re.sub(r"^—\d+—", "", flat(p)) for p in pdf_pages(path)]  # number drawn first
    start = next(i for i, p in enumerate(pages) if p.startswith("附件2"))
    following = pages[start + 1]
    assert not following.startswith("附件")  # still the table of 附件2
    assert following.startswith("序号县区主办单位账号名称平台结果主要问题")


@needs_poppler
def test_all_fonts_embedded_and_no_helvetica(sample_pdf):
    _, path = sample_pdf
    rows = pdffonts_rows(path)
    assert rows
    for row in rows:
        name, emb = row[0], row[-5]
        assert emb == "yes", row
        assert re.match(r"[A-Z]{6}\+", name), row  # subset of an embedded TrueType font
        assert "Helvetica" not in name


@needs_poppler
def test_a_cell_longer_than_a_page_is_split_not_cut(tmp_path):
    doc = sample_notice(account_rows=12, huge_cell=True)
    path = write_notice_pdf(doc, tmp_path / "huge.pdf")
    text = flat("".join(pdf_pages(path)))
    assert text.count(HUGE_MARK) == 160
    assert "（完）" in text


@needs_poppler
def test_minimal_notice_and_markup_characters(tmp_path):
    doc = NoticeDocument(
        title="关于<测试>&通报",
        body=[Block(BlockKind.PLAIN, "A & B <b>不是标记</b>"), Block(BlockKind.CHART)],
        issuer="某县人民政府办公室",
        issue_date=date(2026, 1, 5),
    )
    path = write_notice_pdf(doc, tmp_path / "min")
    assert path.name == "min.pdf"
    text = flat("".join(pdf_pages(path)))
    assert "关于<测试>&通报" in text
    assert "A&B<b>不是标记</b>" in text
    assert "2026年1月5日" in text


def test_progress_reaches_the_total(tmp_path):
    seen: list[tuple[int, int]] = []
    write_notice_pdf(sample_notice(), tmp_path / "a.pdf", progress=lambda d, t: seen.append((d, t)))
    assert len(seen) > 10
    assert seen[-1][0] == seen[-1][1] > 0
    done = [d for d, _ in seen]
    assert done == sorted(done)


def test_cancel_midway_leaves_no_file(tmp_path):
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 20

    with pytest.raises(NoticeCancelled, match="取消"):
        write_notice_pdf(sample_notice(), tmp_path / "a.pdf", cancelled=cancelled)
    assert calls["n"] > 20
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_an_existing_file(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    with pytest.raises(NoticeCancelled):
        write_notice_pdf(sample_notice(), target, cancelled=lambda: True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_missing_folder(tmp_path):
    with pytest.raises(FileAccessError, match="不存在"):
        write_notice_pdf(sample_notice(), tmp_path / "nope" / "a.pdf")


@pytest.mark.skipif(
    os.name == "nt" or os.geteuid() == 0, reason="root ignores directory permissions"
)
def test_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(FileAccessError, match="无法"):
            write_notice_pdf(sample_notice(), locked / "a.pdf")
    finally:
        locked.chmod(0o700)


def test_file_open_in_a_reader(monkeypatch, tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old content")

    def refuse(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileAccessError, match="「a.pdf」.*PDF 阅读器中打开.*请关闭.*后重试"):
        write_notice_pdf(sample_notice(), target)
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_column_widths_follow_weights_with_a_minimum():
    assert column_widths([1, 3], 400, 10) == [100, 300]
    widths = column_widths([0.1, 5, 5], 400, 30)
    assert widths[0] == 30 and sum(widths) == pytest.approx(400)
    assert column_widths([0, -1], 100, 10) == [50, 50]


def test_titles_wrap_into_balanced_lines():
    font = notice_fonts().pdf.title

    def measure(text: str) -> float:
        return stringWidth(text, font, 22)

    title = "2022年一季度抽查不合格政府政务新媒体名单"
    lines = balanced_lines(title, measure, 442)
    assert "".join(lines) == title and len(lines) == 2
    assert len(lines[0]) >= len(lines[1]) >= len(lines[0]) - 2  # no orphaned last character
    assert balanced_lines("短标题", measure, 442) == ["短标题"]
    assert balanced_lines("第一行\n第二行", measure, 442) == ["第一行", "第二行"]
    long = "临沭县人民政府办公室关于2021年全县第三季度政府网站和政务新媒体检查情况通报（第二期）"
    lines = balanced_lines(long, measure, 300)
    assert "".join(lines) == long
    assert all(measure(line) <= 300 for line in lines)
    assert not any(line.startswith(("）", "，")) for line in lines)
    assert any("2021" in line for line in lines)  # digit runs stay whole


def test_bar_labels_written_like_the_notices():
    assert format_value(95.65, "%") == "95.7%"
    assert format_value(100.0, "%") == "100%"
    assert format_value(0, "%") == "0%"
    assert format_value(50, "%") == "50.0%"


# --- fonts -------------------------------------------------------------------------------


def _fake_windows_fonts(folder: Path, names: list[str]) -> Path:
    folder.mkdir()
    bundled = resource_path("fonts", "wqy-microhei.ttc")
    for name in names:
        (folder / name).symlink_to(bundled)
    return folder


def test_fonts_fall_back_to_the_bundled_font(tmp_path):
    fonts = notice_fonts([tmp_path / "none"])
    assert fonts.fallback_only
    assert len({fonts.pdf.body, fonts.pdf.heading, fonts.pdf.title}) == 1
    assert fonts.docx.body == "仿宋" and fonts.docx.heading == "黑体" and fonts.docx.lead == "楷体"
    assert notice_fonts([tmp_path / "none"]) is fonts  # resolved once


def test_fonts_prefer_windows_files_by_role(tmp_path):
    folder = _fake_windows_fonts(
        tmp_path / "Fonts", ["simfang.ttf", "simhei.ttf", "simkai.ttf", "simsun.ttc"]
    )
    (folder / "bad.ttf").write_bytes(b"not a font")
    fonts = notice_fonts([folder])
    assert not fonts.fallback_only
    assert fonts.files["body"].name == "simfang.ttf"
    assert fonts.files["heading"].name == fonts.files["title"].name == "simhei.ttf"
    assert fonts.files["lead"].name == "simkai.ttf"
    assert fonts.files["page_number"].name == "simsun.ttc"
    assert len({fonts.pdf.body, fonts.pdf.heading, fonts.pdf.lead}) == 3
    assert fonts.docx.title == "黑体"


def test_fonts_use_an_installed_xiaobiaosong_and_skip_broken_files(tmp_path):
    folder = _fake_windows_fonts(tmp_path / "Fonts", ["FZXBSJW.TTF", "simfang.ttf"])
    (folder / "simkai.ttf").write_bytes(b"broken")
    fonts = notice_fonts([folder])
    assert fonts.files["title"].name == "FZXBSJW.TTF"
    assert fonts.docx.title == "方正小标宋简体"
    assert fonts.files["lead"] == resource_path("fonts", "wqy-microhei.ttc")


def test_sample_is_not_mutated_between_tests():
    doc = sample_notice()
    assert replace(doc, title="x").title == "x" and doc.title.startswith("普洱市")


@needs_poppler
@pytest.mark.parametrize("lead", ["", "（一）政府网站。"])  # one text run, and several
def test_no_line_starts_with_closing_punctuation(tmp_path, lead):
    sentence = (
        "检查发现，新乡市市场监督管理局网站存在“办事指南要素缺失”问题；属于单项否决情形：不合格。"
    )
    found = []
    for pad in range(0, 16):  # shift the text so every character meets the line end once
        doc = NoticeDocument(
            "标点",
            [Block(BlockKind.PARAGRAPH, "检" * pad + sentence * 3, lead=lead)],
            "某办",
            date(2026, 1, 1),
        )
        out = write_notice_pdf(doc, tmp_path / f"punct{pad}.pdf")
        lines = subprocess.run(
            ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True
        ).stdout.splitlines()
        found += [line.strip() for line in lines if line.strip()[:1] in list("，；：。、”")]
    assert found == []


def test_a_title_never_breaks_after_an_opening_bracket():
    title = "2026年第三季度各县（区）政府网站检查情况"
    for width in range(6, 20):  # at 6 and 7 an equal split would end a line on "（"
        lines = balanced_lines(title, lambda text: float(len(text)), float(width))
        assert "".join(lines) == title
        assert not [line for line in lines[:-1] if line.endswith("（")], (width, lines)


def test_a_two_line_title_breaks_where_a_phrase_ends():
    font = notice_fonts().pdf.title

    def measure(text: str) -> float:
        return stringWidth(text, font, 22)

    title = "关于2026年第三季度全县政府网站与政务新媒体检查情况的通报"
    assert balanced_lines(title, measure, 442) == [
        "关于2026年第三季度全县政府网站",
        "与政务新媒体检查情况的通报",
    ]  # not "…政府网 / 站与…"


def test_font_note_names_what_the_pdf_will_embed(tmp_path):
    from app.io.fonts import font_note

    assert "文泉驿" in font_note([tmp_path])
    for name in ("simfang.ttf", "simhei.ttf", "simkai.ttf"):
        (tmp_path / name).write_bytes(b"")
    assert "仿宋、黑体、楷体" in font_note([tmp_path]) and "文泉驿" not in font_note([tmp_path])
