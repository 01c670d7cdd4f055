"""主要问题 text split into the problems it names, for counting how often each occurs.

「没有咨询建言(单否);空白栏目-10」 → ["没有咨询建言", "空白栏目"]: parts are separated by
";" (as the checklist writes them) or "；" / line breaks (as imported sheets often do); the
veto mark and the deducted points are dropped so the same problem counts as one.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[;；\n]+")
_POINTS = re.compile(r"\s*[-－—]\s*\d+(?:\.\d+)?\s*分?\s*$")
_VETO = re.compile(r"\s*[(（]\s*单否\s*[)）]\s*$")
_NOT_A_PROBLEM = frozenset({"", "无", "合格", "不合格", "-", "—", "/"})


def problem_parts(text: str) -> list[str]:
    """The distinct problems named in a 主要问题 text, in order; [] for 「无」 or blank."""
    found: list[str] = []
    for raw in _SEPARATORS.split(text or ""):
        part = _VETO.sub("", _POINTS.sub("", raw.strip())).strip()
        if part not in _NOT_A_PROBLEM and part not in found:
            found.append(part)
    return found
