"""整改期限 in calendar and working days, across 国庆 2025 with its make-up working days."""

from datetime import date

import pytest

from app.domain import deadlines
from app.domain.deadlines import Urgency, add_working_days, deadline_after, urgency


def test_calendar_days_simply_add():
    assert deadline_after(date(2025, 9, 26), 10, working_days=False).day == date(2025, 10, 6)


def test_working_days_skip_national_day_and_count_make_up_days():
    # Fri 26 Sep 2025 + 5 working days: Sun 28 Sep is a make-up working day (调休上班),
    # 1–8 Oct are holidays, Thu 9 and Fri 10 Oct work again.
    result = add_working_days(date(2025, 9, 26), 5)
    assert result.day == date(2025, 10, 10)
    assert not result.approximate and result.warning == ""
    # …and Sat 11 Oct 2025 is a make-up working day too.
    assert add_working_days(date(2025, 10, 10), 1).day == date(2025, 10, 11)


def test_a_plain_monday_to_friday_count_would_differ():
    plain = date(2025, 9, 26)
    counted = 0
    while counted < 5:
        plain = plain.fromordinal(plain.toordinal() + 1)
        counted += plain.weekday() < 5
    assert plain != add_working_days(date(2025, 9, 26), 5).day  # the calendar matters


def test_years_beyond_the_calendar_fall_back_to_weekdays_with_a_warning():
    first, last = deadlines.covered_years()
    assert first <= 2025 <= last
    start = date(last + 1, 3, 6)  # a Friday or not — the count is what matters
    result = add_working_days(start, 5)
    weekdays, day = 0, start
    while weekdays < 5:
        day = day.fromordinal(day.toordinal() + 1)
        weekdays += day.weekday() < 5
    assert result.day == day and result.approximate
    assert str(last + 1) in result.warning and "周一至周五" in result.warning
    assert f"{first}—{last}" in deadlines.calendar_coverage_text()


def test_negative_terms_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1)


@pytest.mark.parametrize(
    ("deadline", "waiting", "expected"),
    [
        (date(2026, 11, 23), True, Urgency.OVERDUE),
        (date(2026, 11, 24), True, Urgency.DUE_SOON),
        (date(2026, 11, 27), True, Urgency.DUE_SOON),
        (date(2026, 11, 28), True, Urgency.NORMAL),
        (date(2026, 11, 1), False, Urgency.DONE),
    ],
)
def test_urgency(deadline, waiting, expected):
    assert urgency(deadline, date(2026, 11, 24), waiting_for_unit=waiting) is expected


def test_term_description():
    assert deadlines.describe_term(15, True) == "15个工作日"
    assert deadlines.describe_term(10, False) == "10天"
    assert deadlines.describe_term(None, True) == ""
