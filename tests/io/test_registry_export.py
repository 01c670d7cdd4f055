"""Registry export: read the written workbook back and check what Excel/WPS would show."""

import os
from datetime import date

import pytest
from openpyxl import load_workbook

from app.errors import FileAccessError
from app.io.registry_export import export_registry
from app.services.dto import AccountInput
from app.vocab import Platform


def test_export_round_trip(registry, tmp_path):
    registry.demo.load()
    out = export_registry(
        tmp_path / "台账", registry.units.list(), registry.websites.list(), registry.accounts.list()
    )
    assert out.suffix == ".xlsx"
    wb = load_workbook(out)
    assert wb.sheetnames == ["政府网站", "政务新媒体", "单位"]
    sites = wb["政府网站"]
    assert sites.max_row == 1 + len(registry.websites.list())
    header = [c.value for c in sites[1]]
    assert header[:4] == ["网站名称", "网站标识码", "网址", "主办单位"]
    assert all(c.font.bold for c in sites[1])
    assert sites.freeze_panes == "A2"
    assert sites.column_dimensions["A"].width >= 20  # Chinese names are wide
    exported = {row[0] for row in sites.iter_rows(min_row=2, values_only=True)}
    assert exported == {w.name for w in registry.websites.list()}


def test_dates_are_dates_and_formulas_are_text(registry, tmp_path):
    registry.accounts.create(
        AccountInput(
            Platform.WECHAT,
            '=HYPERLINK("http://evil","点我")',
            "县公安局",
            note="+1 备注",
            maintainer="@admin",
            opened_on=date(2020, 5, 6),
        ),
        create_unit=True,
    )
    out = export_registry(tmp_path / "a.xlsx", None, None, registry.accounts.list())
    ws = load_workbook(out)["政务新媒体"]
    row = {h.value: c for h, c in zip(ws[1], ws[2], strict=True)}
    assert row["账号名称"].data_type == "s"
    assert row["账号名称"].value.startswith("=HYPERLINK")
    assert row["备注"].data_type == "s" and row["管理员"].data_type == "s"
    assert row["开设日期"].is_date and row["开设日期"].value.date() == date(2020, 5, 6)
    assert row["开设日期"].number_format == "yyyy-mm-dd"


def test_missing_folder_gives_clear_message(registry, tmp_path):
    with pytest.raises(FileAccessError, match="不存在"):
        export_registry(tmp_path / "nope" / "a.xlsx", [], None, None)


@pytest.mark.skipif(
    os.name == "nt" or os.geteuid() == 0, reason="root ignores directory permissions"
)
def test_unwritable_folder_gives_clear_message(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(FileAccessError, match="无法"):
            export_registry(locked / "a.xlsx", [], None, None)
    finally:
        locked.chmod(0o700)


def test_failed_write_leaves_old_file_and_no_temp(monkeypatch, tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old content")

    def refuse(src, dst):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileAccessError, match="正在 Excel/WPS 中打开"):
        export_registry(target, [], None, None)
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]
