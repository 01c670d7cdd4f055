"""整改期限: deadlines in calendar days or working days (工作日), and how urgent an item is.

Working days follow China's official holiday calendar, including 调休 make-up working
weekends, from the ``chinese-calendar`` package. For years the package does not cover yet the
count falls back to Monday–Friday and the result says so, so the UI can warn the clerk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

import chinese_calendar
from chinese_calendar import constants as _calendar_data

DUE_SOON_DAYS = 3


def covered_years() -> tuple[int, int]:
    """First and last year the holiday calendar knows (e.g. 2004–2026)."""
    years = {d.year for d in _calendar_data.holidays} | {d.year for d in _calendar_data.workdays}
    return min(years), max(years)


def calendar_coverage_text() -> str:
    first, last = covered_years()
    return (
        f"工作日按国务院公布的节假日安排计算（含调休上班日），已收录{first}—{last}年；"
        f"{last + 1}年起按周一至周五计算，请核对。"
    )


def is_working_day(day: date) -> tuple[bool, bool]:
    """(working?, exact?) — exact is False when the year is beyond the holiday calendar."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


@dataclass(frozen=True)
class Deadline:
    day: date
    approximate: bool = False  # some working days were counted Monday–Friday

    @property
    def warning(self) -> str:
        if not self.approximate:
            return ""
        _, last = covered_years()
        return (
            f"{last + 1}年及以后的法定节假日安排尚未收录，期限按周一至周五计算，"
            f"请对照当年放假通知核对。"
        )


def add_working_days(start: date, days: int) -> Deadline:
    """The ``days``-th working day after ``start`` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, counted, exact = start, 0, True
    while counted < days:
        day += timedelta(days=1)
        working, known = is_working_day(day)
        exact = exact and known
        if working:
            counted += 1
    return Deadline(day, approximate=not exact)


def deadline_after(start: date, days: int, *, working_days: bool) -> Deadline:
    """Deadline ``days`` calendar or working days after ``start``."""
    if working_days:
        return add_working_days(start, days)
    return Deadline(start + timedelta(days=days))


def describe_term(days: int | None, working_days: bool) -> str:
    """「15个工作日」/「10天」; empty when the deadline was given as a date."""
    if days is None:
        return ""
    return f"{days}个工作日" if working_days else f"{days}天"


class Urgency(Enum):
    DONE = "done"  # nothing left for the unit to do (reported, passed or closed)
    NORMAL = "normal"
    DUE_SOON = "due_soon"  # deadline today or within DUE_SOON_DAYS calendar days
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {
            Urgency.DONE: "",
            Urgency.NORMAL: "",
            Urgency.DUE_SOON: "即将到期",
            Urgency.OVERDUE: "已逾期",
        }[self]


def urgency(deadline: date, today: date, *, waiting_for_unit: bool) -> Urgency:
    """How urgent an item is; only items still waiting for the unit can be late."""
    if not waiting_for_unit:
        return Urgency.DONE
    if deadline < today:
        return Urgency.OVERDUE
    if (deadline - today).days <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.NORMAL
