"""Benchmark: a 通报 PDF with 300 accounts + 50 sites vs. the same tables in bare platypus.

Builds a NoticeDocument shaped like the published notices (body, chart, 附件1 with 50
government websites, 附件2 with 300 new-media accounts, 附件3 with the failed ones), then
times in the same run:

- app: ``write_notice_pdf`` (the whole notice: body, chart, tables, page numbers, atomic write);
- baseline: the same three tables drawn with bare reportlab platypus — ``SimpleDocTemplate``,
  a title paragraph and a ``Table(repeatRows=1)`` per attachment, every cell a CJK-wrapping
  ``Paragraph`` (how a plain implementation wraps long text), same fonts and column widths;
- for reference, the same with plain string cells (no wrapping: long texts would overflow).

Target: the app takes at most 2× the baseline. Prints medians over ``--repeat`` runs.
``run()`` gives the same as a row for ``bench/run_all.py``.

    python bench/notice_pdf.py [--accounts 300] [--sites 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table  # noqa: E402

from app.domain.notice_document import (  # noqa: E402
    AttachmentTable,
    BarChart,
    Block,
    BlockKind,
    NoticeDocument,
    TableColumn,
)
from app.io.fonts import notice_fonts  # noqa: E402
from app.io.notice_pdf import TEXT_WIDTH, column_widths, write_notice_pdf  # noqa: E402
from bench.common import Result  # noqa: E402

TARGET = 2.0

REGIONS = [
    "思茅区",
    "宁洱县",
    "墨江县",
    "景东县",
    "景谷县",
    "镇沅县",
    "江城县",
    "孟连县",
    "澜沧县",
    "西盟县",
]
DEPTS = [
    "人力资源和社会保障局", "农业农村局", "市场监督管理局", "卫生健康局", "文化和旅游局",
    "公安局", "教育体育局", "司法局", "自然资源局", "住房和城乡建设局", "应急管理局", "医疗保障局",
]  # fmt: skip
TOWNS = ["勐梭镇", "翁嘎科镇", "新厂镇", "力所乡", "岳宋乡", "中课镇", "勐卡镇"]
PLATFORMS = ["微信公众号", "新浪微博", "抖音", "快手", "今日头条", "百家号"]
PROBLEMS = [
    "发布类账号2周内无更新",
    "未提供有效互动功能，互动回应差",
    "未按要求纳入全国政务新媒体信息报送系统常态化监管",
    "已停止维护但未关停，存在“僵尸”“空壳”问题，清理整合不到位",
    "信息发布审核把关不严，存在错敏信息未及时整改的问题",
]
SITE_PROBLEMS = [
    "咨询建言功能不全-13",
    "没有咨询建言(单否);空白栏目-10",
    "无信件展示、统计，互动差；社会调查功能缺失",
    "首页排版混乱错位、多处空白、政务服务网链接错误",
]


def make_notice(accounts: int, sites: int) -> NoticeDocument:
    site_rows = []
    for i in range(1, sites + 1):
        owner = REGIONS[i % len(REGIONS)] + ("人民政府" if i <= len(REGIONS) else DEPTS[i % 12])
        bad = i % 7 == 0
        site_rows.append(
            [str(i), f"{owner}门户网站", "87" if bad else "100", "合格", SITE_PROBLEMS[i % 4] if bad else "无"]
        )  # fmt: skip
    account_rows = []
    for i in range(1, accounts + 1):
        region = REGIONS[i % len(REGIONS)]
        unit = region + (TOWNS[i % len(TOWNS)] + "人民政府" if i % 5 == 0 else DEPTS[i % 12])
        bad = i % 9 == 0
        account_rows.append(
            [
                str(i), region, unit, f"{region[:2]}{DEPTS[i % 12][:2]}发布{i % 40 or ''}",
                PLATFORMS[i % len(PLATFORMS)], "不合格" if bad else "合格",
                PROBLEMS[i % len(PROBLEMS)] if bad else "无",
            ]
        )  # fmt: skip
    failed = [[str(n), r[3], r[4], r[6]] for n, r in enumerate((r for r in account_rows if r[5] == "不合格"), 1)]  # fmt: skip
    note = "注：数据采集时间2022年1月1日—3月25日"
    paragraph = (
        "按照国务院办公厅、省政府办公厅关于政府网站和政府系统政务新媒体管理工作有关要求，"
        "市政府办公室对全市政府网站和政府系统政务新媒体运行情况进行了监测检查。现将检查情况通报如下："
    )
    return NoticeDocument(
        title="普洱市人民政府办公室关于2022年一季度全市政府网站和政务新媒体检查情况的通报",
        recipients="各县（区）人民政府，市直有关部门：",
        body=[
            Block(BlockKind.PARAGRAPH, paragraph),
            Block(BlockKind.HEADING, "一、总体情况"),
            Block(BlockKind.PARAGRAPH, f"在运行政府网站{sites}个，总体合格率100%。", "（一）政府网站方面："),
            Block(BlockKind.CHART),
            Block(BlockKind.HEADING, "二、存在的主要问题"),
            Block(BlockKind.PARAGRAPH, paragraph * 3),
        ],  # fmt: skip
        issuer="普洱市人民政府办公室",
        issue_date=date(2022, 4, 7),
        attachment_titles=["政府网站检查情况", "政务新媒体检查情况", "不合格政务新媒体名单"],
        publicity="（此件公开发布）",
        chart=BarChart("各县（区）政务新媒体合格率", REGIONS, [100, 95.7, 88.9, 100, 62.5, 100, 90, 100, 77.8, 100]),
        attachments=[
            AttachmentTable(1, "2022年一季度全市政府网站检查情况", [
                TableColumn("编号", 0.6), TableColumn("网站名称", 2.5, "left"), TableColumn("评分", 0.7),
                TableColumn("结果", 0.7), TableColumn("主要问题", 3.0, "left")], site_rows, note),
            AttachmentTable(2, "2022年一季度全市政府系统政务新媒体检查情况", [
                TableColumn("序号", 0.6), TableColumn("县区", 1.0), TableColumn("主办单位", 2.0, "left"),
                TableColumn("账号名称", 1.6, "left"), TableColumn("平台", 1.2), TableColumn("结果", 0.8),
                TableColumn("主要问题", 2.8, "left")], account_rows, note),
            AttachmentTable(3, "2022年一季度抽查不合格政府政务新媒体名单", [
                TableColumn("序号", 0.6), TableColumn("账号名称", 2.0, "left"), TableColumn("平台", 1.2),
                TableColumn("主要问题", 3.5, "left")], failed, note),
        ],
    )  # fmt: skip


def bare_platypus(doc: NoticeDocument, path: Path, paragraphs: bool) -> None:
    """The attachment tables only, drawn the plain way with the same fonts."""
    font = notice_fonts().pdf.body
    title = ParagraphStyle("t", fontName=font, fontSize=22, leading=35, alignment=1, wordWrap="CJK")
    story = []
    for table in doc.attachments:
        size = 10.5 if len(table.columns) >= 7 else 12.0 if len(table.columns) >= 5 else 14.0
        cell = ParagraphStyle(
            "c", fontName=font, fontSize=size, leading=size * 1.35, wordWrap="CJK"
        )
        widths = column_widths([c.weight for c in table.columns], TEXT_WIDTH, 2 * size + 7)
        rows = [[c.title for c in table.columns], *table.rows]
        data = [[Paragraph(t, cell) for t in row] for row in rows] if paragraphs else rows
        story += [Paragraph(table.title, title), Table(data, colWidths=widths, repeatRows=1)]
        story.append(PageBreak())
    SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm,
        bottomMargin=35 * mm, initialFontName=font,
    ).build(story)  # fmt: skip


def measure(accounts: int, sites: int, repeat: int) -> tuple[float, float, float, float]:
    """Medians in seconds (baseline, plain-string reference, app) and the PDF's size in KB."""
    doc = make_notice(accounts, sites)
    notice_fonts()  # font loading once per process, not part of either measure
    app_t, base_t, plain_t = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for _ in range(repeat):
            t = time.perf_counter()
            bare_platypus(doc, out / "bare.pdf", paragraphs=True)
            base_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            bare_platypus(doc, out / "plain.pdf", paragraphs=False)
            plain_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            write_notice_pdf(doc, out / "通报.pdf")
            app_t.append(time.perf_counter() - t)
        size_kb = (out / "通报.pdf").stat().st_size / 1024
    b, p, a = (statistics.median(x) for x in (base_t, plain_t, app_t))
    return b, p, a, size_kb


