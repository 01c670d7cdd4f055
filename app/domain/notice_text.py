"""The 通报's texts: drafted from a round's facts, edited by the clerk, composed for printing.

Every figure in the draft is computed; the wording around it comes from the office's
templates. Section texts are plain lines: one line per paragraph; a line starting with
「（一）…。」 gets its run-in heading in 楷体; a line like 「四、…」 becomes a heading.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from app.domain.notice_document import (
    BarChart,
    Block,
    BlockKind,
    NoticeDocument,
    chinese_date,
)
from app.domain.notice_facts import (
    NoticeTemplates,
    OfficeProfile,
    PreviousFacts,
    ProblemFact,
    RoundFacts,
    Tally,
)
from app.domain.notice_tables import attachment_tables
from app.domain.rates import pass_rate, pass_rate_decimal

NUMERALS = "一二三四五六七八九十"
HEADINGS = ("一、总体情况", "二、存在的主要问题", "三、下一步工作要求")
_LEAD = re.compile(r"^(（[一二三四五六七八九十]{1,3}）[^。：:]{0,40}?[。：:])(.*)$")
_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、\S")


@dataclass
class NoticeDraft:
    """Everything the clerk may edit before printing."""

    title: str
    doc_number: str
    recipients: str
    opening: str
    overview: str
    problems: str
    requirements: str
    closing: str
    attachment_titles: str  # one per line
    issuer: str
    issue_date: date
    publicity: str
    include_chart: bool = False


def fill(template: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders; unknown braces are left alone (the clerk's own text)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def numbered(index: int) -> str:
    """（一） … （十）, then （十一） …"""
    if index <= 10:
        return f"（{NUMERALS[index - 1]}）"
    return f"（十{NUMERALS[index - 11]}）" if index < 20 else f"（{index}）"


def make_draft(
    facts: RoundFacts,
    profile: OfficeProfile,
    templates: NoticeTemplates,
    *,
    issue_date: date,
    report_deadline: date,
) -> NoticeDraft:
    values = {
        "round": facts.round_name,
        "area": profile.area,
        "issuer": profile.issuer,
        "deadline": chinese_date(report_deadline),
        "contact": profile.contact or "（联系人）",
        "phone": profile.phone or "（电话）",
        "email": profile.email or "（邮箱）",
    }
    tables = attachment_tables(facts, profile.area)
    return NoticeDraft(
        title=fill(templates.title, values),
        doc_number=profile.doc_number(issue_date.year),
        recipients=profile.recipients,
        opening=fill(templates.opening, values),
        overview=overview_text(facts, profile.area),
        problems=problems_text(facts.problems),
        requirements=fill(templates.requirements, values),
        closing=fill(templates.closing, values),
        attachment_titles="\n".join(t.title for t in tables),
        issuer=profile.issuer,
        issue_date=issue_date,
        publicity=profile.publicity,
        include_chart=len(facts.regions) > 1,
    )


def overview_text(facts: RoundFacts, area: str) -> str:
    lines: list[str] = []
    if facts.previous is not None:
        lines.append(previous_text(facts.previous))
    if facts.site_tally.total:
        lines.append(_sites_text(facts, area))
    if facts.account_tally.total:
        lines.append(_accounts_text(facts, area))
    return "\n".join(numbered(n) + line for n, line in enumerate(lines, start=1))


def previous_text(p: PreviousFacts) -> str:
    head = f"{p.round_name}通报问题整改情况。"
    parts = []
    if p.sites_failed:
        parts.append(f"{p.sites_failed}个不合格政府网站")
    if p.accounts_failed:
        parts.append(f"{p.accounts_failed}个不合格政务新媒体")
    if not parts:
        return head + f"{p.round_name}检查未发现不合格政府网站和政务新媒体。"
    failed = p.sites_failed + p.accounts_failed
    fixed = p.sites_fixed + p.accounts_fixed
    found = f"经复查，{p.round_name}检查发现的{'和'.join(parts)}"
    if fixed == failed:
        text = f"{found}已全部完成整改"
        if p.fixed_on_time < fixed:
            text += f"，其中按期完成{p.fixed_on_time}个"
        return head + text + "。"
    still = "、".join(_quoted(n) for n in (*p.sites_open, *p.accounts_open))
    return head + f"{found}，已完成整改{fixed}个，仍未整改{failed - fixed}个：{still}。"


def _quoted(name: str) -> str:
    return name if name.startswith("“") else f"“{name}”"


def _tally_text(t: Tally) -> str:
    rate = pass_rate(t.passed, t.passed + t.failed)
    if t.failed == 0 and t.passed:
        text = f"全部合格，合格率为{rate}"
    else:
        text = f"合格{t.passed}个，不合格{t.failed}个，合格率为{rate}"
    if t.pending:
        text += f"（另有{t.pending}个尚未检查）"
    return text


def _sites_text(facts: RoundFacts, area: str) -> str:
    t = facts.site_tally
    text = f"政府网站检查情况。{area}在运行的政府网站共{t.total}个，经检查，{_tally_text(t)}。"
    failed = [s.name for s in facts.sites if s.checked and not s.passed]
    if failed:
        text += f"{'、'.join(failed)}不合格。"
    return text


def _accounts_text(facts: RoundFacts, area: str) -> str:
    t = facts.account_tally
    text = (
        f"政务新媒体检查情况。经对{area}在运行的{t.total}个政务新媒体开展检查，{_tally_text(t)}。"
    )
    failed = [f"“{a.name}”{a.platform}" for a in facts.accounts if a.checked and not a.passed]
    if failed:
        text += f"不合格账号：{'、'.join(failed)}。"
    return text


def problems_text(problems: list[ProblemFact]) -> str:
    """二、存在的主要问题: one paragraph per kind of problem, naming every site/account."""
    groups: dict[tuple[bool, str], list[ProblemFact]] = defaultdict(list)
    for p in problems:
        groups[(p.is_website, p.indicator_name)].append(p)
    if not groups:
        return "（一）本次检查未发现单项否决或扣分问题。"
    order = sorted(
        groups.items(),
        key=lambda kv: (not kv[0][0], not any(p.veto for p in kv[1]), -len(kv[1]), kv[0][1]),
    )
    lines = []
    for n, ((is_website, indicator), found) in enumerate(order, start=1):
        kind = "政府网站" if is_website else "政务新媒体"
        names = "、".join(dict.fromkeys(p.target_name for p in found))
        veto = any(p.veto for p in found)
        tail = "，属于单项否决情形，判定为不合格" if veto else ""
        problem = f"“{indicator}”" + ("" if indicator.endswith("问题") else "问题")
        lines.append(f"{numbered(n)}{kind}{indicator}。检查发现，{names}存在{problem}{tail}。")
    return "\n".join(lines)


def parse_section(text: str) -> list[Block]:
    """The clerk's lines → blocks: （一）… run-in leads, 「四、…」 headings, plain paragraphs."""
    blocks = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _HEADING.match(line) and len(line) <= 30 and not line.endswith("。"):
            blocks.append(Block(BlockKind.HEADING, line))
            continue
        match = _LEAD.match(line)
        if match:
            blocks.append(Block(BlockKind.PARAGRAPH, match.group(2), lead=match.group(1)))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, line))
    return blocks


