"""检查指标计分 (scoring against an indicator set): 单项否决, 扣分, 加分 and 主要问题 text.

Pure rules for 国办秘函〔2019〕19号 and local sets built on it:

- any veto (单项否决) → 不合格, no score;
- deduction of an indicator = count × points_per (or the manual points), capped at the
  indicator's cap, then the category's sum capped at the category's points;
- score = base − deductions; below ``pass_mark`` fails (exactly 60 passes);
- bonus (加分) only on portal sites and only when the deduction score is above
  ``bonus_after`` (exactly 80 gets none), capped at ``bonus_cap``; final = score + bonus;
- sites without services (无对外办事服务): 办事服务 is skipped, the rest is out of
  ``no_service_base`` and scaled by base / no_service_base;
- the score is kept as an exact Decimal and rounded to one decimal (half-up) at the end only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Literal

Part = Literal["veto", "deduction", "bonus"]
Mode = Literal["veto_only", "scored"]

PARTS: tuple[str, ...] = ("veto", "deduction", "bonus")
PART_LABELS: dict[str, str] = {"veto": "单项否决", "deduction": "扣分", "bonus": "加分"}
MODES: tuple[str, ...] = ("veto_only", "scored")

VETO_MARK = "(单否)"
SEPARATOR = ";"
NOTHING = "无"
FAIL_LABEL = "不合格"

_TENTH = Decimal("0.1")
_ONE = Decimal(1)
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Indicator:
    """One checklist item (检查指标)."""

    code: str
    part: Part
    category: str
    name: str
    short_name: str
    points_per: Decimal | None = None
    cap: Decimal | None = None
    description: str = ""
    confirmed: bool = True

    @property
    def label(self) -> str:
        """「留言答复」, for messages: the name the clerk sees in the checklist (codes are internal)."""
        return f"「{self.name}」"


@dataclass(frozen=True)
class Category:
    """A first-level indicator (一级指标) whose deductions share one cap.

    ``description`` is an addition to the agreed interface: a note shown in the editor
    (e.g. why a number is derived).
    """

    name: str
    points: Decimal
    services: bool = False
    confirmed: bool = True
    description: str = ""


@dataclass(frozen=True)
class RuleSet:
    """A whole indicator set (指标体系) with its verdict parameters."""

    mode: Mode
    indicators: tuple[Indicator, ...]
    categories: tuple[Category, ...] = ()
    base: Decimal = Decimal(100)
    pass_mark: Decimal = Decimal(60)
    bonus_after: Decimal = Decimal(80)
    bonus_cap: Decimal = Decimal(30)
    bonus_portal_only: bool = True
    no_service_base: Decimal = Decimal(75)

    @cached_property
    def _by_code(self) -> dict[str, Indicator]:
        found: dict[str, Indicator] = {}
        for item in self.indicators:
            found.setdefault(item.code, item)
        return found

    @cached_property
    def _categories_by_name(self) -> dict[str, Category]:
        found: dict[str, Category] = {}
        for cat in self.categories:
            found.setdefault(cat.name, cat)
        return found

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code; ``KeyError`` with a Chinese message if unknown."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"指标体系中没有指标「{code}」") from None

    def category(self, name: str) -> Category | None:
        """The category with this name, or ``None``."""
        return self._categories_by_name.get(name)


@dataclass(frozen=True)
class Finding:
    """One problem found (发现的问题). ``count`` 0 means not found."""

    code: str
    count: int = 1
    points: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class ScoreResult:
    """Verdict of one site or account."""

    passed: bool
    score: Decimal | None
    vetoes: tuple[str, ...]
    deductions: tuple[tuple[str, Decimal], ...]
    bonus: Decimal
    problem_text: str


class ScoringError(ValueError):
    """A finding cannot be scored; the message names the indicator."""


def score(
    rules: RuleSet,
    findings: Sequence[Finding],
    *,
    portal: bool = False,
    no_services: bool = False,
) -> ScoreResult:
    """Score the findings of one site/account against ``rules``.

    ``portal``: the site is a 政府门户网站 (bonus allowed). ``no_services``: the site has no
    external services, so 办事服务 categories are skipped and the score is rescaled.
    Several findings with the same code add up before the caps apply.
    """
    vetoes_found, amounts = _collect(rules, findings, portal=portal)
    vetoes = tuple(
        item.code for item in rules.indicators if item.part == "veto" and item.code in vetoes_found
    )
    if rules.mode == "veto_only":
        text = compose_problem_text(rules, (), vetoes)
        return ScoreResult(not vetoes, None, vetoes, (), _ZERO, text)

    skipped = {cat.name for cat in rules.categories if cat.services} if no_services else set()
    deductions = _apply_caps(rules, amounts, "deduction", skipped)
    text = compose_problem_text(rules, deductions, vetoes)
    if vetoes:
        return ScoreResult(False, None, vetoes, deductions, _ZERO, text)

    deducted = sum((points for _, points in deductions), _ZERO)
    if no_services:
        exact = (rules.no_service_base - deducted) * rules.base / rules.no_service_base
    else:
        exact = rules.base - deducted
    exact = max(exact, _ZERO)
    passed = exact >= rules.pass_mark

    bonus = _ZERO
    if exact > rules.bonus_after and (portal or not rules.bonus_portal_only):
        bonuses = _apply_caps(rules, amounts, "bonus", skipped)
        bonus = min(sum((points for _, points in bonuses), _ZERO), rules.bonus_cap)
    return ScoreResult(passed, round_score(exact + bonus), vetoes, deductions, bonus, text)


def compose_problem_text(
    rules: RuleSet,
    result_deductions: Sequence[tuple[str, Decimal]],
    vetoes: Sequence[str],
) -> str:
    """主要问题 in the notices' style: 「没有咨询建言(单否);空白栏目-10」, 「无」 when nothing.

    Vetoes first as 「短名(单否)」, then deductions as 「短名-分数」 (a deduction capped to 0
    shows the short name alone). Bonus is never shown.
    """
    parts = [f"{rules.indicator(code).short_name}{VETO_MARK}" for code in vetoes]
    for code, points in result_deductions:
        short = rules.indicator(code).short_name
        parts.append(f"{short}-{format_points(points)}" if points else short)
    return SEPARATOR.join(parts) if parts else NOTHING


def round_score(value: Decimal) -> Decimal:
    """Round to one decimal, half-up; whole numbers come back without a decimal place."""
    rounded = value.quantize(_TENTH, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(_ONE)
    return rounded


def format_score(value: Decimal | None) -> str:
    """评分 column text: "87", "87.5"; "不合格" for no score."""
    if value is None:
        return FAIL_LABEL
    return f"{round_score(value):f}"


def format_points(value: Decimal) -> str:
    """Points as written in 主要问题: "10", "2.5" (no trailing zeros)."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"


