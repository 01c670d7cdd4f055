"""合格率 (pass rate) as the notices write it: "95.7%", "100%", "0%"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NO_RATE = "—"
_TENTH = Decimal("0.1")


def pass_rate_decimal(passed: int, total: int) -> Decimal | None:
    """Percentage rounded half-up to one decimal (Decimal("95.7")); ``None`` when total is 0.

    Whole sets give exactly Decimal("100") and Decimal("0").
    """
    _check(passed, total)
    if total == 0:
        return None
    if passed == total:
        return Decimal(100)
    if passed == 0:
        return Decimal(0)
    return (Decimal(passed) * 100 / Decimal(total)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def pass_rate(passed: int, total: int) -> str:
    """合格率 text: one decimal ("62.5%", "50.0%"); "100%" / "0%" when all / none passed.

    A rate that only rounds to 100 (e.g. 1999/2000) stays "100.0%" so it never reads as
    全部合格. "—" when nothing was checked.
    """
    rate = pass_rate_decimal(passed, total)
    if rate is None:
        return NO_RATE
    return f"{rate:f}%"


def _check(passed: int, total: int) -> None:
    for label, value in (("合格数", passed), ("检查总数", total)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{label}应为整数：{value!r}")
        if value < 0:
            raise ValueError(f"{label}不能为负数：{value}")
    if passed > total:
        raise ValueError(f"合格数（{passed}）不能大于检查总数（{total}）")