def region_chart(facts: RoundFacts) -> BarChart | None:
    rated = [
        (r.region, pass_rate_decimal(r.passed, r.inspected)) for r in facts.regions if r.inspected
    ]
    if len(rated) < 2:
        return None
    return BarChart(
        title=f"{facts.round_name}各县（区）政府网站与政务新媒体合格率",
        categories=[region for region, _ in rated],
        values=[float(rate or 0) for _, rate in rated],
    )


def compose(draft: NoticeDraft, facts: RoundFacts, area: str) -> NoticeDocument:
    """The printable notice from the (edited) draft and the round's tables."""
    body: list[Block] = [*parse_section(draft.opening)]
    body.append(Block(BlockKind.HEADING, HEADINGS[0]))
    body += parse_section(draft.overview)
    chart = region_chart(facts) if draft.include_chart else None
    if chart is not None:
        body.append(Block(BlockKind.CHART))
    body.append(Block(BlockKind.HEADING, HEADINGS[1]))
    body += parse_section(draft.problems)
    body.append(Block(BlockKind.HEADING, HEADINGS[2]))
    body += parse_section(draft.requirements)
    body += parse_section(draft.closing)
    titles = [line.strip() for line in draft.attachment_titles.splitlines() if line.strip()]
    tables = attachment_tables(facts, area)
    return NoticeDocument(
        title=draft.title.strip(),
        body=body,
        issuer=draft.issuer.strip(),
        issue_date=draft.issue_date,
        doc_number=draft.doc_number.strip(),
        recipients=draft.recipients.strip(),
        attachment_titles=titles,
        publicity=draft.publicity.strip(),
        attachments=tables,
        chart=chart,
    )
