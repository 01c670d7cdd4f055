"""Indicator-set documents: the shipped JSON files and malformed data."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.indicator_sets import (
    indicator_set_from_dict,
    indicator_set_to_dict,
    rules_from_dict,
    rules_to_dict,
)

INDICATORS = Path(__file__).resolve().parents[2] / "resources" / "indicators"
FILES = sorted(INDICATORS.glob("*.json"))
D = Decimal


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_four_sets_are_shipped():
    assert {p.stem for p in FILES} >= {
        "national-2019-website",
        "national-2019-account",
        "local-xinxiang-2023-website",
        "local-weekly-update-account",
    }


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_shipped_file_loads_and_round_trips(path):
    doc = read(path)
    loaded = indicator_set_from_dict(doc)
    assert loaded.code == path.stem
    assert loaded.version == 1
    assert loaded.source
    assert indicator_set_to_dict(loaded) == doc
    assert rules_from_dict(rules_to_dict(loaded.rules)) == loaded.rules
    # written as UTF-8 JSON with indent 2
    assert path.read_text(encoding="utf-8") == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if loaded.target_type == "account":
        assert loaded.rules.mode == "veto_only"


def test_national_website_numbers():
    rules = indicator_set_from_dict(read(INDICATORS / "national-2019-website.json")).rules
    cats = {c.name: c for c in rules.categories}
    assert {n: cats[n].points for n in ("发布解读", "办事服务", "互动交流", "功能设计")} == {
        "发布解读": 40,
        "办事服务": 25,
        "互动交流": 15,
        "功能设计": 20,
    }
    assert [n for n, c in cats.items() if not c.confirmed] == ["发布解读", "互动交流", "功能设计"]
    assert cats["办事服务"].services and "推得" in cats["办事服务"].description
    assert cats["加分"].points == 30
    assert sum(c.points for n, c in cats.items() if n != "加分") == rules.base
    assert rules.base - cats["办事服务"].points == rules.no_service_base
    vetoes = {i.code for i in rules.indicators if i.part == "veto"}
    assert {"W-V1", "W-V2", "W-V3", "W-V4", "W-V5", "W-V6"} <= vetoes
    assert {"W-V4a", "W-V4b", "W-V4c", "W-V5a", "W-V5b", "W-V6a", "W-V6b"} <= vetoes
    assert rules.indicator("W-V5a").short_name == "没有咨询建言"
    assert rules.indicator("W-V5").short_name == "互动回应差"
    for n in range(4, 12):
        item = rules.indicator(f"W-D{n}")
        assert not item.confirmed and item.points_per is not None and item.cap is not None
    assert all(not i.confirmed for i in rules.indicators if i.part == "bonus")


# --- malformed data -----------------------------------------------------------------------

GOOD = {
    "mode": "scored",
    "categories": [{"name": "互动交流", "points": 15}],
    "indicators": [
        {"code": "V1", "part": "veto", "name": "首页不更新"},
        {
            "code": "D1",
            "part": "deduction",
            "category": "互动交流",
            "name": "留言答复",
            "points_per": 3,
        },
    ],
}


def broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_good_minimal_data_uses_defaults():
    rules = rules_from_dict(GOOD)
    assert rules.base == 100 and rules.pass_mark == 60 and rules.no_service_base == 75
    assert rules.indicator("V1").short_name == "首页不更新"  # defaults to the name
    assert rules.indicator("D1").cap is None


def test_numbers_may_be_strings_or_floats_and_stay_exact():
    data = broken(lambda d: d["indicators"][1].update(points_per="2.5", cap=7.5))
    item = rules_from_dict(data).indicator("D1")
    assert item.points_per == D("2.5") and item.cap == D("7.5")
    assert rules_to_dict(rules_from_dict(data))["indicators"][1]["points_per"] == 2.5


def test_whole_document_accepted_by_rules_from_dict():
    assert rules_from_dict({"code": "x", "rules": GOOD}) == rules_from_dict(GOOD)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["indicators"][1].update(part="penalty"), "part「penalty」无效"),
        (lambda d: d["indicators"][1].update(points_per=-3), "不能为负数"),
        (lambda d: d["indicators"][1].update(cap="abc"), "应为数字"),
        (lambda d: d["indicators"][1].update(points_per=True), "应为数字"),
        (lambda d: d["categories"][0].update(points=-15), "不能为负数"),
        (lambda d: d["indicators"].append(dict(d["indicators"][0])), "「V1」重复"),
        (
            lambda d: d["indicators"][1].update(category="功能设计"),
            "「功能设计」未在 categories 中定义",
        ),
        (lambda d: d["indicators"][1].pop("category"), "缺少 category"),
        (lambda d: d["indicators"][0].update(points_per=5), "单项否决指标「V1」不计分"),
        (lambda d: d["indicators"][0].update(category="互动交流"), "category 应为空"),
        (lambda d: d.update(mode="fancy"), "mode「fancy」无效"),
        (lambda d: d.update(mode="veto_only"), "不能含扣分或加分指标"),
        (lambda d: d["indicators"][1].update(point_per=3), "未知字段：point_per"),
        (lambda d: d["indicators"][1].pop("code"), "第2个指标的 code不能为空"),
        (lambda d: d["indicators"][1].update(cap=2), "cap（上限）不能小于"),
        (lambda d: d.update(indicators=[]), "indicators"),
        (
            lambda d: d["categories"].append({"name": "互动交流", "points": 1}),
            "类别名称「互动交流」重复",
        ),
        (lambda d: d["categories"][0].pop("points"), "缺少 points"),
        (lambda d: d["categories"][0].update(services="yes"), "true 或 false"),
        (lambda d: d.update(pass_mark=120), "合格线"),
    ],
)
def test_malformed_data_has_a_chinese_message(change, words):
    with pytest.raises(ValueError) as info:
        rules_from_dict(broken(change))
    assert words in str(info.value)


def test_not_a_dict():
    with pytest.raises(ValueError, match="JSON 对象"):
        rules_from_dict([])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(version=2), "版本"),
        (lambda d: d.update(target_type="app"), "target_type「app」无效"),
        (lambda d: d.pop("rules"), "缺少 rules"),
        (lambda d: d["rules"]["indicators"][0].update(part="x"), "指标体系「t」：指标「V1」"),
    ],
)
def test_malformed_document(change, words):
    doc = {
        "code": "t",
        "name": "测试",
        "version": 1,
        "target_type": "website",
        "source": "",
        "rules": copy.deepcopy(GOOD),
    }
    change(doc)
    with pytest.raises(ValueError) as info:
        indicator_set_from_dict(doc)
    assert words in str(info.value)
