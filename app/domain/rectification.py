"""整改 rules: which steps an item may take, and the date checks each step must pass.

Pure functions over dates and flags (the status vocabulary lives with the models); the
service applies them inside its transaction. Every check raises
:class:`RectificationRuleError` with a Chinese message and the field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class RectificationRuleError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _fmt(day: date) -> str:
    return day.isoformat()


def check_deadline(found_on: date, deadline: date) -> None:
    if deadline < found_on:
        raise RectificationRuleError(
            f"整改期限（{_fmt(deadline)}）早于发现日期（{_fmt(found_on)}），请检查两个日期。",
            "deadline",
        )


def check_not_future(day: date, today: date, label: str, field: str) -> None:
    """Steps are recorded when they happened, never ahead of time."""
    if day > today:
        raise RectificationRuleError(
            f"{label}（{_fmt(day)}）晚于今天（{_fmt(today)}），请填写实际发生的日期。", field
        )


def check_report(
    *, closed: bool, passed: bool, found_on: date, received_on: date, today: date
) -> None:
    """The unit's report (整改情况报告) may be recorded while the item awaits it."""
    check_not_future(received_on, today, "报送日期", "report_received_on")
    if closed:
        raise RectificationRuleError("该整改事项已关闭，不能再登记报送情况。", "report_received_on")
    if passed:
        raise RectificationRuleError("该事项已复查通过，无需再登记报送情况。", "report_received_on")
    if received_on < found_on:
        raise RectificationRuleError(
            f"报送日期（{_fmt(received_on)}）早于问题发现日期（{_fmt(found_on)}），请检查日期。",
            "report_received_on",
        )


def check_recheck(
    *, closed: bool, found_on: date, report_on: date | None, recheck_on: date, today: date
) -> None:
    check_not_future(recheck_on, today, "复查日期", "recheck_on")
    if closed:
        raise RectificationRuleError("该整改事项已关闭，不能再登记复查结果。", "recheck_on")
    if recheck_on < found_on:
        raise RectificationRuleError(
            f"复查日期（{_fmt(recheck_on)}）早于问题发现日期（{_fmt(found_on)}），请检查日期。",
            "recheck_on",
        )
    if report_on is not None and recheck_on < report_on:
        raise RectificationRuleError(
            f"复查日期（{_fmt(recheck_on)}）早于单位报送整改情况的日期（{_fmt(report_on)}），"
            "请先核对报送日期或复查日期。",
            "recheck_on",
        )


def check_close(*, closed: bool, recheck_on: date | None, on: date, today: date) -> None:
    """Closing needs a re-check result (通过 or 未通过) on or before the closing day."""
    check_not_future(on, today, "关闭日期", "closed_on")
    if closed:
        raise RectificationRuleError("该整改事项已经关闭。", "closed_on")
    if recheck_on is None:
        raise RectificationRuleError(
            "尚无复查结果，不能关闭：请先登记复查（复查通过或复查未通过）。", "closed_on"
        )
    if on < recheck_on:
        raise RectificationRuleError(
            f"关闭日期（{_fmt(on)}）早于复查日期（{_fmt(recheck_on)}），请检查日期。", "closed_on"
        )


def fixed_on(*, passed: bool, report_on: date | None, recheck_on: date | None) -> date | None:
    """When the problem counts as fixed: the report that a passing re-check confirmed
    (or the re-check itself when the unit sent no report)."""
    if not passed:
        return None
    return report_on or recheck_on


@dataclass(frozen=True)
class TargetOutcome:
    """How one failed site/account of a round stands after rectification."""

    fixed: bool
    on_time: bool


def target_outcome(items: list[tuple[date | None, date]]) -> TargetOutcome:
    """``items`` = (fixed-on date or None, deadline) of every item of one failed target."""
    if not items:
        return TargetOutcome(False, False)
    fixed = all(day is not None for day, _ in items)
    on_time = fixed and all(day is not None and day <= deadline for day, deadline in items)
    return TargetOutcome(fixed, on_time)
