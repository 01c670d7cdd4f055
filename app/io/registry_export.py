"""Registry (台账) export: units, websites and accounts, each on its own sheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.io.xlsx_writer import Column, new_workbook, save_workbook, write_sheet
from app.services.dto import AccountRow, UnitRow, WebsiteRow

UNIT_COLUMNS = (
    Column("单位名称", lambda u: u.name, 16),
    Column("别名", lambda u: "、".join(u.aliases)),
    Column("所属县区", lambda u: u.region),
    Column("单位类型", lambda u: u.kind.label),
    Column("联系人", lambda u: u.contact),
    Column("联系电话", lambda u: u.phone),
    Column("电子邮箱", lambda u: u.email),
    Column("网站数", lambda u: u.website_count),
    Column("新媒体数", lambda u: u.account_count),
    Column("备注", lambda u: u.note),
)

WEBSITE_COLUMNS = (
    Column("网站名称", lambda w: w.name, 16),
    Column("网站标识码", lambda w: w.site_code),
    Column("网址", lambda w: w.url),
    Column("主办单位", lambda w: w.unit_name),
    Column("所属县区", lambda w: w.region),
    Column("网站类型", lambda w: w.kind.label),
    Column("ICP备案号", lambda w: w.icp),
    Column("状态", lambda w: w.status.label),
    Column("开设日期", lambda w: w.opened_on),
    Column("关停日期", lambda w: w.closed_on),
    Column("备注", lambda w: w.note),
)

ACCOUNT_COLUMNS = (
    Column("平台", lambda a: a.platform.label),
    Column("账号名称", lambda a: a.name, 16),
    Column("账号ID", lambda a: a.account_id),
    Column("主办单位", lambda a: a.unit_name),
    Column("所属县区", lambda a: a.region),
    Column("备案状态", lambda a: a.filing_status.label),
    Column("状态", lambda a: a.status.label),
    Column("标记", lambda a: a.flags_text),
    Column("管理员", lambda a: a.maintainer),
    Column("管理员电话", lambda a: a.maintainer_phone),
    Column("开设日期", lambda a: a.opened_on),
    Column("关停日期", lambda a: a.closed_on),
    Column("备注", lambda a: a.note),
)


def export_registry(
    path: Path | str,
    units: Sequence[UnitRow] | None,
    websites: Sequence[WebsiteRow] | None,
    accounts: Sequence[AccountRow] | None,
) -> Path:
    """Write the given lists (None = leave that sheet out) to ``path``; returns the path written."""
    wb = new_workbook()
    if websites is not None:
        write_sheet(wb.create_sheet("政府网站"), WEBSITE_COLUMNS, websites)
    if accounts is not None:
        write_sheet(wb.create_sheet("政务新媒体"), ACCOUNT_COLUMNS, accounts)
    if units is not None:
        write_sheet(wb.create_sheet("单位"), UNIT_COLUMNS, units)
    return save_workbook(wb, path)
