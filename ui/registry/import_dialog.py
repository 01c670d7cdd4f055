"""台账导入 from Excel/CSV: choose the file (and sheet), preview the plan, then write it.

The preview (导入预览) shows what :func:`~app.services.registry_import.plan_import` found —
rows to add, update or leave alone, bad rows and merged duplicates — before anything is
written. :func:`run_registry_import` is the whole flow behind 文件 → 导入台账.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.io.table_reader import list_sheets
from app.services.registry import Registry
from app.services.registry_import import (
    CancelFn,
    ImportPlan,
    ImportResult,
    PlanItem,
    ProgressFn,
    apply_import,
    plan_import,
)
from ui.file_dialogs import ask_open_path
from ui.icons import icon
from ui.import_preview import import_buttons, preview_view, run_import_work, set_hint
from ui.prompts import show_error, show_info
from ui.table_model import RecordTableModel, TableColumn

IMPORT_FILTER = "表格文件 (*.xlsx *.xlsm *.csv)"
ALL_SHEETS = "全部工作表"
CANCELLED_TEXT = "已取消导入，数据库未作任何改动。"
_NEW_UNITS_SHOWN = 8
_DUPLICATE = re.compile(r"^工作表「(.+?)」第(\d+)行与(?:工作表「(.+?)」)?第(\d+)行是同一(\S+?)，")


@dataclass(frozen=True)
class PreviewRow:
    """One line of a preview list (a row to import, a bad row or a merged duplicate)."""

    sheet: str
    row: int
    row_text: str
    kind: str
    name: str
    unit: str
    detail: str


PREVIEW_COLUMNS: list[TableColumn[PreviewRow]] = [
    TableColumn("工作表", lambda r: r.sheet, width=80),
    TableColumn("行号", lambda r: r.row_text, lambda r: (r.sheet, r.row), True, width=56),
    TableColumn("类型", lambda r: r.kind, width=92),
    TableColumn("名称", lambda r: r.name, width=150),
    TableColumn("单位", lambda r: r.unit, width=140),
    TableColumn("变化/原因", lambda r: r.detail, width=200),
]
_NAME_COLUMNS = (3, 4)
"""名称 and 单位: a bad row has neither (the reason says what is wrong)."""
_WRAP_ROWS_UP_TO = 500
"""Bad-row reasons wrap onto several lines while the list is short enough to measure."""


def _kind_text(kind: str | None, platform: str = "") -> str:
    if kind == "website":
        return "政府网站"
    if kind == "account":
        return platform or "新媒体账号"
    return ""


def item_rows(plan: ImportPlan, action: str) -> list[PreviewRow]:
    """The plan's rows that will be added / updated / left unchanged."""
    return [_item_row(item) for item in plan.items if item.action == action]


def _item_row(item: PlanItem) -> PreviewRow:
    detail = "；".join(text for text in (item.changes, "新建单位" if item.new_unit else "") if text)
    return PreviewRow(
        item.sheet,
        item.sheet_row,
        str(item.sheet_row),
        _kind_text(item.kind, item.platform),
        item.name,
        item.unit,
        detail,
    )


def bad_rows(plan: ImportPlan) -> list[PreviewRow]:
    """Rows that cannot be imported, with the reason (without the repeated row number)."""
    kinds = {sheet.name: sheet.kind for sheet in plan.sheets}
    rows = []
    for bad in plan.bad_rows:
        reason = bad.text.removeprefix(f"工作表「{bad.sheet}」第{bad.sheet_row}行")
        rows.append(
            PreviewRow(
                bad.sheet,
                bad.sheet_row,
                str(bad.sheet_row),
                _kind_text(kinds.get(bad.sheet)),
                "",
                "",
                reason.removeprefix("："),
            )
        )
    return rows


def duplicate_rows(plan: ImportPlan) -> list[PreviewRow]:
    """Rows listed twice in the file and merged into one (later values win)."""
    kept = {(item.sheet, item.sheet_row): item for item in plan.items}
    rows = []
    for text in plan.duplicates:
        match = _DUPLICATE.match(text)
        if match is None:
            rows.append(PreviewRow("", 0, "", "", "", "", text))
            continue
        first_sheet, first, later_sheet, later, noun = match.groups()
        item = kept.get((first_sheet, int(first)))
        same_sheet = later_sheet in (None, first_sheet)
        sheet = first_sheet if same_sheet else f"{first_sheet}、{later_sheet}"
        detail = text.removeprefix(f"工作表「{first_sheet}」") if same_sheet else text
        rows.append(
            PreviewRow(
                sheet,
                int(first),
                f"{first}、{later}",
                _kind_text(item.kind, item.platform) if item else noun,
                item.name if item else "",
                item.unit if item else "",
                detail,
            )
        )
    return rows