def report(
    accounts: int, sites: int, repeat: int, b: float, p: float, a: float, size_kb: float
) -> None:
    print(f"notice PDF, {accounts} accounts + {sites} sites, median of {repeat}")
    print(f"{'measure':<58}{'s':>8}{'ratio':>8}")
    print(f"{'baseline: bare platypus tables, Paragraph cells':<58}{b:>8.2f}{1:>8.2f}")
    print(f"{'reference: bare platypus tables, string cells (no wrap)':<58}{p:>8.2f}{p / b:>8.2f}")
    print(f"{f'write_notice_pdf (whole notice, {size_kb:.0f} KB)':<58}{a:>8.2f}{a / b:>8.2f}")
    print(
        f"target write_notice_pdf ≤ {TARGET:g}× baseline: {'met' if a / b <= TARGET else 'NOT met'}"
    )


def run(accounts: int = 300, sites: int = 50, repeat: int = 3) -> list[Result]:
    b, p, a, size_kb = measure(accounts, sites, repeat)
    report(accounts, sites, repeat, b, p, a, size_kb)
    name = f"通报 PDF, {accounts} accounts + {sites} sites vs bare platypus"
    return [Result(name, a, b, "s", target_ratio=TARGET)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    report(args.accounts, args.sites, args.repeat, *measure(args.accounts, args.sites, args.repeat))


if __name__ == "__main__":
    main()