def _collect(
    rules: RuleSet, findings: Sequence[Finding], *, portal: bool
) -> tuple[set[str], dict[str, Decimal]]:
    """Validate the findings; return the vetoes present and summed amounts per code."""
    vetoes: set[str] = set()
    amounts: dict[str, Decimal] = {}
    for finding in findings:
        try:
            item = rules.indicator(finding.code)
        except KeyError:
            raise ScoringError(f"指标体系中没有指标「{finding.code}」") from None
        count = finding.count
        if isinstance(count, bool) or not isinstance(count, int):
            raise ScoringError(f"指标{item.label}的次数应为整数：{count!r}")
        if count < 0:
            raise ScoringError(f"指标{item.label}的次数不能为负数：{count}")
        if count == 0:
            continue
        if item.part == "veto":
            vetoes.add(item.code)
            continue
        if rules.mode == "veto_only":
            continue
        if item.part == "bonus" and rules.bonus_portal_only and not portal:
            raise ScoringError(f"加分指标{item.label}只适用于政府门户网站")
        amounts[item.code] = amounts.get(item.code, _ZERO) + _amount(rules, item, finding)
    return vetoes, amounts


def _amount(rules: RuleSet, item: Indicator, finding: Finding) -> Decimal:
    """Raw points of one finding: the manual points, else count × points_per."""
    if finding.points is None:
        if item.points_per is None:
            raise ScoringError(f"指标{item.label}须逐项填写分值")
        return finding.count * item.points_per
    points = _to_decimal(finding.points, item)
    if points < 0:
        raise ScoringError(f"指标{item.label}的分值不能为负数：{format_points(points)}")
    limit = _limit(rules, item)
    if limit is not None and points > limit:
        raise ScoringError(
            f"指标{item.label}的分值{format_points(points)}超过上限{format_points(limit)}"
        )
    return points


def _to_decimal(value: object, item: Indicator) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        raise ScoringError(f"指标{item.label}的分值应为数字：{value!r}")
    if not number.is_finite():
        raise ScoringError(f"指标{item.label}的分值应为数字：{value!r}")
    return number


def _limit(rules: RuleSet, item: Indicator) -> Decimal | None:
    """Most one finding may carry: the indicator cap, else its category's points."""
    if item.cap is not None:
        return item.cap
    category = rules.category(item.category)
    if category is not None:
        return category.points
    return rules.bonus_cap if item.part == "bonus" else rules.base


def _apply_caps(
    rules: RuleSet, amounts: dict[str, Decimal], part: str, skipped: set[str]
) -> tuple[tuple[str, Decimal], ...]:
    """Cap each indicator, then each category (in indicator order); skip ``skipped`` ones."""
    left: dict[str, Decimal] = {}
    result: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for item in rules.indicators:
        if item.part != part or item.code not in amounts or item.category in skipped:
            continue
        if item.code in seen:
            continue
        seen.add(item.code)
        points = amounts[item.code]
        if item.cap is not None:
            points = min(points, item.cap)
        category = rules.category(item.category)
        if category is not None:
            remaining = left.get(category.name, category.points)
            points = min(points, remaining)
            left[category.name] = remaining - points
        result.append((item.code, points))
    return tuple(result)
