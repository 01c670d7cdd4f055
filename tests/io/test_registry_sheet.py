"""Parsing raw sheets into registry rows: headers, sections, typing, bad rows, duplicates."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import ImportFormatError
from app.io.registry_sheet import (
    RESOURCE_DIR,
    load_rules,
    lookup_platform,
    match_header,
    parse_registry_sheet,
    section_meaning,
)
from app.io.table_reader import RawSheet, read_table
from db.enums import (
    AccountStatus,
    FilingStatus,
    Platform,
    WebsiteKind,
    WebsiteStatus,
)

# 通城县 2021-06 通报 附件2「通城县责令关停新媒体帐号清单」, all 40 rows.
TONGCHENG = """\
一、未备案的单位及新媒体账号(27个)
1|县公安局|通城公安|抖音
2|县公安局|通城公安|微信
3|县公安局|通城平安|微博
4|县公安局|通城公安|快手
5|县公安局|通城公安|今日头条
6|县公安局|通城交通警察大队|微博
7|县公安局|通城交通警察大队|今日头条
8|县公安局交警大队|通城交警|微信
9|县移动公司(政数局)|通城县智慧社区|微信
10|麦市镇人民政府|麦市微讯息|微信
11|麦市镇人民政府|麦市微讯|微信
12|麦市镇陈塅村委会|麦市镇陈塅村委会|微信
13|塘湖镇人民政府|塘湖镇人民政府|微信
14|马港镇人民政府|平安马港镇|微信
15|马港镇人民政府|秀美马港|微信
16|隽水镇社会管理综合治理委员会|平安隽水万事兴|微信
17|北港镇人民政府|北港之湾|微信
18|县自然资源和规划局|通城县不动产登记中心|微信
19|县农业局|通城农业|微信
20|县农业局|通城县农业农村局|微博
21|县文旅局|通城头条|微信
22|县卫健局|通城卫生计生|微信
23|县市监局|通城市场监管|微信
24|县市监局|通城食品药品安全|微信
25|县医保局|通城医疗保障|微信
26|县司法局|通城司法|微信
27|县发改局|通城县物价|微信
二、未及时备案的单位及新媒体账号(9个)
28|县文旅局|通城旅游|微信
29|县文旅局|通城旅游|抖音
30|县农业局|通城县农业|微信
31|县林业局|通城林业|微信
32|县教育局|通城教育|微信
33|石南镇人民政府|通城县石南镇人民政府|微信
34|四庄乡人民政府|花果四庄|微信
35|县卫健局|通城卫健|微信
36|县招商促进中心|投资通城|微信
三、未及时更新内容的新媒体账号(4个)
37|县农业局|通城县农业|微信
38|县林业局|通城林业|微信
39|县市场监管局|通城县市场监管|微信
40|县卫健局|通城卫健|微信
"""
HEADER = ["序号", "单位名称", "新媒体账号名称", "类型"]


def tongcheng_rows(section_above_header: bool = False) -> list[list[object]]:
    """The 附件2 table as sheet rows: title, (section), header, sections and data."""
    lines = TONGCHENG.splitlines()
    rows: list[list[object]] = [["通城县责令关停新媒体帐号清单"]]
    if section_above_header:
        rows.append([lines.pop(0)])
    rows.append(list(HEADER))
    for line in lines:
        cells = line.split("|")
        rows.append([int(cells[0]), *cells[1:]] if len(cells) > 1 else [cells[0]])
    return rows


def write_xlsx(path: Path, rows: list[list[object]], merge_single_cells: bool = True) -> Path:
    """Workbook with the rows; one-cell rows (title, sections) merged across A:D like WPS."""
    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    for number, row in enumerate(rows, start=1):
        ws.append(row)
        if merge_single_cells and len(row) == 1:
            ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
    wb.save(path)
    return path


def raw(rows: list[list[object]], name: str = "Sheet1") -> RawSheet:
    return RawSheet(name, [(i, list(r)) for i, r in enumerate(rows, start=1) if r])


def by_name(parsed, name: str, platform: Platform = Platform.WECHAT):
    matches = [
        r
        for r in parsed.rows
        if r.fields["account_name"] == name and r.fields["platform"] is platform
    ]
    assert len(matches) == 1, matches
    return matches[0]


# ------------------------------------------------------------------- the 通城 list


def test_tongcheng_attachment_from_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "通城县责令关停新媒体帐号清单.xlsx", tongcheng_rows())
    parsed = parse_registry_sheet(read_table(path))

    assert parsed.sheet_name == "附件2"
    assert parsed.kind == "account"
    assert parsed.header_row == 2  # merged title row 1 skipped
    assert parsed.columns == {
        "unit": "单位名称",
        "account_name": "新媒体账号名称",
        "platform": "类型",
    }
    assert parsed.section_count == 3
    assert parsed.bad_rows == []
    # 40 listed, three accounts appear in two sections: 通城县农业, 通城林业, 通城卫健
    assert len(parsed.rows) == 37
    assert len(parsed.merged_duplicates) == 3

    police = by_name(parsed, "通城公安", Platform.DOUYIN)
    assert police.sheet_row == 4
    assert police.fields == {
        "unit": "县公安局",
        "account_name": "通城公安",
        "platform": Platform.DOUYIN,
        "filing_status": FilingStatus.UNFILED,
    }
    assert police.section == "一、未备案的单位及新媒体账号(27个)"
    assert {
        r.fields["platform"] for r in parsed.rows if r.fields["account_name"] == "通城公安"
    } == {
        Platform.DOUYIN,
        Platform.WECHAT,
        Platform.KUAISHOU,
        Platform.TOUTIAO,
    }

    farming = by_name(parsed, "通城县农业")
    assert farming.fields["filing_status"] is FilingStatus.LATE
    assert farming.fields["flags"] == ["not_updated"]
    assert "二、未及时备案" in (farming.section or "") and "三、未及时更新" in (
        farming.section or ""
    )
    first, duplicate = next(
        pair for pair in parsed.merged_duplicates if pair[0] == farming.sheet_row
    )
    assert (first, duplicate) == (34, 42)  # sheet rows of №30 and №37

    market = by_name(parsed, "通城县市场监管")
    assert market.fields["flags"] == ["not_updated"]
    assert "filing_status" not in market.fields
    assert by_name(parsed, "投资通城").fields["filing_status"] is FilingStatus.LATE
    assert "flags" not in by_name(parsed, "投资通城").fields


def test_section_row_above_the_header_applies_to_first_rows(tmp_path: Path) -> None:
    """As printed in the notice: title, “一、未备案…”, then the header row."""
    path = write_xlsx(tmp_path / "a.xlsx", tongcheng_rows(section_above_header=True))
    parsed = parse_registry_sheet(read_table(path))
    assert parsed.header_row == 3
    assert parsed.section_count == 3
    assert by_name(parsed, "通城公安").fields["filing_status"] is FilingStatus.UNFILED
    assert by_name(parsed, "通城县农业").fields["filing_status"] is FilingStatus.LATE


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_tongcheng_attachment_from_csv(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "清单.csv"
    lines = [",".join(str(c) for c in row) for row in tongcheng_rows()]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    parsed = parse_registry_sheet(read_table(path))
    assert (parsed.kind, parsed.header_row, parsed.section_count) == ("account", 2, 3)
    assert len(parsed.rows) == 37 and parsed.bad_rows == []
    assert by_name(parsed, "花果四庄").fields["unit"] == "四庄乡人民政府"
    assert by_name(parsed, "通城卫健").fields["flags"] == ["not_updated"]


# --------------------------------------------------------------------------- headers


def test_header_synonyms_full_width_spaces_and_contains() -> None:
    rows = [
        ["填报单位：通城县政务服务和大数据管理局", None, None, None, None, None],
        [
            "ＮＯ.",
            "* 主 办 单 位",
            "新媒体帐号名称",
            "平台类型",
            "开设时间（年月日）",
            "管理员联系电话",
        ],
        [1, "县公安局", "通城公安", "抖音", "2020/3/1", 13307244177.0],
    ]
    parsed = parse_registry_sheet(raw(rows))
    assert parsed.header_row == 2
    assert parsed.columns == {
        "unit": "* 主 办 单 位",
        "account_name": "新媒体帐号名称",
        "platform": "平台类型",
        "opened_on": "开设时间(年月日)",
        "maintainer_phone": "管理员联系电话",
    }
    assert parsed.rows[0].fields == {
        "unit": "县公安局",
        "account_name": "通城公安",
        "platform": Platform.DOUYIN,
        "opened_on": date(2020, 3, 1),
        "maintainer_phone": "13307244177",
    }


def test_match_header_prefers_exact_then_longest() -> None:
    rules = load_rules()
    assert match_header("账号", rules)[0] == "account_id"
    assert match_header("新媒体账号名称（全称）", rules)[0] == "account_name"
    assert match_header("网站类型", rules)[0] == "website_kind"
    assert match_header("管理员手机号码", rules)[0] == "maintainer_phone"
    assert match_header("通城县责令关停新媒体帐号清单及整改要求说明文字", rules) is None


def test_no_header_found() -> None:
    rows = [["编号", "部门", "评分", "结果", "主要问题"], [1, "长垣市", 100, "合格", "无"]]
    with pytest.raises(ImportFormatError) as info:
        parse_registry_sheet(raw(rows, "附件1"))
    assert "未找到表头" in info.value.message
    assert "「单位名称」「账号名称」「平台」" in info.value.message
    assert "附件1" in info.value.message


def test_stray_cells_seq_blank_and_repeated_header_are_ignored() -> None:
    rows = [
        ["单位名称", "账号名称", "平台", None, None],
        ["县公安局", "通城公安", "抖音", None, "手写批注"],
        [],
        [None, None, None, None, "合计"],
        ["单位名称", "账号名称", "平台"],
        ["县司法局", "通城司法", "微信"],
    ]
    parsed = parse_registry_sheet(raw(rows))
    assert [r.fields["account_name"] for r in parsed.rows] == ["通城公安", "通城司法"]
    assert parsed.bad_rows == []
    assert "note" not in parsed.rows[0].fields


def test_vertically_merged_unit_cells_fill_down() -> None:
    sheet = raw(
        [
            ["单位名称", "账号名称", "平台"],
            ["县公安局", "通城公安", "抖音"],
            [None, "通城平安", "微博"],
            [None, "通城交警", "微信"],
        ]
    )
    sheet.merged = [(1, 2, 1, 4)]  # A2:A4
    parsed = parse_registry_sheet(sheet)
    assert [r.fields["unit"] for r in parsed.rows] == ["县公安局"] * 3


def test_unit_aliases_resolve_to_canonical_name() -> None:
    rows = [
        ["单位名称", "账号名称", "平台"],
        ["县 公安局", "通城公安", "抖音"],
        ["县司法局", "通城司法", "微信"],
    ]
    parsed = parse_registry_sheet(raw(rows), {"县公安局": "通城县公安局"})
    assert parsed.rows[0].fields["unit"] == "通城县公安局"
    assert parsed.rows[0].fields["unit_as_written"] == "县 公安局"
    assert parsed.rows[1].fields["unit"] == "县司法局"
    assert "unit_as_written" not in parsed.rows[1].fields


# -------------------------------------------------------------------------- bad rows


def test_unknown_platform_is_a_bad_row() -> None:
    rows = [["单位名称", "账号名称", "平台"]] + [
        ["县公安局", f"账号{i}", "微信"] for i in range(10)
    ]
    rows.append(["县公安局", "通城公安", "推特"])
    parsed = parse_registry_sheet(raw(rows))
    assert len(parsed.rows) == 10
    [bad] = parsed.bad_rows
    assert bad.sheet_row == 12
    assert bad.reason.startswith("第12行")
    assert "平台「推特」无法识别，可选：微信公众号" in bad.reason
    assert "不能为空" not in bad.reason  # regression: an unreadable cell is not also "empty"
    assert "其他" in bad.reason and "备注" in bad.reason  # says what to do
    assert "「平台」" in bad.reason


def test_impossible_date_is_a_bad_row() -> None:
    rows = [["单位名称", "账号名称", "平台", "开设时间"]] + [
        ["县公安局", f"号{i}", "微博", "2023-02-01"] for i in range(5)
    ]
    rows.append(["县公安局", "通城公安", "抖音", "2023-02-30"])
    parsed = parse_registry_sheet(raw(rows))
    assert [b.reason for b in parsed.bad_rows] == ["第7行「开设时间」：「2023-02-30」不是有效日期"]


def test_enum_columns_by_label_and_spelling() -> None:
    rows = [
        ["单位名称", "账号名称", "平台", "是否备案", "运行状态", "开通日期", "关停日期"],
        ["县公安局", "甲", "微信公众号", "是", "正常", datetime(2020, 5, 6), None],
        ["县公安局", "乙", "新浪微博", "未及时备案", "注销", 43831, "2021年3月4日"],
        ["县公安局", "丙", "视频号", "已备案", "变更", "20200102", None],
        ["县公安局", "丁", "抖音", "不知道", "运行", None, None],
    ]
    parsed = parse_registry_sheet(raw(rows))
    a, b, c = (r.fields for r in parsed.rows)
    assert (a["filing_status"], a["status"], a["opened_on"]) == (
        FilingStatus.FILED,
        AccountStatus.RUNNING,
        date(2020, 5, 6),
    )
    assert (b["platform"], b["filing_status"], b["status"]) == (
        Platform.WEIBO,
        FilingStatus.LATE,
        AccountStatus.CLOSED,
    )
    assert (b["opened_on"], b["closed_on"]) == (
        date(2020, 1, 1),
        date(2021, 3, 4),
    )  # Excel serial day
    assert (c["platform"], c["status"], c["opened_on"]) == (
        Platform.WECHAT_CHANNELS,
        AccountStatus.CHANGED,
        date(2020, 1, 2),
    )
    [bad] = parsed.bad_rows
    assert bad.reason == "第5行「是否备案」：「不知道」无法识别，可选：已备案、未备案、未及时备案"


def test_missing_required_fields() -> None:
    rows = [
        ["单位名称", "账号名称", "平台"],
        [None, "通城公安", "抖音"],
        ["县公安局", None, "微信"],
    ]
    parsed = parse_registry_sheet(raw(rows))
    assert parsed.rows == []
    assert [b.reason for b in parsed.bad_rows] == [
        "第2行「单位名称」：不能为空",
        "第3行「账号名称」：不能为空",
    ]


def test_account_sheet_without_platform_column_uses_section_platform() -> None:
    rows = [
        ["单位名称", "账号名称"],
        ["一、微信公众号"],
        ["县公安局", "通城公安"],
        ["二、抖音号（长期未更新）"],
        ["县公安局", "通城公安"],
        ["三、其他账号"],
        ["县公安局", "某账号"],
    ]
    parsed = parse_registry_sheet(raw(rows))
    assert [r.fields["platform"] for r in parsed.rows] == [
        Platform.WECHAT,
        Platform.DOUYIN,
        Platform.OTHER,
    ]
    assert parsed.rows[1].fields["flags"] == ["not_updated"]
    assert parsed.bad_rows == []


# -------------------------------------------------------------------------- websites


def test_website_sheet() -> None:
    rows = [
        ["2023年政府网站台账"],
        ["序号", "网站名称", "网址", "网站标识码", "主办单位", "类型", "运行状态", "ICP备案号"],
        [
            1,
            "长垣市人民政府网站",
            "https://www.changyuan.gov.cn/",
            4107830001,
            "长垣市人民政府",
            "门户",
            "运行",
            "豫ICP备1号",
        ],
        [
            2,
            "长垣市人民政府网站（旧）",
            "http://www.changyuan.gov.cn",
            None,
            "长垣市人民政府",
            None,
            "整合迁移",
        ],
        [3, "市民政局网站", None, None, "市民政局", "部门", "关停"],
        ["二、关停网站"],
        [4, "市体育局网站", "http://tyj.xinxiang.gov.cn", None, "市体育局", "部门网站"],
    ]
    parsed = parse_registry_sheet(raw(rows))
    assert parsed.kind == "website"
    assert parsed.columns["website_kind"] == "类型"  # “类型” of a website list is 门户/部门
    assert parsed.merged_duplicates == [(3, 4)]  # same URL, scheme and trailing slash ignored
    portal, sport = parsed.rows
    assert portal.fields["site_code"] == "4107830001"
    assert portal.fields["website_kind"] is WebsiteKind.PORTAL
    assert portal.fields["status"] is WebsiteStatus.MIGRATED  # later duplicate's value wins
    assert portal.fields["icp"] == "豫ICP备1号"
    assert sport.fields["status"] is WebsiteStatus.CLOSED  # from the section row
    assert sport.fields["website_kind"] is WebsiteKind.DEPARTMENT
    assert [b.reason for b in parsed.bad_rows] == ["第5行：「网址」和「网站标识码」至少要填一项"]


def test_both_kinds_of_name_columns_prefer_the_filled_one() -> None:
    rows = [
        ["单位名称", "网站名称", "网址", "账号名称", "平台"],
        ["县政府", "通城县人民政府网", "http://tc.gov.cn", None, None],
    ]
    assert parse_registry_sheet(raw(rows)).kind == "website"
    rows = [["单位名称", "网站名称", "账号名称", "平台"], ["县公安局", None, "通城公安", "抖音"]]
    assert parse_registry_sheet(raw(rows)).kind == "account"


# ------------------------------------------------------------------------ rules data


def test_section_meaning_longest_keyword_wins() -> None:
    rules = load_rules()
    assert section_meaning("二、未及时备案的单位及新媒体账号(9个)", rules) == {
        "filing_status": "late"
    }
    assert section_meaning("一、未备案的单位及新媒体账号(27个)", rules) == {
        "filing_status": "unfiled"
    }
    assert section_meaning("(三)长期未更新的僵尸、空壳账号", rules) == {
        "flags": ["not_updated"],
        "is_zombie": True,
        "is_empty_shell": True,
    }
    assert section_meaning("四、其他", rules) == {}


def test_platform_spellings() -> None:
    rules = load_rules()
    assert lookup_platform("WeChat", rules) is Platform.WECHAT
    assert lookup_platform("微信视频号", rules) is Platform.WECHAT_CHANNELS
    assert lookup_platform("政务微博(新浪)", rules) is Platform.WEIBO
    assert lookup_platform("头条号", rules) is Platform.TOUTIAO
    assert lookup_platform("推特", rules) is None


def test_resource_files_use_valid_codes() -> None:
    platforms = json.loads((RESOURCE_DIR / "platforms.json").read_text(encoding="utf-8"))
    assert {Platform(code) for code in platforms["spellings"].values()} == set(Platform)
    rules = json.loads((RESOURCE_DIR / "section_rules.json").read_text(encoding="utf-8"))
    allowed = {"filing_status", "status", "flags", "is_zombie", "is_empty_shell"}
    for meaning in rules["keywords"].values():
        assert set(meaning) <= allowed
        if "filing_status" in meaning:
            FilingStatus(meaning["filing_status"])
    synonyms = json.loads((RESOURCE_DIR / "column_synonyms.json").read_text(encoding="utf-8"))
    required = {
        "seq",
        "unit",
        "region",
        "platform",
        "account_name",
        "account_id",
        "website_name",
        "url",
    }
    assert required <= set(synonyms["fields"])


# ----------------------------------------------------------------------- volume


def test_100k_rows_parse_with_progress(tmp_path: Path) -> None:
    """A 100 000-row sheet works and reports progress (speed is measured in bench/, not here)."""
    platforms = ["微信", "微博", "抖音", "今日头条", "快手"]
    rows = [["序号", "单位名称", "账号名称", "平台", "开设时间", "管理员", "联系电话"]]
    rows += [
        [i + 1, f"单位{i % 300}", f"账号{i}", platforms[i % 5], "2023-01-05", "张三", 13307244177]
        for i in range(100_000)
    ]
    parsed = parse_registry_sheet(raw(rows))
    assert len(parsed.rows) == 100_000 and parsed.bad_rows == []

    path = tmp_path / "big.csv"
    path.write_text("\n".join(",".join(str(c) for c in r) for r in rows), encoding="utf-8-sig")
    reports: list[tuple[int, int]] = []
    parsed = parse_registry_sheet(read_table(path, progress=lambda d, t: reports.append((d, t))))
    assert len(parsed.rows) == 100_000
    assert len(reports) >= 100  # every ~500 rows
    assert [d for d, _t in reports] == sorted(d for d, _t in reports)
