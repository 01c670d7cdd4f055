"""历史检查结果: import an earlier round's results sheet into a round; export a round's results.

:func:`run_results_import` is the flow behind 检查 → 导入历史结果…: file → options (round,
kind, sheet, data-collection window) → plan in a worker → preview (counts, rows, bad rows;
register missing sites/accounts?) → write in a worker. :func:`run_results_export` is 导出本轮结果….
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.io.results_export import export_round_results
from app.io.table_reader import list_sheets
from app.services.registry import Registry
from app.services.results_import import (
    ResultRow,
    ResultsPlan,
    ResultsResult,
    apply_results,
    plan_results,
    quarter_window,
)
from app.vocab import RoundStatus
from ui.file_dialogs import XLSX_FILTER, ask_open_path, ask_save_path
from ui.form_dialog import FormDialog
from ui.icons import icon
from ui.import_preview import import_buttons, preview_view, run_import_work, set_hint
from ui.inspection.round_dialog import suggest_round
from ui.prompts import show_error, show_info
from ui.registry.import_dialog import (
    ALL_SHEETS,
    CANCELLED_TEXT,
    IMPORT_FILTER,
    PREVIEW_COLUMNS,
    PreviewRow,
)
from ui.table_model import RecordTableModel, TableColumn
from ui.widgets import DateField
from ui.workers import run_with_progress

AUTO_KIND = "自动识别（有平台、账号列为新媒体）"
NOT_IN_REGISTRY = "（台账中没有）"

RESULT_COLUMNS: list[TableColumn[ResultRow]] = [
    TableColumn("工作表", lambda r: r.sheet, width=70),
    TableColumn("行号", lambda r: r.sheet_row, lambda r: (r.sheet, r.sheet_row), True, width=48),
    TableColumn("类型", lambda r: r.kind_text, width=80),
    TableColumn("表中名称", lambda r: r.name, width=130),
    TableColumn("台账中的对象", lambda r: r.match.name if r.match else NOT_IN_REGISTRY, width=180),
    TableColumn("评分", lambda r: r.score_text, width=56),
    TableColumn("结果", lambda r: r.verdict, width=56),
    TableColumn("主要问题", lambda r: r.problems, width=220),
]


def quarter_name(text: str) -> str | None:
    """'2023年第一季度' when ``text`` (a file name) names a quarter."""
    window = quarter_window(text)
    if window is None:
        return None
    start = window[0]
    return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"


# ------------------------------------------------------------------------------- options


class ResultsOptionsDialog(FormDialog):
    """导入历史检查结果: which round to import into, and how to read the file.

    下一步 reads the file in a worker; a problem (no window for a new round, no results
    header …) is shown under the form. ``plan`` holds the result once accepted.
    """

    def __init__(
        self,
        parent: QWidget | None,
        registry: Registry,
        path: Path,
        sheets: Sequence[str],
        current_round: str | None,
    ) -> None:
        super().__init__(parent, f"导入历史检查结果 — {path.name}")
        self._registry, self._path = registry, path
        self._rounds = {r.name: r for r in registry.rounds.list()}
        self.plan: ResultsPlan | None = None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("下一步")

        self.round = self.add_field("round", "导入到轮次", QComboBox(), required=True)
        self.round.setEditable(True)
        self.round.setMinimumWidth(260)
        self.round.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.round.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for row in self._rounds.values():
            if row.status is not RoundStatus.FINALIZED:
                self.round.addItem(row.name)
        self.kind = self.add_field("kind", "对象类型", QComboBox())
        for label, value in ((AUTO_KIND, None), ("政府网站", "website"), ("政务新媒体", "account")):
            self.kind.addItem(label, value)
        self.sheet = self.add_field("sheet", "工作表", QComboBox())
        self.sheet.addItem(ALL_SHEETS, None)
        for name in sheets:
            self.sheet.addItem(name, name)
        self.form.setRowVisible(self.sheet, len(sheets) > 1)
        self.window_start = self.add_field(
            "window_start", "数据采集开始", DateField(label="数据采集开始日期")
        )
        self.window_end = self.add_field(
            "window_end", "数据采集结束", DateField(label="数据采集结束日期")
        )
        self.window_hint = QLabel()
        self.window_hint.setObjectName("window_hint")
        self.window_hint.setWordWrap(True)
        self.window_hint.setStyleSheet("color: #555;")
        self.form.addRow("", self.window_hint)

        self._auto_window = True
        for field in (self.window_start, self.window_end):
            field.textEdited.connect(self._window_edited)
        self.round.currentTextChanged.connect(self._round_changed)
        self.round.setCurrentText(
            quarter_name(path.stem) or current_round or suggest_round(date.today())[0]
        )
        self._round_changed(self.round.currentText())

    @property
    def round_name(self) -> str:
        return self.round.currentText().strip()

    def _window_edited(self) -> None:
        self._auto_window = False

    def _round_changed(self, name: str) -> None:
        existing = self._rounds.get(name.strip())
        for field in (self.window_start, self.window_end):
            field.setEnabled(existing is None)
        if existing is not None:
            self.window_start.set_date(existing.window_start)
            self.window_end.set_date(existing.window_end)
            self.window_hint.setText(f"导入到已有轮次「{existing.name}」，沿用其数据采集时间。")
            self._auto_window = True
            return
        self.window_hint.setText("该轮次将新建（季度，全国指标体系）。")
        if self._auto_window:
            window = quarter_window(name)
            self.window_start.set_date(window[0] if window else None)
            self.window_end.set_date(window[1] if window else None)

    def save(self, create_unit: bool) -> None:
        name = self.round_name
        if not name:
            raise ValidationError("请填写要导入到的检查轮次名称，如 2023年第一季度。", "round")
        start = self.window_start.date_value("window_start")
        end = self.window_end.date_value("window_end")
        if name not in self._rounds and (start is None or end is None):
            raise ValidationError(
                f"轮次「{name}」将新建，请填写数据采集的开始和结束日期。",
                "window_start" if start is None else "window_end",
            )
        registry, path = self._registry, self._path
        kind, sheet = self.kind.currentData(), self.sheet.currentData()

        def work(cancel: Callable[[], bool]) -> ResultsPlan:
            return plan_results(
                registry,
                path,
                name,
                kind,
                sheet,
                cancel=cancel,
                window_start=start,
                window_end=end,
            )

        outcome = run_import_work(
            self, f"正在读取「{path.name}」…", lambda _progress, cancel: work(cancel)
        )
        if outcome.error:
            raise AppError(outcome.error)
        if not outcome.ok:  # cancelled: stay in the dialog
            raise AppError("已取消读取文件。")
        self.plan = outcome.result


# ------------------------------------------------------------------------------- preview


class ResultsPreviewDialog(QDialog):
    """导入预览: the results found, rows not in the registry and bad rows; nothing is
    written until 导入."""

    def __init__(self, parent: QWidget | None, plan: ResultsPlan) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"导入预览 — {plan.file_name}")
        screen = (self.parentWidget() or self).screen().availableGeometry()
        self.resize(min(1000, screen.width() - 20), min(600, screen.height() - 40))

        self.summary = QLabel(self._summary_text())
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-weight: bold;")
        self.summary.setWordWrap(True)
        self.details = QLabel("\n".join(self._detail_lines()))
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: #555;")

        self.tabs = QTabWidget()
        self.rows_model: RecordTableModel[ResultRow] = RecordTableModel(
            RESULT_COLUMNS,
            lambda r: (r.name, r.unit, r.match.name if r.match else "", r.problems),
            lambda r: r.match is None,
        )
        self.rows_model.set_rows(plan.rows)
        self.bad_model: RecordTableModel[PreviewRow] = RecordTableModel(
            PREVIEW_COLUMNS, lambda r: (r.detail,)
        )
        self.rows_view = self._add_tab("rows", self.rows_model, RESULT_COLUMNS)
        self.bad_view = self._add_tab("bad", self.bad_model, PREVIEW_COLUMNS)
        for column in (3, 4):  # 名称, 单位: the reason says which row it is
            self.bad_view.setColumnHidden(column, True)
        self.bad_view.setWordWrap(True)
        self.bad_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        unmatched = len(plan.unmatched)
        self.create_box = QCheckBox(
            f"把台账中没有的 {unmatched} 个网站/账号登记到台账（作为运行中）"
        )
        self.create_box.setObjectName("create_missing")
        self.create_box.setVisible(bool(unmatched))
        self.create_box.toggled.connect(self._update_state)
        self.skip_box = QCheckBox()
        self.skip_box.setObjectName("skip_bad_rows")
        self.skip_box.toggled.connect(self._update_state)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        self.buttons, self.import_button, self.cancel_button = import_buttons(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.create_box)
        layout.addWidget(self.skip_box)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._update_state()

    @property
    def create_missing(self) -> bool:
        return self.create_box.isChecked()

    @property
    def skip_bad_rows(self) -> bool:
        return self.skip_box.isChecked()

    def blocking_rows(self) -> list[PreviewRow]:
        """The rows that block the import with the current choices."""
        kinds = {s.name: s.kind for s in self.plan.sheets}
        rows = []
        for bad in self.plan.blocking_rows(self.create_box.isChecked()):
            reason = bad.text.removeprefix(f"工作表「{bad.sheet}」第{bad.sheet_row}行")
            kind = "政府网站" if kinds.get(bad.sheet) == "website" else "政务新媒体"
            row_text = str(bad.sheet_row)
            rows.append(
                PreviewRow(bad.sheet, bad.sheet_row, row_text, kind, "", "", reason.lstrip("："))
            )
        return rows

    def _add_tab(
        self, key: str, model: RecordTableModel, columns: Sequence[TableColumn]
    ) -> QTableView:
        view = preview_view(self, key, model, columns)
        self.tabs.addTab(view, "")
        return view

    def _summary_text(self) -> str:
        plan = self.plan
        where = "将新建" if plan.creates_round else "已有"
        return (
            f"检查轮次「{plan.round_name}」（{where}）：结果 {len(plan.rows)} 条，"
            f"合格 {plan.passed}、不合格 {plan.failed}；台账中已有 {len(plan.matched)}、"
            f"台账中没有 {len(plan.unmatched)}、错误行 {len(plan.bad_rows)}"
        )

    def _detail_lines(self) -> list[str]:
        plan = self.plan
        lines = [f"数据采集时间：{plan.window_start} 至 {plan.window_end}"]
        for sheet in plan.sheets:
            if sheet.skipped:
                lines.append(f"工作表「{sheet.name}」已跳过：{sheet.skipped}")
            else:
                noun = "政务新媒体" if sheet.kind == "account" else "政府网站"
                lines.append(f"工作表「{sheet.name}」：{noun}检查结果 {sheet.rows} 条")
        if plan.overwrites:
            lines.append(f"本轮已逐项检查的 {plan.overwrites} 个对象，其结果将被表中的结果替换。")
        return lines

    def _update_state(self) -> None:
        plan = self.plan
        create = self.create_box.isChecked()
        blocking = self.blocking_rows()
        self.bad_model.set_rows(blocking)
        self.tabs.setTabText(0, f"检查结果({len(plan.rows)})")
        self.tabs.setTabText(1, f"无法导入的行({len(blocking)})")
        self.tabs.setTabIcon(1, icon("warning") if blocking else icon("info"))
        self.tabs.setTabEnabled(1, bool(blocking))
        importable = plan.importable(create)
        self.skip_box.setText(f"跳过无法导入的行，导入其余 {importable} 行")
        self.skip_box.setVisible(bool(blocking))
        blocked = bool(blocking) and not self.skip_box.isChecked()
        self.import_button.setEnabled(importable > 0 and not blocked)
        self.import_button.setDefault(self.import_button.isEnabled())
        if blocked:
            self.tabs.setCurrentIndex(1)
            more = "，或勾选上面的“登记到台账”" if plan.unmatched and not create else ""
            self._set_hint(
                f"有 {len(blocking)} 行无法导入。修正文件后重新导入{more}，或勾选“跳过”；"
                "在此之前不会写入任何数据。",
                error=True,
            )
        elif importable == 0:
            self._set_hint("文件中没有可导入的检查结果。", error=True)
        elif blocking:
            self._set_hint(f"将跳过 {len(blocking)} 行，其余 {importable} 行一次性导入。")
        else:
            self._set_hint("")

    def _set_hint(self, text: str, error: bool = False) -> None:
        set_hint(self.hint, text, error)


# ---------------------------------------------------------------------------------- flows


def run_results_import(
    parent: QWidget, registry: Registry, current_round: str | None = None
) -> int | None:
    """Ask for a file, preview the results and write them; returns the round imported into."""
    path = ask_open_path(parent, "导入历史检查结果", IMPORT_FILTER, "import")
    if path is None:
        return None
    try:
        sheets = list_sheets(path)
    except AppError as exc:
        show_error(parent, exc.message, "无法导入")
        return None
    options = ResultsOptionsDialog(parent, registry, path, sheets, current_round)
    accepted = options.exec() == QDialog.DialogCode.Accepted
    plan = options.plan
    options.deleteLater()
    if not accepted or plan is None:
        return None
    preview = ResultsPreviewDialog(parent, plan)
    accepted = preview.exec() == QDialog.DialogCode.Accepted
    create, skip = preview.create_missing, preview.skip_bad_rows
    preview.deleteLater()  # freed by the GUI thread, not left to the garbage collector
    if not accepted:
        return None
    written: list[ResultsResult] = []

    def work(cancel: Callable[[], bool]) -> ResultsResult:
        result = apply_results(
            registry, plan, create_missing=create, skip_bad_rows=skip, cancel=cancel
        )
        written.append(result)  # committed: a 取消 pressed from now on comes too late
        return result

    outcome = run_import_work(parent, "正在导入检查结果…", lambda _progress, cancel: work(cancel))
    if not written:
        if outcome.error:
            show_error(parent, outcome.error, "导入失败")
        else:
            show_info(parent, CANCELLED_TEXT, "导入已取消")
        return None
    show_info(parent, written[0].text, "导入完成")
    return written[0].round_id


def run_results_export(parent: QWidget, registry: Registry, round_id: int) -> Path | None:
    """Ask where to save and export the round's results (网站、新媒体、统计)."""
    name = registry.rounds.get(round_id).name
    path = ask_save_path(parent, "导出本轮结果", f"{name}检查结果.xlsx", XLSX_FILTER, "export")
    if path is None:
        return None
    outcome = run_with_progress(
        parent, "正在导出检查结果…", lambda _p: export_round_results(registry, round_id, path)
    )
    if outcome.error:
        show_error(parent, outcome.error, "导出失败")
        return None
    if not outcome.ok:
        return None
    show_info(parent, f"已导出检查轮次「{name}」的结果到：\n{outcome.result}", "导出完成")
    return outcome.result
