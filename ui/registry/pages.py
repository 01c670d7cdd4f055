"""The three registry lists: 政府网站, 政务新媒体, 单位 — columns, filters and actions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.errors import AppError
from app.io.registry_export import export_registry
from app.services.accounts import AccountService
from app.services.dto import AccountRow, UnitRow, WebsiteRow
from app.services.registry import Registry
from app.services.websites import WebsiteService
from app.vocab import AccountStatus, FilingStatus, Platform, UnitKind, WebsiteKind, WebsiteStatus
from ui.audit_dialog import AuditDialog
from ui.prompts import confirm, show_error
from ui.registry.account_dialog import AccountDialog
from ui.registry.history_dialog import HistoryDialog
from ui.registry.lifecycle_dialog import LifecycleDialog
from ui.registry.list_page import RecordListPage
from ui.registry.merge_dialog import MergeUnitsDialog
from ui.registry.unit_dialog import UnitDialog
from ui.registry.website_dialog import WebsiteDialog
from ui.table_model import TableColumn

WEBSITE_COLUMNS: list[TableColumn[WebsiteRow]] = [
    TableColumn("网站名称", lambda w: w.name, width=220),
    TableColumn("主办单位", lambda w: w.unit_name, width=170),
    TableColumn("所属县区", lambda w: w.region, width=80),
    TableColumn("类型", lambda w: w.kind, width=60),
    TableColumn("网站标识码", lambda w: w.site_code, width=100),
    TableColumn("网址", lambda w: w.url, width=220),
    TableColumn("状态", lambda w: w.status, width=70),
    TableColumn("开设日期", lambda w: w.opened_on, width=90),
    TableColumn("关停日期", lambda w: w.closed_on, width=90),
    TableColumn("ICP备案号", lambda w: w.icp, width=120),
    TableColumn("备注", lambda w: w.note, width=150),
]

ACCOUNT_COLUMNS: list[TableColumn[AccountRow]] = [
    TableColumn("平台", lambda a: a.platform, width=90),
    TableColumn("账号名称", lambda a: a.name, width=180),
    TableColumn("主办单位", lambda a: a.unit_name, width=170),
    TableColumn("所属县区", lambda a: a.region, width=80),
    TableColumn("备案状态", lambda a: a.filing_status, width=80),
    TableColumn("状态", lambda a: a.status, width=60),
    TableColumn("标记", lambda a: a.flags_text, width=70),
    TableColumn("账号ID", lambda a: a.account_id, width=120),
    TableColumn("管理员", lambda a: a.maintainer, width=70),
    TableColumn("管理员电话", lambda a: a.maintainer_phone, width=110),
    TableColumn("开设日期", lambda a: a.opened_on, width=90),
    TableColumn("关停日期", lambda a: a.closed_on, width=90),
    TableColumn("备注", lambda a: a.note, width=150),
]

UNIT_COLUMNS: list[TableColumn[UnitRow]] = [
    TableColumn("单位名称", lambda u: u.name, width=200),
    TableColumn("别名", lambda u: "、".join(u.aliases), width=200),
    TableColumn("所属县区", lambda u: u.region, width=80),
    TableColumn("单位类型", lambda u: u.kind, width=80),
    TableColumn(
        "网站数",
        lambda u: u.website_count,
        sort_key=lambda u: u.website_count,
        align_right=True,
        width=60,
    ),
    TableColumn(
        "新媒体数",
        lambda u: u.account_count,
        sort_key=lambda u: u.account_count,
        align_right=True,
        width=70,
    ),
    TableColumn("联系人", lambda u: u.contact, width=80),
    TableColumn("联系电话", lambda u: u.phone, width=120),
    TableColumn("电子邮箱", lambda u: u.email, width=160),
    TableColumn("备注", lambda u: u.note, width=150),
]


AUDIT_TIP = "每一次修改的修改人、时间、原值和新值"


def show_audit(page: _TargetPage | UnitsPage, kind: str) -> None:
    """修改记录 of the selected record (kind: website, account or unit)."""
    row = page.selected()
    if row is not None:
        AuditDialog(page, row.name, page.registry.audit.for_record(kind, row.id)).exec()


def _region_choices(regions: list[str], region_of) -> list:  # noqa: ANN001
    return [(r, lambda row, r=r: region_of(row) == r) for r in regions]


class _TargetPage(RecordListPage):
    """Shared actions of the website and account lists."""

    noun = ""

    def __init__(self, registry: Registry, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.registry = registry
        self.add_action("add", f"新增{self.noun}", self.add_new, "Ctrl+N", needs_selection=False)
        self.add_action("edit", "编辑", self.edit_selected, "F2")
        self.close_action = self.add_action("close_record", "关停…", self.close_selected)
        self.reopen_action = self.add_action("reopen", "恢复运行…", self.reopen_selected)
        self.add_action("history", "变更记录", self.show_history, "Ctrl+H")
        audit = self.add_action("audit", "修改记录…", lambda: show_audit(self, self.audit_kind))
        audit.setToolTip(AUDIT_TIP)
        self.add_action("delete", "删除", self.delete_selected, "Delete")
        self.toolbar.addSeparator()
        self.add_action("export", "导出当前列表…", self.export_visible, needs_selection=False)

    dialog_class: type[WebsiteDialog] | type[AccountDialog]
    service_name: str  # attribute of Registry: "websites" or "accounts"
    audit_kind: str  # its 修改记录: "website" or "account"

    @property
    def service(self) -> WebsiteService | AccountService:
        return getattr(self.registry, self.service_name)

    def fetch(self) -> list:
        return self.service.list()

    def add_new(self) -> None:
        dialog = self.dialog_class(self, self.registry)
        if dialog.exec():
            self.reload(select_id=dialog.saved_id)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None and self.dialog_class(self, self.registry, row).exec():
            self.reload(select_id=row.id)

    def update_actions(self) -> None:
        row = self.selected()
        for action in self.actions():
            if action.property("needs_selection"):
                action.setEnabled(row is not None)
        if row is not None:
            self.close_action.setEnabled(row.is_running)
            self.reopen_action.setEnabled(not row.is_running)

    def _after_change(self, record_id: int) -> None:
        self.replace_row(self.service.get(record_id))

    def close_selected(self) -> None:
        row = self.selected()
        if row is None or not row.is_running:
            return
        dialog = LifecycleDialog(
            self,
            f"关停{self.noun}",
            row.name,
            lambda on, reason, migrated: self.service.close(row.id, on, reason, migrated=migrated),
            offer_migration=isinstance(row, WebsiteRow),
        )
        if dialog.exec():
            self._after_change(row.id)

    def reopen_selected(self) -> None:
        row = self.selected()
        if row is None or row.is_running:
            return
        dialog = LifecycleDialog(
            self,
            f"恢复运行{self.noun}",
            row.name,
            lambda on, reason, _m: self.service.reopen(row.id, on, reason),
        )
        if dialog.exec():
            self._after_change(row.id)

    def show_history(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            events = self.service.history(row.id)
        except AppError as exc:
            show_error(self, exc.message)
            return
        HistoryDialog(self, row.name, events).exec()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        text = (
            f"确定删除{self.noun}「{row.name}」及其全部变更记录？\n\n"
            "删除只用于录入错误的记录；已停止运行的请用“关停”，记录会保留。"
        )
        if not confirm(self, f"删除{self.noun}", text, "删除"):
            return
        try:
            self.service.delete(row.id)
        except AppError as exc:
            show_error(self, exc.message)
            return
        self.reload()


class WebsitesPage(_TargetPage):
    noun = "网站"
    dialog_class = WebsiteDialog
    service_name = "websites"
    audit_kind = "website"

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(
            registry,
            WEBSITE_COLUMNS,
            lambda w: (w.name, w.unit_name, w.site_code, w.url, w.region),
            lambda w: not w.is_running,
            "搜索网站名称、单位、标识码、网址…",
            parent,
        )
        self.region_filter = self.add_filter("region", "全部县区", [])
        self.add_filter(
            "kind", "全部类型", [(k.label, lambda w, k=k: w.kind is k) for k in WebsiteKind]
        )
        self.add_filter(
            "status",
            "全部状态",
            [("运行中", lambda w: w.is_running), ("已关停/迁移", lambda w: not w.is_running)]
            + [(s.label, lambda w, s=s: w.status is s) for s in WebsiteStatus],
        )
        self.empty_hint.setText(
            "还没有登记政府网站。\n可以点“新增网站”逐个登记，或用“文件 → 导入台账（Excel/CSV）”（Ctrl+I）导入现有表格。"
        )

    export_name = "政府网站台账"

    def export_to(self, path: Path, rows: list[WebsiteRow]) -> Path:
        return export_registry(path, units=None, websites=rows, accounts=None)

    def refresh_filter_choices(self) -> None:
        regions = sorted({w.region for w in self.model.rows if w.region})
        self.refill_filter(
            "region", self.region_filter, "全部县区", _region_choices(regions, lambda w: w.region)
        )

    def summary(self, rows: list[WebsiteRow]) -> str:
        running = sum(1 for w in rows if w.is_running)
        return f"政府网站 {len(rows)} 个（运行 {running}，关停/迁移 {len(rows) - running}）"


class AccountsPage(_TargetPage):
    noun = "新媒体账号"
    dialog_class = AccountDialog
    service_name = "accounts"
    audit_kind = "account"

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(
            registry,
            ACCOUNT_COLUMNS,
            lambda a: (a.name, a.unit_name, a.account_id, a.region, a.platform.label),
            lambda a: not a.is_running,
            "搜索账号名称、单位、账号ID…",
            parent,
        )
        self.region_filter = self.add_filter("region", "全部县区", [])
        self.add_filter(
            "platform", "全部平台", [(p.label, lambda a, p=p: a.platform is p) for p in Platform]
        )
        self.add_filter(
            "filing",
            "全部备案状态",
            [(f.label, lambda a, f=f: a.filing_status is f) for f in FilingStatus],
        )
        self.add_filter(
            "status",
            "全部状态",
            [("运行中", lambda a: a.is_running), ("已关停", lambda a: not a.is_running)]
            + [
                (s.label, lambda a, s=s: a.status is s)
                for s in AccountStatus
                if s is not AccountStatus.CLOSED
            ],
        )
        self.add_filter(
            "flag",
            "全部标记",
            [("僵尸", lambda a: a.is_zombie), ("空壳", lambda a: a.is_empty_shell)],
        )
        self.empty_hint.setText(
            "还没有登记政务新媒体。\n可以点“新增新媒体账号”逐个登记，或用“文件 → 导入台账（Excel/CSV）”（Ctrl+I）导入现有表格。"
        )

    export_name = "政务新媒体台账"

    def export_to(self, path: Path, rows: list[AccountRow]) -> Path:
        return export_registry(path, units=None, websites=None, accounts=rows)

    def refresh_filter_choices(self) -> None:
        regions = sorted({a.region for a in self.model.rows if a.region})
        self.refill_filter(
            "region", self.region_filter, "全部县区", _region_choices(regions, lambda a: a.region)
        )

    def summary(self, rows: list[AccountRow]) -> str:
        running = sum(1 for a in rows if a.is_running)
        filing = Counter(a.filing_status for a in rows if a.is_running)
        return (
            f"政务新媒体 {len(rows)} 个（运行 {running}，关停 {len(rows) - running}；"
            f"运行中未备案 {filing[FilingStatus.UNFILED]}，未及时备案 {filing[FilingStatus.LATE]}）"
        )


class UnitsPage(RecordListPage):
    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(
            UNIT_COLUMNS,
            lambda u: (u.name, *u.aliases, u.region, u.contact),
            lambda _u: False,
            "搜索单位名称、别名、县区、联系人…",
            parent,
        )
        self.registry = registry
        self.add_action("add", "新增单位", self.add_new, "Ctrl+N", needs_selection=False)
        self.add_action("edit", "编辑", self.edit_selected, "F2")
        self.add_action("merge", "合并到…", self.merge_selected)
        self.add_action("audit", "修改记录…", lambda: show_audit(self, "unit")).setToolTip(
            AUDIT_TIP
        )
        self.add_action("delete", "删除", self.delete_selected, "Delete")
        self.toolbar.addSeparator()
        self.add_action("export", "导出当前列表…", self.export_visible, needs_selection=False)
        self.region_filter = self.add_filter("region", "全部县区", [])
        self.add_filter(
            "kind", "全部类型", [(k.label, lambda u, k=k: u.kind is k) for k in UnitKind]
        )
        self.empty_hint.setText("还没有单位。新增网站或新媒体时填写的主办单位会自动列在这里。")

    export_name = "单位名录"

    def export_to(self, path: Path, rows: list[UnitRow]) -> Path:
        return export_registry(path, units=rows, websites=None, accounts=None)

    def fetch(self) -> list[UnitRow]:
        return self.registry.units.list()

    def refresh_filter_choices(self) -> None:
        regions = sorted({u.region for u in self.model.rows if u.region})
        self.refill_filter(
            "region", self.region_filter, "全部县区", _region_choices(regions, lambda u: u.region)
        )

    def summary(self, rows: list[UnitRow]) -> str:
        return f"单位 {len(rows)} 个"

    def update_actions(self) -> None:
        selected = self.selected() is not None
        for action in self.actions():
            if action.property("needs_selection"):
                action.setEnabled(selected)

    def add_new(self) -> None:
        dialog = UnitDialog(self, self.registry)
        if dialog.exec():
            self.reload(select_id=dialog.saved_id)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None and UnitDialog(self, self.registry, row).exec():
            self.reload(select_id=row.id)

    def merge_selected(self) -> None:
        row = self.selected()
        if row is not None and MergeUnitsDialog(self, self.registry, row).exec():
            self.reload()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None or not confirm(self, "删除单位", f"确定删除单位「{row.name}」？", "删除"):
            return
        try:
            self.registry.units.delete(row.id)
        except AppError as exc:
            show_error(self, exc.message)
            return
        self.reload()