class ImportPreviewDialog(QDialog):
    """导入预览: what the import will do, row by row; nothing is written until 导入."""

    def __init__(self, parent: QWidget | None, plan: ImportPlan) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"导入预览 — {plan.file_name}")
        self._fit_to_screen(980, 600)

        self.summary = QLabel(self._summary_text())
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-weight: bold;")
        self.details = QLabel("\n".join(self._detail_lines()))
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: #555;")
        self.details.setVisible(bool(self.details.text()))

        self.tabs = QTabWidget()
        self.models: dict[str, RecordTableModel[PreviewRow]] = {}
        self._tab_of: dict[str, int] = {}
        for key, title, rows in (
            ("add", "新增", item_rows(plan, "add")),
            ("update", "更新", item_rows(plan, "update")),
            ("unchanged", "无变化", item_rows(plan, "unchanged")),
            ("bad", "错误行", bad_rows(plan)),
            ("duplicates", "合并的重复行", duplicate_rows(plan)),
        ):
            self._add_tab(key, title, rows)

        self.skip_box = QCheckBox(f"跳过错误行，导入其余 {len(plan.items)} 行")
        self.skip_box.setObjectName("skip_bad_rows")
        self.skip_box.setVisible(bool(plan.bad_rows))
        self.skip_box.toggled.connect(self._update_state)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        self.buttons, self.import_button, self.cancel_button = import_buttons(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.skip_box)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._select_first_tab()
        self._update_state()

    @property
    def skip_bad_rows(self) -> bool:
        return self.skip_box.isChecked()

    def tab_title(self, key: str) -> str:
        return self.tabs.tabText(self._tab_of[key])

    def tab_enabled(self, key: str) -> bool:
        return self.tabs.isTabEnabled(self._tab_of[key])

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(self._tab_of[key])

    # -- building ---------------------------------------------------------------------------
    def _fit_to_screen(self, width: int, height: int) -> None:
        screen = (self.parentWidget() or self).screen().availableGeometry()
        self.resize(min(width, screen.width() - 20), min(height, screen.height() - 40))

    def _summary_text(self) -> str:
        plan = self.plan
        return (
            f"新增 {plan.added}、更新 {plan.updated}、无变化 {plan.unchanged}、"
            f"错误行 {len(plan.bad_rows)}、新建单位 {len(plan.new_units)}、"
            f"表内重复已合并 {len(plan.duplicates)} 处"
        )

    def _detail_lines(self) -> list[str]:
        plan = self.plan
        lines = []
        for sheet in plan.sheets:
            if sheet.skipped:
                lines.append(f"工作表「{sheet.name}」已跳过：{sheet.skipped}")
                continue
            noun = "新媒体账号" if sheet.kind == "account" else "政府网站"
            line = f"工作表「{sheet.name}」：{noun} {sheet.rows} 条"
            if sheet.ignored_columns:
                line += f"；以下列台账中没有对应项，不导入：{'、'.join(sheet.ignored_columns)}"
            lines.append(line)
        if plan.new_units:
            names = plan.new_units[:_NEW_UNITS_SHOWN]
            more = f" 等 {len(plan.new_units)} 个" if len(plan.new_units) > len(names) else ""
            lines.append(f"将新建单位：{'、'.join(names)}{more}")
        return lines + plan.notes()

    def _add_tab(self, key: str, title: str, rows: Sequence[PreviewRow]) -> None:
        model: RecordTableModel[PreviewRow] = RecordTableModel(
            PREVIEW_COLUMNS, lambda r: (r.name, r.unit, r.detail)
        )
        model.set_rows(rows)
        view = preview_view(self, key, model, PREVIEW_COLUMNS)
        view.verticalHeader().setDefaultSectionSize(26)
        view.setWordWrap(False)
        index = self.tabs.addTab(view, f"{title}({len(rows)})")
        if key == "bad":
            for column in _NAME_COLUMNS:
                view.setColumnHidden(column, True)
            if len(rows) <= _WRAP_ROWS_UP_TO:
                view.setWordWrap(True)
                view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            if rows:
                self.tabs.setTabIcon(index, icon("warning"))
        self.tabs.setTabEnabled(index, bool(rows))
        self.models[key] = model
        self._tab_of[key] = index

    def _select_first_tab(self) -> None:
        order = ["bad", "add", "update", "unchanged", "duplicates"]
        for key in order:
            if self.tab_enabled(key):
                self.show_tab(key)
                return

    def _update_state(self) -> None:
        plan = self.plan
        blocked = bool(plan.bad_rows) and not self.skip_box.isChecked()
        self.import_button.setEnabled(bool(plan.items) and not blocked)
        self.import_button.setDefault(self.import_button.isEnabled())
        if blocked:
            self._set_hint(
                f"有 {len(plan.bad_rows)} 行无法导入。修正文件后重新导入，或勾选上面的“跳过错误行”；"
                "在此之前不会写入任何数据。",
                error=True,
            )
        elif not plan.items:
            self._set_hint("文件中没有可导入的记录。", error=True)
        elif plan.bad_rows:
            self._set_hint(f"将跳过 {len(plan.bad_rows)} 个错误行，其余各行一次性导入。")
        elif plan.added == plan.updated == 0:
            self._set_hint("文件中的记录与台账一致，导入不会改动任何数据。")
        else:
            self._set_hint("")

    def _set_hint(self, text: str, error: bool = False) -> None:
        set_hint(self.hint, text, error)


