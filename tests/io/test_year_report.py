"""年度汇总 .xlsx read back with openpyxl; the PDF read back with pdftotext and pdffonts."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from app.io.year_report import write_year_pdf, write_year_xlsx, year_document, year_title
from app.services.overview import YearSummary
from app.services.stats import Counts
from tests.io.test_notice_pdf import flat, needs_poppler, pdf_pages, pdffonts_rows
from tests.services.overview_samples import TODAY, build_world

UNITS = ("卫滨区人民政府", "红旗区人民政府", "卫滨区教育局", "红旗区民政局")


@pytest.fixture
def summary(registry) -> YearSummary:
    build_world(registry)
    return registry.overview.year_summary(2025, TODAY)


def sheet_rows(path, name):
    return [list(r) for r in load_workbook(path)[name].iter_rows(values_only=True)]


def test_xlsx_has_every_table_with_the_figures(summary, tmp_path):
    path = write_year_xlsx(summary, tmp_path / "年度汇总")
    assert path.suffix == ".xlsx"
    assert load_workbook(path).sheetnames == ["各轮次", "主要问题", "被通报单位", "整改情况"]
    rounds = sheet_rows(path, "各轮次")
    assert rounds[0][:4] == ["轮次", "数据采集开始", "数据采集结束", "网站列入检查"]
    first = rounds[1]
    assert first[0] == "2025年第一季度" and first[1].date() == date(2025, 1, 1)
    assert first[3:] == [2, 1, 1, "50.0%", 3, 2, 1, "66.7%"]
    assert rounds[-1][0] == "2025年合计" and rounds[-1][6] == "80.0%" and rounds[-1][10] == "50.0%"
    problems = sheet_rows(path, "主要问题")
    assert problems[1][:2] == [1, "政务新媒体"] and problems[1][3:] == [3, 3]
    units = sheet_rows(path, "被通报单位")
    assert {row[1] for row in units[1:]} == set(UNITS)
    assert units[1][1:6] == ["卫滨区人民政府", "卫滨区", 1, 1, 3]
    on_time = sheet_rows(path, "整改情况")
    assert on_time[1] == ["2025年第一季度", 4, 4, 1, 3, 0, "25.0%"]
    assert on_time[-1] == ["2025年合计", 6, 6, 1, 5, 2, "16.7%"]


def test_document_sections_and_attachments(summary):
    doc = year_document(summary, "新乡市人民政府办公室", date(2026, 1, 10))
    assert year_title(summary) == "2025年度政府网站和政务新媒体检查情况汇总"
    assert doc.title == "2025年度政府网站和政务新媒体\n检查情况汇总"
    assert [a.number for a in doc.attachments] == [1, 2, 3, 4]
    assert doc.chart is not None and doc.chart.categories == [
        "第一季度",
        "第二季度",
        "第三季度（未检完）",
    ]
    assert doc.chart.values == [50.0, 100.0, 100.0]
    text = "".join(b.text for b in doc.body)
    assert "共开展检查3轮（第一季度、第二季度、第三季度）" in text
    assert "检查政府网站5个次，合格4个次，合格率80.0%（另有1个次尚未检查）" in text
    assert "按期整改率16.7%" in text and "详见附件4。" in text


def test_an_empty_year_has_no_empty_tables(registry):
    summary = registry.overview.year_summary(2024, TODAY)
    assert summary.websites == Counts(0, 0, 0, 0)
    doc = year_document(summary, "某某县人民政府办公室", date(2025, 1, 5))
    assert doc.attachments == [] and doc.chart is None
    assert "2024年没有开展检查。" in "".join(b.text for b in doc.body)


@needs_poppler
def test_pdf_has_the_figures_and_units_and_embeds_every_font(summary, tmp_path):
    path = write_year_pdf(summary, tmp_path / "年度汇总", "新乡市人民政府办公室", date(2026, 1, 10))
    assert path.suffix == ".pdf"
    pages = pdf_pages(path)
    text = flat("".join(pages))
    for expected in (
        "2025年度政府网站和政务新媒体检查情况汇总",
        "新乡市人民政府办公室",
        "2026年1月10日",
        "80.0%",
        "66.7%",
        "33.3%",
        "16.7%",
        "25.0%",
        *UNITS,
        "2025年第二季度",
    ):
        assert flat(expected) in text, expected
    assert len(pages) >= 5  # the body and four attachments, each on its own page
    fonts = pdffonts_rows(path)
    assert fonts and all("yes" == row[-5] for row in fonts), fonts
