"""Text normalisation for names typed by hand or copied from WPS/Excel sheets."""

from __future__ import annotations

import re
import unicodedata

# Full-width punctuation that NFKC would not fold the way offices expect, plus the
# Chinese brackets that mean the same as ASCII ones in unit/account names.
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]"})
_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Trim a cell value to a tidy single-line string ('' for None).

    Folds full-width ASCII (ＡＢＣ１２３, full-width spaces) to half-width, unifies
    brackets and collapses runs of whitespace to one space.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_BRACKETS)
    return _SPACES.sub(" ", text).strip()


def tidy_text(value: object) -> str:
    """Free text (problems, notes, notice wording): trimmed, whitespace runs collapsed,
    punctuation kept as typed (〔〕 and （） stay)."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def name_key(value: object) -> str:
    """Key under which two spellings of one name compare equal (for duplicate checks).

    Case-insensitive, ignores all whitespace, full-/half-width and bracket style.
    """
    return _SPACES.sub("", clean_text(value)).casefold()
