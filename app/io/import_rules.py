"""The import rules (导入规则) of ``resources/import/*.json``, prepared for fast lookup.

``column_synonyms.json`` names the columns a registry or results sheet may have (and the
spellings of enum values), ``platforms.json`` the spellings of each platform and
``section_rules.json`` the keywords of section rows (“二、未及时备案的…”) with what they mean.
:mod:`app.io.registry_sheet` reads sheets with these rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.domain.text import clean_text, name_key
from app.paths import resource_path
from db.enums import (
    AccountStatus,
    FilingStatus,
    LabeledEnum,
    Platform,
    UnitKind,
    WebsiteKind,
    WebsiteStatus,
)

RESOURCE_DIR = resource_path("import")

_CONTAINS_MAX_LEN = 20  # longer cells are titles/notes, never matched by "contains"
ENUM_GROUPS: dict[str, type[LabeledEnum]] = {
    "filing_status": FilingStatus,
    "account_status": AccountStatus,
    "website_status": WebsiteStatus,
    "website_kind": WebsiteKind,
    "unit_kind": UnitKind,
}
"""Value groups of ``column_synonyms.json`` (``"values"``) and the enum each one types."""


@dataclass(frozen=True)
class ImportRules:
    """The data files of ``resources/import`` prepared for fast lookup."""

    labels: dict[str, str]
    exact: dict[str, tuple[str, int]]
    spellings: tuple[tuple[str, str, int], ...]
    values: dict[str, dict[str, str]]
    platforms: dict[str, Platform]
    platform_spellings: tuple[tuple[str, Platform], ...]
    sections: tuple[tuple[str, dict[str, object]], ...]


def normalise_header(value: object) -> str:
    """Header text as compared with the synonyms: no spaces, 帐→账, no * or trailing colon."""
    text = clean_text(value).replace(" ", "").replace("帐", "账").casefold()
    return text.strip("*:")


@lru_cache(maxsize=4)
def load_rules(directory: Path = RESOURCE_DIR) -> ImportRules:
    """Load column synonyms, platform spellings and section keywords from ``directory``."""

    def read(name: str) -> dict:
        with open(directory / name, encoding="utf-8") as fh:
            return json.load(fh)

    synonyms = read("column_synonyms.json")
    labels: dict[str, str] = {}
    exact: dict[str, tuple[str, int]] = {}
    spellings: list[tuple[str, str, int]] = []
    for fld, words in synonyms["fields"].items():
        labels[fld] = words[0]
        for pref, word in enumerate(words):
            key = normalise_header(word)
            exact.setdefault(key, (fld, pref))
            if len(key) >= 2:
                spellings.append((key, fld, pref))
    spellings.sort(key=lambda s: -len(s[0]))

    values: dict[str, dict[str, str]] = {}
    for group, enum in ENUM_GROUPS.items():
        table = {name_key(m.label): m.value for m in enum} | {
            name_key(m.value): m.value for m in enum
        }
        for word, code in synonyms.get("values", {}).get(group, {}).items():
            table[name_key(word)] = enum(code).value
        values[group] = table

    platforms = {name_key(p.label): p for p in Platform} | {name_key(p.value): p for p in Platform}
    for word, code in read("platforms.json")["spellings"].items():
        platforms[name_key(word)] = Platform(code)
    platform_spellings = tuple(
        sorted(((k, p) for k, p in platforms.items() if len(k) >= 2), key=lambda s: -len(s[0]))
    )

    keywords = read("section_rules.json")["keywords"]
    sections = tuple(
        sorted(((clean_text(k), dict(v)) for k, v in keywords.items()), key=lambda s: -len(s[0]))
    )
    return ImportRules(
        labels, exact, tuple(spellings), values, platforms, platform_spellings, sections
    )


def match_header(value: object, rules: ImportRules) -> tuple[str, tuple[int, int, int]] | None:
    """The field a header cell names and a rank (lower is a better match), or None."""
    key = normalise_header(value)
    if not key:
        return None
    hit = rules.exact.get(key)
    if hit is not None:
        return hit[0], (0, 0, hit[1])
    if len(key) <= _CONTAINS_MAX_LEN:
        for spelling, fld, pref in rules.spellings:  # longest first
            if spelling in key:
                return fld, (1, -len(spelling), pref)
    return None


def lookup_platform(value: object, rules: ImportRules) -> Platform | None:
    """Platform for a spelling (exact, else the longest known spelling it contains)."""
    key = name_key(value)
    found = rules.platforms.get(key)
    if found is None and key:
        for spelling, platform in rules.platform_spellings:
            if spelling in key:
                return platform
    return found


def section_meaning(text: str, rules: ImportRules) -> dict[str, object]:
    """Raw meaning (codes, flags) of a section row's text; longer keywords win overlaps."""
    work = clean_text(text)
    meaning: dict[str, object] = {}
    for keyword, rule in rules.sections:
        if keyword in work:
            work = work.replace(keyword, "\0")
            for key, value in rule.items():
                if key == "flags":
                    flags = meaning.setdefault("flags", [])
                    flags.extend(f for f in value if f not in flags)  # type: ignore[union-attr]
                else:
                    meaning[key] = value
    return meaning
