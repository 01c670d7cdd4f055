"""合格率 as the notices print it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.rates import pass_rate, pass_rate_decimal


@pytest.mark.parametrize(
    ("passed", "total", "text"),
    [
        (5, 8, "62.5%"),
        (267, 279, "95.7%"),  # 普洱 2022 Q1 accounts
        (47, 49, "95.9%"),  # 新乡 2023 Q1 websites
        (1, 3, "33.3%"),
        (2, 3, "66.7%"),
        (160, 160, "100%"),  # 新乡 "合格率为100%"
        (0, 7, "0%"),
        (1, 2, "50.0%"),
        (1999, 2000, "100.0%"),  # rounds up to 100 but not everyone passed
        (1, 2000, "0.1%"),  # 0.05 → half-up
    ],
)
def test_pass_rate_text(passed, total, text):
    assert pass_rate(passed, total) == text


def test_pass_rate_decimal_is_the_rounded_value():
    assert pass_rate_decimal(267, 279) == Decimal("95.7")
    assert pass_rate_decimal(5, 8) == Decimal("62.5")
    assert pass_rate_decimal(3, 3) == Decimal(100)
    assert pass_rate_decimal(0, 0) is None


def test_nothing_checked_has_no_rate():
    assert pass_rate(0, 0) == "—"


@pytest.mark.parametrize(("passed", "total"), [(-1, 5), (1, -5), (6, 5), (1.0, 2), (True, 2)])
def test_bad_counts_raise(passed, total):
    with pytest.raises(ValueError):
        pass_rate(passed, total)
    with pytest.raises(ValueError):
        pass_rate_decimal(passed, total)
