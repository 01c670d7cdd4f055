"""Parsing of the date spellings found in office sheets and typed by clerks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class DateParseError(ValueError):
    """The text is not a date, or not a real calendar day (e.g. 2023-02-30)."""


def parse_date(value: object) -> date | None:
    """Return the date written in ``value``; ``None`` for an empty value.

    Accepts ``date``/``datetime`` objects and ``2023-01-05``, ``2023/1/5``, ``2023.1.5``,
    ``2023年1月5日`` and ``20230105``. Raises :class:`DateParseError` otherwise.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise DateParseError(f"「{text}」不是有效日期") from exc
    raise DateParseError(f"「{text}」不是可识别的日期（请写成 2023-01-05）")


def format_date(value: date | None) -> str:
    """ISO form used across the UI and exports; '' for no date."""
    return value.isoformat() if value else ""


def local_time(stored: datetime | None) -> datetime | None:
    """A time SQLite recorded with CURRENT_TIMESTAMP (naive UTC) as the PC's local time."""
    if stored is None:
        return None
    return stored.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
