"""The content of a 通报 (or a 整改通知书) as plain data, independent of PDF/Word/Excel.

The notice service fills one of these from a round's data and the office's templates; the
clerk may edit the texts; renderers in ``app/io`` turn the same object into a PDF, a .docx and
the attachment tables as .xlsx. Layout follows GB/T 9704-2012 (党政机关公文格式).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class BlockKind(Enum):
    HEADING = "heading"  # 一、总体情况 — own line, 黑体
    PARAGRAPH = "paragraph"  # body text, first line indented two characters; ``lead`` run-in
    PLAIN = "plain"  # no indent (主送 line)
    CHART = "chart"  # the document's bar chart, drawn where this block stands (PDF only)


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    lead: str = ""  # run-in heading such as "（一）政府网站方面：" set in 楷体 before ``text``


@dataclass(frozen=True)
class TableColumn:
    title: str
    weight: float = 1.0  # share of the table width
    align: str = "center"  # "center" | "left"


@dataclass(frozen=True)
class AttachmentTable:
    """附件N: a titled table; its header row repeats on every page."""

    number: int
    title: str
    columns: list[TableColumn]
    rows: list[list[str]]
    note: str = ""  # e.g. "注：数据采集时间2022年1月1日—3月25日", printed under the title


@dataclass(frozen=True)
class BarChart:
    """Pass rates (0–100) by category, e.g. by 县区; drawn as a bar chart."""

    title: str
    categories: list[str]
    values: list[float]
    value_suffix: str = "%"


@dataclass
class NoticeDocument:
    title: str
    body: list[Block]
    issuer: str
    issue_date: date
    doc_number: str = ""  # 文号, e.g. 沭政督字〔2021〕31号; printed above the title when set
    recipients: str = ""  # 主送, e.g. 各县（区）人民政府，市直有关部门：
    attachment_titles: list[str] = field(default_factory=list)  # the 附件： list after the body
    publicity: str = ""  # 公开属性 line, e.g. （此件公开发布）
    attachments: list[AttachmentTable] = field(default_factory=list)
    chart: BarChart | None = None


def chinese_date(day: date) -> str:
    """2022年4月7日 — the notices' date form (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
