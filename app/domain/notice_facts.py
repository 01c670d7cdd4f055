"""What a 通报 is written from: a round's results as plain facts, the office profile, templates.

The notice service gathers these from the database; :mod:`app.domain.notice_text` turns them
into editable texts and :mod:`app.domain.notice_tables` into the attachment tables.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Tally:
    total: int
    passed: int
    failed: int
    pending: int


@dataclass(frozen=True)
class SiteFact:
    name: str
    unit_name: str
    region: str
    portal: bool
    checked: bool
    passed: bool
    score: Decimal | None
    problem_text: str


@dataclass(frozen=True)
class AccountFact:
    name: str
    platform: str  # 微信公众号, 微博 …
    unit_name: str
    region: str
    checked: bool
    passed: bool
    problem_text: str


@dataclass(frozen=True)
class ProblemFact:
    """One indicator found on one site or account."""

    is_website: bool
    target_name: str  # 「红旗民政」微信公众号 / 市民政局网站 as the notice names it
    unit_name: str
    indicator_name: str
    category: str
    veto: bool


@dataclass(frozen=True)
class PreviousFacts:
    """The previous round's failed targets and how their rectification stands now."""

    round_name: str
    sites_failed: int
    sites_fixed: int
    sites_open: tuple[str, ...]
    accounts_failed: int
    accounts_fixed: int
    accounts_open: tuple[str, ...]
    fixed_on_time: int


@dataclass(frozen=True)
class RegionRate:
    region: str
    passed: int
    inspected: int


@dataclass(frozen=True)
class RoundFacts:
    round_name: str
    window_start: date
    window_end: date
    report_deadline: date | None
    sites: list[SiteFact]
    accounts: list[AccountFact]
    problems: list[ProblemFact]
    site_tally: Tally
    account_tally: Tally
    regions: list[RegionRate]
    previous: PreviousFacts | None = None


@dataclass
class OfficeProfile:
    """The issuing office's details, saved once and reused in every notice."""

    issuer: str = "某某县人民政府办公室"
    area: str = "全县"  # 全市 / 全县 / 全区
    recipients: str = "各乡镇人民政府、街道办事处，县直有关单位："
    contact: str = ""
    phone: str = ""
    email: str = ""
    doc_number_pattern: str = ""  # e.g. 某政办〔{year}〕{n}号; empty → no 文号
    next_number: int = 1
    publicity: str = "（此件公开发布）"

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> OfficeProfile:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})  # type: ignore[arg-type]

    def doc_number(self, year: int) -> str:
        if not self.doc_number_pattern:
            return ""
        return self.doc_number_pattern.replace("{year}", str(year)).replace(
            "{n}", str(self.next_number)
        )


@dataclass
class NoticeTemplates:
    """Paragraph texts with {placeholders}; edited and saved per office."""

    title: str = ""
    opening: str = ""
    requirements: str = ""
    closing: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NoticeTemplates:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})  # type: ignore[arg-type]
