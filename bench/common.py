"""What every benchmark hands to ``bench/run_all.py``: one row of the summary table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """A measure against its baseline from the same run, and whether it meets the target.

    ``target_ratio`` is the allowed measured/baseline ratio; ``target_abs`` an absolute limit
    in ``unit`` instead (the filter's "under 50 ms per keystroke").
    """

    name: str
    measured: float
    baseline: float
    unit: str  # "s" or "ms"
    target_ratio: float | None = None
    target_abs: float | None = None

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline if self.baseline else float("inf")

    @property
    def target(self) -> str:
        if self.target_ratio is not None:
            return f"≤ {self.target_ratio:g}× baseline"
        return f"< {self.target_abs:g} {self.unit}"

    @property
    def met(self) -> bool:
        if self.target_ratio is not None:
            return self.ratio <= self.target_ratio
        return self.target_abs is not None and self.measured < self.target_abs


def table(results: list[Result]) -> str:
    """The summary as a Markdown table (pastes into docs/performance.md)."""
    lines = [
        "| benchmark | measured | baseline | ratio | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        digits = 1 if r.unit == "ms" else 2
        lines.append(
            f"| {r.name} | {r.measured:.{digits}f} {r.unit} | {r.baseline:.{digits}f} {r.unit} "
            f"| {r.ratio:.2f}× | {r.target} | {'yes' if r.met else 'NO'} |"
        )
    return "\n".join(lines)
