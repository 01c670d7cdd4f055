"""What every sheet import shares: progress/cancel polling and refusing bad rows."""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import ValidationError
from app.io.table_reader import CancelFn, ImportCancelled, ProgressFn

BAD_ROWS_SHOWN = 10
_POLL_EVERY = 50

__all__ = ["BAD_ROWS_SHOWN", "CancelFn", "ProgressFn", "poll", "refuse_bad_rows"]


def poll(done: int, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
    """Every few rows: stop if the clerk cancelled, else report progress."""
    if done % _POLL_EVERY:
        return
    if cancel is not None and cancel():
        raise ImportCancelled()
    if progress is not None:
        progress(done, total)


def refuse_bad_rows(texts: Sequence[str], hint: str = "") -> None:
    """Raise the 'nothing written' message listing the first bad rows (no-op when none)."""
    if not texts:
        return
    shown = list(texts[:BAD_ROWS_SHOWN])
    if len(texts) > len(shown):
        shown.append(f"……另有 {len(texts) - len(shown)} 行")
    raise ValidationError(
        f"有 {len(texts)} 行无法导入，未写入任何数据：\n"
        + "\n".join(shown)
        + f"\n请修正后重新导入，或选择跳过这些行{hint}。"
    )