class SheetChoiceDialog(QDialog):
    """Which sheet of a workbook with several sheets to import (or all of them)."""

    def __init__(self, parent: QWidget | None, file_name: str, sheets: Sequence[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("选择工作表")
        label = QLabel(
            f"「{file_name}」有 {len(sheets)} 个工作表，请选择要导入的一个，"
            f"或导入全部（没有表头的工作表会自动跳过）："
        )
        label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("sheets")
        everything = QListWidgetItem(ALL_SHEETS)
        everything.setData(Qt.ItemDataRole.UserRole, None)
        self.list.addItem(everything)
        for name in sheets:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(self.accept)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("下一步")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(420, 320)

    def choose(self, name: str) -> None:
        """Select ``name`` (a sheet name or :data:`ALL_SHEETS`)."""
        [item] = self.list.findItems(name, Qt.MatchFlag.MatchExactly)
        self.list.setCurrentItem(item)

    def chosen_sheet(self) -> str | None:
        """The sheet to import, or None for every sheet."""
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)


# ------------------------------------------------------------------------------------ flow


def run_registry_import(parent: QWidget, registry: Registry) -> bool:
    """Ask for a file, preview the import and write it; True when the registry changed."""
    path = ask_open_path(parent, "导入台账", IMPORT_FILTER, "import")
    if path is None:
        return False
    try:
        sheets = list_sheets(path)
    except AppError as exc:
        show_error(parent, exc.message, "无法导入")
        return False
    sheet: str | None = None
    if len(sheets) > 1:
        choice = SheetChoiceDialog(parent, path.name, sheets)
        accepted = choice.exec() == QDialog.DialogCode.Accepted
        sheet = choice.chosen_sheet()
        choice.deleteLater()
        if not accepted:
            return False
    plan = _plan(parent, registry, path, sheet)
    if plan is None:
        return False
    preview = ImportPreviewDialog(parent, plan)
    accepted = preview.exec() == QDialog.DialogCode.Accepted
    skip = preview.skip_bad_rows
    preview.deleteLater()  # freed by the GUI thread, not left to the garbage collector
    if not accepted:
        return False
    result = _apply(parent, registry, plan, skip)
    if result is None:
        return False
    show_info(parent, result.text, "导入完成")
    return bool(result.added or result.updated)


def _plan(parent: QWidget, registry: Registry, path: Path, sheet: str | None) -> ImportPlan | None:
    outcome = run_import_work(
        parent,
        f"正在读取「{path.name}」…",
        lambda progress, cancel: plan_import(registry, path, sheet, progress, cancel),
    )
    if outcome.error:
        show_error(parent, outcome.error, "无法导入")
        return None
    if not outcome.ok:  # cancelled while reading: nothing was written, nothing to say
        return None
    return outcome.result


def _apply(
    parent: QWidget, registry: Registry, plan: ImportPlan, skip: bool
) -> ImportResult | None:
    written: list[ImportResult] = []

    def work(progress: ProgressFn, cancel: CancelFn) -> ImportResult:
        result = apply_import(registry, plan, skip_bad_rows=skip, progress=progress, cancel=cancel)
        written.append(result)  # committed: a 取消 pressed from now on comes too late
        return result

    outcome = run_import_work(parent, "正在导入台账…", work)
    if written:
        return written[0]
    if outcome.error:
        show_error(parent, outcome.error, "导入失败")
    else:
        show_info(parent, CANCELLED_TEXT, "导入已取消")
    return None
