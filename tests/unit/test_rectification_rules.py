"""整改 date checks and the fixed / fixed-on-time judgement."""

from datetime import date

import pytest

from app.domain import rectification as rules
from app.domain.rectification import RectificationRuleError


def test_deadline_before_found_date_is_refused():
    with pytest.raises(RectificationRuleError) as err:
        rules.check_deadline(date(2026, 3, 10), date(2026, 3, 9))
    assert err.value.field == "deadline" and "早于发现日期" in err.value.message
    rules.check_deadline(date(2026, 3, 10), date(2026, 3, 10))  # same day is fine


def test_recheck_before_report_is_refused():
    with pytest.raises(RectificationRuleError) as err:
        rules.check_recheck(
            closed=False,
            found_on=date(2026, 3, 1),
            report_on=date(2026, 3, 20),
            recheck_on=date(2026, 3, 19),
            today=date(2026, 11, 24),
        )
    assert err.value.field == "recheck_on" and "报送" in err.value.message


def test_closing_needs_a_recheck_result():
    with pytest.raises(RectificationRuleError) as err:
        rules.check_close(
            closed=False, recheck_on=None, on=date(2026, 3, 1), today=date(2026, 11, 24)
        )
    assert "复查" in err.value.message
    with pytest.raises(RectificationRuleError):
        rules.check_close(
            closed=True, recheck_on=date(2026, 3, 1), on=date(2026, 3, 1), today=date(2026, 11, 24)
        )
    rules.check_close(
        closed=False, recheck_on=date(2026, 3, 1), on=date(2026, 3, 2), today=date(2026, 11, 24)
    )


def test_report_rules():
    with pytest.raises(RectificationRuleError):
        rules.check_report(
            closed=False,
            passed=True,
            found_on=date(2026, 1, 1),
            received_on=date(2026, 1, 2),
            today=date(2026, 11, 24),
        )
    with pytest.raises(RectificationRuleError):
        rules.check_report(
            closed=False,
            passed=False,
            found_on=date(2026, 1, 5),
            received_on=date(2026, 1, 2),
            today=date(2026, 11, 24),
        )


def test_target_outcome():
    d = date(2026, 4, 25)
    assert rules.target_outcome([(date(2026, 4, 20), d), (date(2026, 4, 25), d)]) == (
        rules.TargetOutcome(fixed=True, on_time=True)
    )
    assert rules.target_outcome([(date(2026, 4, 26), d)]) == rules.TargetOutcome(True, False)
    assert rules.target_outcome([(date(2026, 4, 2), d), (None, d)]) == rules.TargetOutcome(
        False, False
    )
    assert rules.fixed_on(passed=True, report_on=None, recheck_on=date(2026, 5, 1)) == date(
        2026, 5, 1
    )
    assert rules.fixed_on(passed=False, report_on=date(2026, 5, 1), recheck_on=None) is None


def test_steps_cannot_be_dated_in_the_future():
    today = date(2026, 11, 24)
    with pytest.raises(RectificationRuleError) as err:
        rules.check_report(
            closed=False,
            passed=False,
            found_on=date(2026, 11, 1),
            received_on=date(2026, 12, 5),
            today=today,
        )
    assert err.value.field == "report_received_on" and "晚于今天" in err.value.message
    with pytest.raises(RectificationRuleError):
        rules.check_recheck(
            closed=False,
            found_on=date(2026, 11, 1),
            report_on=None,
            recheck_on=date(2026, 11, 25),
            today=today,
        )
    with pytest.raises(RectificationRuleError):
        rules.check_close(
            closed=False, recheck_on=date(2026, 11, 20), on=date(2026, 11, 30), today=today
        )
    rules.check_report(
        closed=False, passed=False, found_on=date(2026, 11, 1), received_on=today, today=today
    )
