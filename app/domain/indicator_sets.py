"""指标体系 documents (indicator sets as JSON data) ⇄ :class:`RuleSet`.

Pure: callers read the file and pass the parsed dict. A document looks like::

    {"code": "national-2019-website", "name": "…", "version": 1,
     "target_type": "website" | "account", "source": "…",
     "rules": {"mode": "scored", "base": 100, …, "categories": [...], "indicators": [...]}}

Numbers may be JSON numbers or strings ("2.5"); they become exact Decimals.
Every error is a ``ValueError`` with a Chinese message naming the place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from app.domain.scoring import MODES, PARTS, Category, Indicator, RuleSet

TargetType = Literal["website", "account"]
TARGET_TYPES: tuple[str, ...] = ("website", "account")
DOCUMENT_VERSION = 1

_RULE_KEYS = {
    "mode",
    "base",
    "pass_mark",
    "bonus_after",
    "bonus_cap",
    "bonus_portal_only",
    "no_service_base",
    "categories",
    "indicators",
}
_CATEGORY_KEYS = {"name", "points", "services", "confirmed", "description"}
_INDICATOR_KEYS = {
    "code",
    "part",
    "category",
    "name",
    "short_name",
    "points_per",
    "cap",
    "description",
    "confirmed",
}
_DOCUMENT_KEYS = {"code", "name", "version", "target_type", "source", "rules"}


@dataclass(frozen=True)
class IndicatorSet:
    """A named indicator set document (one JSON file in resources/indicators)."""

    code: str
    name: str
    version: int
    target_type: TargetType
    source: str
    rules: RuleSet


def rules_from_dict(data: Mapping[str, Any]) -> RuleSet:
    """Build and validate a :class:`RuleSet` from its dict form (``rules_to_dict`` shape).

    A whole document (with a "rules" key) is accepted too; its "rules" part is used.
    """
    if not isinstance(data, Mapping):
        raise ValueError("指标体系格式错误：应为 JSON 对象")
    if "rules" in data and "indicators" not in data:
        data = data["rules"]
        if not isinstance(data, Mapping):
            raise ValueError("指标体系格式错误：rules 应为 JSON 对象")
    _no_unknown_keys(data, _RULE_KEYS, "指标体系")

    mode = data.get("mode", "scored")
    if mode not in MODES:
        raise ValueError(
            f"指标体系的 mode「{mode}」无效，应为 scored（计分）或 veto_only（仅单项否决）"
        )

    defaults = RuleSet(mode="scored", indicators=())
    params: dict[str, Decimal] = {}
    for key in ("base", "pass_mark", "bonus_after", "bonus_cap", "no_service_base"):
        value = data.get(key)
        params[key] = (
            getattr(defaults, key) if value is None else _number(value, f"指标体系的 {key}")
        )
    if params["base"] <= 0:
        raise ValueError("指标体系的 base（满分）应大于 0")
    if params["pass_mark"] > params["base"]:
        raise ValueError("指标体系的 pass_mark（合格线）不能高于 base（满分）")
    if not 0 < params["no_service_base"] <= params["base"]:
        raise ValueError("指标体系的 no_service_base（无办事服务时的满分）应大于 0 且不高于 base")
    portal_only = _flag(data.get("bonus_portal_only", True), "指标体系的 bonus_portal_only")

    categories = _categories(data.get("categories", []))
    indicators = _indicators(data.get("indicators"), {c.name for c in categories})
    if mode == "veto_only":
        scored = [item.code for item in indicators if item.part != "veto"]
        if scored:
            raise ValueError(
                f"仅单项否决（veto_only）的指标体系不能含扣分或加分指标：{'、'.join(scored)}"
            )
    return RuleSet(
        mode=mode,
        indicators=indicators,
        categories=categories,
        bonus_portal_only=portal_only,
        **params,
    )


def rules_to_dict(rules: RuleSet) -> dict[str, Any]:
    """The JSON-ready dict form of ``rules`` (round-trips through :func:`rules_from_dict`)."""
    return {
        "mode": rules.mode,
        "base": _dump(rules.base),
        "pass_mark": _dump(rules.pass_mark),
        "bonus_after": _dump(rules.bonus_after),
        "bonus_cap": _dump(rules.bonus_cap),
        "bonus_portal_only": rules.bonus_portal_only,
        "no_service_base": _dump(rules.no_service_base),
        "categories": [
            {
                "name": cat.name,
                "points": _dump(cat.points),
                "services": cat.services,
                "confirmed": cat.confirmed,
                "description": cat.description,
            }
            for cat in rules.categories
        ],
        "indicators": [
            {
                "code": item.code,
                "part": item.part,
                "category": item.category,
                "name": item.name,
                "short_name": item.short_name,
                "points_per": _dump(item.points_per),
                "cap": _dump(item.cap),
                "description": item.description,
                "confirmed": item.confirmed,
            }
            for item in rules.indicators
        ],
    }


def indicator_set_from_dict(doc: Mapping[str, Any]) -> IndicatorSet:
    """Validate a whole document (code, name, version, target_type, source, rules)."""
    if not isinstance(doc, Mapping):
        raise ValueError("指标体系文件格式错误：应为 JSON 对象")
    _no_unknown_keys(doc, _DOCUMENT_KEYS, "指标体系文件")
    code = _text(doc.get("code"), "指标体系文件的 code", required=True)
    name = _text(doc.get("name"), f"指标体系「{code}」的 name", required=True)
    version = doc.get("version")
    if version != DOCUMENT_VERSION or isinstance(version, bool):
        raise ValueError(
            f"指标体系「{code}」的版本 {version!r} 不受支持（本程序读取版本 {DOCUMENT_VERSION}）"
        )
    target_type = doc.get("target_type")
    if target_type not in TARGET_TYPES:
        raise ValueError(
            f"指标体系「{code}」的 target_type「{target_type}」无效，应为 website（网站）或 account（新媒体）"
        )
    source = _text(doc.get("source"), f"指标体系「{code}」的 source")
    if "rules" not in doc:
        raise ValueError(f"指标体系「{code}」缺少 rules")
    try:
        rules = rules_from_dict(doc["rules"])
    except ValueError as exc:
        raise ValueError(f"指标体系「{code}」：{exc}") from exc
    return IndicatorSet(code, name, DOCUMENT_VERSION, target_type, source, rules)


def indicator_set_to_dict(indicator_set: IndicatorSet) -> dict[str, Any]:
    """The JSON-ready document for ``indicator_set``."""
    return {
        "code": indicator_set.code,
        "name": indicator_set.name,
        "version": indicator_set.version,
        "target_type": indicator_set.target_type,
        "source": indicator_set.source,
        "rules": rules_to_dict(indicator_set.rules),
    }


def _categories(raw: Any) -> tuple[Category, ...]:
    if not isinstance(raw, list):
        raise ValueError("指标体系的 categories 应为列表")
    result: list[Category] = []
    names: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        where = f"第{index}个类别"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}应为 JSON 对象")
        name = _text(entry.get("name"), f"{where}的 name", required=True)
        where = f"类别「{name}」"
        _no_unknown_keys(entry, _CATEGORY_KEYS, where)
        if name in names:
            raise ValueError(f"类别名称「{name}」重复")
        names.add(name)
        if entry.get("points") is None:
            raise ValueError(f"{where}缺少 points（分值）")
        result.append(
            Category(
                name=name,
                points=_number(entry["points"], f"{where}的 points"),
                services=_flag(entry.get("services", False), f"{where}的 services"),
                confirmed=_flag(entry.get("confirmed", True), f"{where}的 confirmed"),
                description=_text(entry.get("description"), f"{where}的 description"),
            )
        )
    return tuple(result)


def _indicators(raw: Any, category_names: set[str]) -> tuple[Indicator, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError("指标体系缺少 indicators（指标列表）或列表为空")
    result: list[Indicator] = []
    codes: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        where = f"第{index}个指标"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}应为 JSON 对象")
        code = _text(entry.get("code"), f"{where}的 code", required=True)
        where = f"指标「{code}」"
        _no_unknown_keys(entry, _INDICATOR_KEYS, where)
        if code in codes:
            raise ValueError(f"指标代码「{code}」重复")
        codes.add(code)
        part = entry.get("part")
        if part not in PARTS:
            raise ValueError(
                f"{where}的 part「{part}」无效，应为 veto（单项否决）、deduction（扣分）或 bonus（加分）"
            )
        name = _text(entry.get("name"), f"{where}的 name", required=True)
        short_name = _text(entry.get("short_name"), f"{where}的 short_name") or name
        category = _text(entry.get("category"), f"{where}的 category")
        points_per = _optional_number(entry.get("points_per"), f"{where}的 points_per")
        cap = _optional_number(entry.get("cap"), f"{where}的 cap")
        if part == "veto":
            if points_per is not None or cap is not None:
                raise ValueError(f"单项否决指标「{code}」不计分，不能设 points_per 或 cap")
            if category:
                raise ValueError(f"单项否决指标「{code}」不属于扣分类别，category 应为空")
        else:
            if not category:
                raise ValueError(f"{where}缺少 category（所属类别）")
            if category not in category_names:
                raise ValueError(f"{where}所属类别「{category}」未在 categories 中定义")
            if points_per is not None and cap is not None and cap < points_per:
                raise ValueError(f"{where}的 cap（上限）不能小于 points_per（每次分值）")
        result.append(
            Indicator(
                code=code,
                part=part,
                category=category,
                name=name,
                short_name=short_name,
                points_per=points_per,
                cap=cap,
                description=_text(entry.get("description"), f"{where}的 description"),
                confirmed=_flag(entry.get("confirmed", True), f"{where}的 confirmed"),
            )
        )
    return tuple(result)


def _no_unknown_keys(entry: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        raise ValueError(f"{where}含未知字段：{'、'.join(unknown)}")


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{where}应为文字：{value!r}")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{where}不能为空")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}应为 true 或 false：{value!r}")
    return value


def _optional_number(value: Any, where: str) -> Decimal | None:
    return None if value is None else _number(value, where)


def _number(value: Any, where: str) -> Decimal:
    """A non-negative finite number from a JSON number or a numeric string."""
    if isinstance(value, bool):
        raise ValueError(f"{where}应为数字：{value!r}")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}应为有限数字：{value!r}")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{where}应为数字：{value!r}") from None
    elif isinstance(value, Decimal):
        number = value
    else:
        raise ValueError(f"{where}应为数字：{value!r}")
    if not number.is_finite():
        raise ValueError(f"{where}应为有限数字：{value!r}")
    if number < 0:
        raise ValueError(f"{where}不能为负数：{value}")
    return number


def _dump(value: Decimal | None) -> int | float | str | None:
    """JSON form of a Decimal: int when whole, float when exact, else a string."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return str(value)
