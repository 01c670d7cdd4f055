"""The 通报's attachment tables (附件1/2/3 …) computed from a round's facts.

Shapes follow the office's real notices: sites as 编号/部门/评分/结果/主要问题 (county
portals and department sites apart), new media per unit as 序号/单位/新媒体数量/合格数/
不合格数/合格率/备注 with a 合计 line, and the list of failed accounts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from app.domain.notice_document import AttachmentTable, TableColumn
from app.domain.notice_facts import AccountFact, RoundFacts, SiteFact
from app.domain.rates import pass_rate
from app.domain.scoring import format_score

NOTHING = "无"


def window_note(start: date, end: date) -> str:
    """'注：数据采集时间2023年1月1日—3月25日' (the end's year only when it differs)."""
    end_text = f"{end.month}月{end.day}日"
    if end.year != start.year:
        end_text = f"{end.year}年{end_text}"
    return f"注：数据采集时间{start.year}年{start.month}月{start.day}日—{end_text}"


def verdict(checked: bool, passed: bool) -> str:
    if not checked:
        return "未检"
    return "合格" if passed else "不合格"


SITE_COLUMNS = [
    TableColumn("编号", 0.7),
    TableColumn("部门", 2.4),
    TableColumn("评分", 0.9),
    TableColumn("结果", 1.0),
    TableColumn("主要问题", 4.0, "left"),
]
UNIT_COLUMNS = [
    TableColumn("序号", 0.7),
    TableColumn("单位", 3.0, "left"),
    TableColumn("新媒体数量", 1.2),
    TableColumn("合格数", 1.0),
    TableColumn("不合格数", 1.0),
    TableColumn("合格率", 1.1),
    TableColumn("备注", 2.4, "left"),
]
FAILED_COLUMNS = [
    TableColumn("序号", 0.7),
    TableColumn("单位", 2.6, "left"),
    TableColumn("账号名称", 2.4, "left"),
    TableColumn("平台", 1.4),
    TableColumn("主要问题", 3.0, "left"),
]


def _site_key(site: SiteFact) -> tuple[object, ...]:
    rank = 0 if site.checked and site.passed else 1 if site.checked else 2
    score = -(site.score if site.score is not None else -1)
    return (rank, score)


def _site_rows(sites: list[SiteFact], portal: bool) -> list[list[str]]:
    rows = []
    for n, site in enumerate(sorted(sites, key=_site_key), start=1):
        who = (site.region or site.unit_name) if portal else site.unit_name
        score = format_score(site.score) if site.checked and site.score is not None else "—"
        if site.checked and not site.passed and site.score is None:
            score = "不合格"
        problems = site.problem_text if site.checked else ""
        rows.append([str(n), who, score, verdict(site.checked, site.passed), problems or NOTHING])
    return rows


def _unit_rows(accounts: list[AccountFact]) -> list[list[str]]:
    by_unit: dict[str, list[AccountFact]] = defaultdict(list)
    for account in accounts:
        by_unit[account.unit_name].append(account)
    rows = []
    total = passed = failed = 0
    for n, unit in enumerate(sorted(by_unit), start=1):
        group = by_unit[unit]
        ok = sum(a.checked and a.passed for a in group)
        bad = sum(a.checked and not a.passed for a in group)
        failed_names = "、".join(
            f"“{a.name}”{a.platform}" for a in group if a.checked and not a.passed
        )
        rows.append(
            [
                str(n),
                unit,
                str(len(group)),
                str(ok),
                str(bad),
                pass_rate(ok, ok + bad),
                f"不合格：{failed_names}" if failed_names else "",
            ]
        )
        total, passed, failed = total + len(group), passed + ok, failed + bad
    rows.append(
        ["", "合计", str(total), str(passed), str(failed), pass_rate(passed, passed + failed), ""]
    )
    return rows


def _failed_rows(accounts: list[AccountFact]) -> list[list[str]]:
    failed = [a for a in accounts if a.checked and not a.passed]
    failed.sort(key=lambda a: (a.region, a.unit_name, a.name))
    return [
        [str(n), a.unit_name, a.name, a.platform, a.problem_text or "不合格"]
        for n, a in enumerate(failed, start=1)
    ]


def attachment_tables(facts: RoundFacts, area: str) -> list[AttachmentTable]:
    """The attachments this round calls for, numbered from 1; empty ones are left out."""
    note = window_note(facts.window_start, facts.window_end)
    name = facts.round_name
    portals = [s for s in facts.sites if s.portal]
    departments = [s for s in facts.sites if not s.portal]
    planned: list[tuple[str, list, list[list[str]]]] = []
    if portals and departments:
        planned.append(
            (f"{name}各县（区）政府网站检查情况", SITE_COLUMNS, _site_rows(portals, True))
        )
        planned.append(
            (f"{name}各部门政府网站检查情况", SITE_COLUMNS, _site_rows(departments, False))
        )
    elif facts.sites:
        planned.append(
            (f"{name}{area}政府网站检查情况", SITE_COLUMNS, _site_rows(facts.sites, bool(portals)))
        )
    if facts.accounts:
        planned.append(
            (f"{name}{area}政务新媒体检查情况", UNIT_COLUMNS, _unit_rows(facts.accounts))
        )
        failed = _failed_rows(facts.accounts)
        if failed:
            planned.append((f"{name}检查不合格政务新媒体名单", FAILED_COLUMNS, failed))
    return [
        AttachmentTable(number=n, title=title, columns=list(columns), rows=rows, note=note)
        for n, (title, columns, rows) in enumerate(planned, start=1)
    ]
