"""Every import path refuses bad input with a clear Chinese message and changes nothing.

One table of bad files, run through the registry import (导入台账) and the results import
(导入历史结果); the data package has its own table in tests/test_bad_inputs_package.py.
Each case asserts the message and that the whole database is byte-for-byte the same SQL dump.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import AppError
from app.services.registry_import import apply_import, plan_import
from app.services.results_import import apply_results, plan_results
from tests.io.test_table_reader import BOMB_SHEET, OLE_MAGIC, make_xlsx
from tests.services.test_package import dump

Maker = Callable[[Path], Path]


def not_a_spreadsheet(folder: Path) -> Path:
    path = folder / "说明.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    return path


def truncated(folder: Path) -> Path:
    good = make_xlsx(folder / "完整.xlsx", {"Sheet1": [["单位名称", "账号名称"], ["甲", "乙"]]})
    path = folder / "截断.xlsx"
    path.write_bytes(good.read_bytes()[:300])
    return path


def old_xls(folder: Path) -> Path:
    path = folder / "旧表.xls"
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 512)
    return path


def password(folder: Path) -> Path:
    path = folder / "加密.xlsx"
    directory = (
        "EncryptionInfo".encode("utf-16-le") + b"\0\0" + "EncryptedPackage".encode("utf-16-le")
    )
    path.write_bytes(OLE_MAGIC + b"\0" * 504 + directory + b"\0" * 512)
    return path


def empty(folder: Path) -> Path:
    return make_xlsx(folder / "空表.xlsx", {"Sheet1": []})


def no_header(folder: Path) -> Path:
    return make_xlsx(folder / "无表头.xlsx", {"Sheet1": [["1", "2", "3"], ["a", "b", "c"]]})


def xml_bomb(folder: Path) -> Path:
    good = make_xlsx(folder / "good.xlsx", {"Sheet1": [["单位名称", "账号名称"], ["甲", "乙"]]})
    path = folder / "炸弹.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            sheet = item.filename == "xl/worksheets/sheet1.xml"
            dst.writestr(item, BOMB_SHEET if sheet else src.read(item.filename))
    return path


def missing(folder: Path) -> Path:
    return folder / "不存在.xlsx"


FILE_CASES: list[tuple[str, Maker, str]] = [
    ("not a spreadsheet", not_a_spreadsheet, "说明.xlsx"),
    ("truncated", truncated, "已损坏或不完整"),
    ("old .xls", old_xls, "另存为 .xlsx"),
    ("password", password, "密码"),
    ("empty", empty, "空表.xlsx"),
    ("no header", no_header, "表头"),
    ("XML bomb", xml_bomb, "不安全的内容"),
    ("missing file", missing, "不存在.xlsx"),
]


def import_registry(registry, path: Path) -> None:
    plan = plan_import(registry, path)
    apply_import(registry, plan, skip_bad_rows=False)


def import_results(registry, path: Path) -> None:
    plan = plan_results(registry, path, "2023年第一季度")
    apply_results(registry, plan, create_missing=False, skip_bad_rows=False)


PATHS = {"registry": import_registry, "results": import_results}


@pytest.fixture
def loaded(registry):
    registry.demo.load()
    return registry


def refused(registry, run, path: Path) -> str:
    before = dump(registry.db.path)
    with pytest.raises(AppError) as info:
        run(registry, path)
    assert dump(registry.db.path) == before, "a refused import changed the database"
    assert "Traceback" not in info.value.message
    return info.value.message


@pytest.mark.parametrize("path_name", PATHS)
@pytest.mark.parametrize(("case", "make", "expected"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_bad_files_are_refused_and_change_nothing(
    loaded, tmp_path, path_name, case, make, expected
):
    message = refused(loaded, PATHS[path_name], make(tmp_path))
    assert expected in message, f"{case}: {message}"


def test_bad_registry_rows_name_row_and_field_and_change_nothing(loaded, tmp_path):
    path = make_xlsx(
        tmp_path / "台账.xlsx",
        {
            "Sheet1": [
                ["序号", "单位名称", "账号名称", "平台", "开设时间"],
                ["1", "县民政局", "民政新号", "微信公众号", "2023-02-30"],
                ["2", "县教育局", "教育新号", "不知道的平台", "2023-01-05"],
            ]
        },
    )
    message = refused(loaded, import_registry, path)
    assert "第2行" in message and "第3行" in message
    assert "2023-02-30" in message or "日期" in message
    assert "不知道的平台" in message


def test_results_rows_for_unknown_sites_change_nothing(loaded, tmp_path):
    path = make_xlsx(
        tmp_path / "结果.xlsx",
        {
            "附件1": [
                ["编号", "部门", "评分", "结果", "主要问题"],
                ["1", "不存在的县", "100", "合格", "无"],
                ["2", "长垣市", "一百", "合格", "无"],
            ]
        },
    )
    message = refused(loaded, import_results, path)
    assert "不存在的县" in message and "第" in message
