"""检查 tab: pick a round, walk its targets, fill each checklist.

Left: the round's targets with state, filters and progress "已检 x / N"; right: the
checklist. Unsaved changes are saved when moving to another target.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.services.inspection import TargetRow
from app.services.registry import Registry
from app.vocab import RoundStatus, TargetState, TargetType
from ui.icons import icon
from ui.inspection.checklist_panel import ChecklistPanel
from ui.inspection.indicator_editor import open_indicator_editor
from ui.inspection.results_dialog import run_results_export, run_results_import
from ui.inspection.round_dialog import RoundDialog
from ui.inspection.scope_dialog import AddTargetsDialog
from ui.inspection.stats_dialog import RoundStatsDialog
from ui.prompts import confirm, show_error, show_info
from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn
from ui.table_view import record_view

TARGET_COLUMNS: list[TableColumn[TargetRow]] = [
    TableColumn("状态", lambda t: t.state, width=50),
    TableColumn("类型", lambda t: "网站" if t.kind is TargetType.WEBSITE else t.subtype, width=80),
    TableColumn("名称", lambda t: t.name, width=170),
    TableColumn("单位", lambda t: t.unit_name, width=130),
    TableColumn("县区", lambda t: t.region, width=60),
    TableColumn(
        "得分", lambda t: t.score_text, sort_key=lambda t: (t.score is None, t.score or 0), width=50
    ),
    TableColumn("主要问题", lambda t: t.problem_text, width=200),
]


class InspectionTab(QWidget):
    counts_changed = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.round_combo = QComboBox()
        self.round_combo.setObjectName("round")
        self.round_combo.setMinimumWidth(220)
        self.round_combo.currentIndexChanged.connect(lambda _i: self._round_changed())
        self.new_round = QPushButton(icon("add"), "新建轮次(&N)…")
        self.new_round.setObjectName("new_round")
        self.new_round.clicked.connect(self.create_round)
        self.edit_round = QPushButton(icon("edit"), "轮次设置(&E)…")
        self.edit_round.clicked.connect(self.edit_current_round)
        self.import_results_button = QPushButton(icon("import"), "导入历史结果…")
        self.import_results_button.setObjectName("import_results")
        self.import_results_button.setToolTip("把以往轮次的检查结果表（Excel）导入到一个检查轮次")
        self.import_results_button.clicked.connect(self.import_results)
        self.export_results_button = QPushButton(icon("export"), "导出本轮结果…")
        self.export_results_button.setObjectName("export_results")
        self.export_results_button.setToolTip(
            "把本轮结果导出为 Excel（政府网站、政务新媒体、统计）"
        )
        self.export_results_button.clicked.connect(self.export_results)
        self.indicator_sets = QPushButton(icon("indicators"), "指标体系…")
        self.indicator_sets.setObjectName("indicator_sets")
        self.indicator_sets.clicked.connect(lambda: open_indicator_editor(self, self.registry))
        self.progress = QLabel()
        self.progress.setObjectName("progress")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("检查轮次："))
        bar.addWidget(self.round_combo)
        bar.addWidget(self.new_round)
        bar.addWidget(self.edit_round)
        bar.addStretch()
        bar.addWidget(self.progress)
        self.add_targets_button = QPushButton(icon("add"), "加入检查对象(&A)…")
        self.add_targets_button.setObjectName("add_targets")
        self.add_targets_button.setToolTip("把台账中未列入本轮的网站或新媒体加入本轮")
        self.add_targets_button.clicked.connect(self.add_targets)
        self.remove_target_button = QPushButton(icon("delete"), "移出本轮")
        self.remove_target_button.setObjectName("remove_target")
        self.remove_target_button.clicked.connect(self.remove_selected_target)
        self.stats_button = QPushButton(icon("info"), "本轮统计(&T)…")
        self.stats_button.setObjectName("round_stats")
        self.stats_button.clicked.connect(self.show_stats)
        tools = QHBoxLayout()  # second row, so the tab fits a small laptop screen
        for button in (
            self.stats_button,
            self.add_targets_button,
            self.remove_target_button,
            self.import_results_button,
            self.export_results_button,
            self.indicator_sets,
        ):
            tools.addWidget(button)
        tools.addStretch()

        self.model: RecordTableModel[TargetRow] = RecordTableModel(
            TARGET_COLUMNS,
            lambda t: (t.name, t.unit_name, t.region, t.subtype, t.problem_text),
            lambda t: t.state is TargetState.PENDING,
        )
        self.proxy = RecordFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("target_search")
        self.search.setPlaceholderText("搜索名称、单位、县区…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search_text)
        self.kind_filter = self._filter(
            "kind",
            "全部对象",
            [
                ("政府网站", lambda t: t.kind is TargetType.WEBSITE),
                ("政务新媒体", lambda t: t.kind is TargetType.ACCOUNT),
            ],
        )
        self.state_filter = self._filter(
            "state", "全部状态", [(s.label, lambda t, s=s: t.state is s) for s in TargetState]
        )
        self.view = record_view(
            self.proxy, TARGET_COLUMNS, name="targets", multi_select=True, row_height=24
        )
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(lambda _index: self.panel.focus_first_item())  # Enter
        self.finalized_hint = QLabel(
            "本轮已定稿（通报已印发），检查结果只读。如需修改，请在「通报」页重新打开本轮。"
        )
        self.finalized_hint.setObjectName("finalized_hint")
        self.finalized_hint.setWordWrap(True)
        self.finalized_hint.setStyleSheet(
            "background: #eef3fb; border: 1px solid #b8c9e6; padding: 6px; color: #23467a;"
        )
        self.finalized_hint.setVisible(False)
        self.bulk_pass = QPushButton("所选标为合格（无问题）(&P)")
        self.bulk_pass.setObjectName("bulk_pass")
        self.bulk_pass.clicked.connect(self.mark_selected_passed)
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #666; padding: 16px;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.state_filter, 1)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.empty_hint)
        left_layout.addWidget(self.finalized_hint)
        left_layout.addWidget(self.bulk_pass)

        self.panel = ChecklistPanel(registry)
        self.panel.saved.connect(self._target_saved)
        self.panel.save_next_button.clicked.connect(self.save_and_next)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)

        for keys, slot in (
            ("Ctrl+Return", self.save_and_next),
            ("Ctrl+Enter", self.save_and_next),
            (QKeySequence.StandardKey.Save, self.panel.save),
        ):
            shortcut = QShortcut(
                QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            shortcut.activated.connect(slot)
        self._current_target: int | None = None
        self._switching = False

    def _filter(self, name: str, all_label: str, choices) -> QComboBox:  # noqa: ANN001
        combo = QComboBox()
        combo.setObjectName(f"filter_{name}")
        combo.addItem(all_label, None)
        for label, predicate in choices:
            combo.addItem(label, predicate)
        combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_predicate(name, combo.currentData())
        )
        return combo

    # -- rounds ----------------------------------------------------------------------------
    def reload(self, select_round: int | None = None) -> None:
        keep = select_round if select_round is not None else self.round_combo.currentData()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for row in self.registry.rounds.list():
            suffix = "（已定稿）" if row.status is RoundStatus.FINALIZED else ""
            self.round_combo.addItem(f"{row.name}{suffix}", row.id)
        index = self.round_combo.findData(keep) if keep is not None else 0
        self.round_combo.setCurrentIndex(max(index, 0))
        self.round_combo.blockSignals(False)
        self._round_changed()

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Re-read rounds and targets, keeping the round and target on screen."""
        if not self.leave():
            return
        keep = self._current_target
        self.reload()
        if keep is not None:
            self.select_target(keep)

    def leave(self) -> bool:
        """Save what is typed in the checklist (tab switch, window close); False if it cannot be."""
        return self._leave_current()

    def current_round_id(self) -> int | None:
        return self.round_combo.currentData()

    def create_round(self) -> None:
        if not self._leave_current():
            return
        dialog = RoundDialog(self, self.registry)
        if dialog.exec():
            self.reload(select_round=dialog.saved_id)

    def edit_current_round(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        if RoundDialog(self, self.registry, self.registry.rounds.get(round_id)).exec():
            self.reload(select_round=round_id)

    def import_results(self) -> None:
        """导入历史结果…: an earlier round's results sheet into a (new) round."""
        if not self._leave_current():
            return
        row = self.current_round_id()
        current = self.registry.rounds.get(row).name if row is not None else None
        round_id = run_results_import(self, self.registry, current)
        if round_id is not None:
            self.reload(select_round=round_id)

    def export_results(self) -> None:
        """导出本轮结果…: the current round's results as .xlsx."""
        round_id = self.current_round_id()
        if round_id is None:
            show_info(self, "请先选择要导出的检查轮次。")
            return
        if not self._leave_current():
            return
        run_results_export(self, self.registry, round_id)

    def _round_changed(self) -> None:
        round_id = self.current_round_id()
        finalized = (
            round_id is not None
            and self.registry.rounds.get(round_id).status is RoundStatus.FINALIZED
        )
        self.edit_round.setEnabled(round_id is not None)
        self.export_results_button.setEnabled(round_id is not None)
        self.add_targets_button.setEnabled(round_id is not None and not finalized)
        self.stats_button.setEnabled(round_id is not None)
        self.remove_target_button.setEnabled(round_id is not None and not finalized)
        self.bulk_pass.setEnabled(not finalized)
        self.finalized_hint.setVisible(finalized)
        rows = self.registry.inspection.targets(round_id) if round_id is not None else []
        self.model.set_rows(rows)
        self._current_target = None
        self.panel.load(None)
        if round_id is None:
            if self.registry.demo.registry_is_empty():
                self.empty_hint.setText(
                    "台账还是空的：请先在“台账”页导入或登记网站和新媒体，再新建检查轮次。"
                )
            else:
                self.empty_hint.setText(
                    "还没有检查轮次：点击“新建轮次…”，本轮检查对象会按数据采集时间从台账中自动选出。"
                )
        self.empty_hint.setVisible(round_id is None)
        self._update_progress()

    def _update_progress(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            self.progress.setText("")
            self.counts_changed.emit("")
            return
        row = self.registry.rounds.get(round_id)
        text = f"{row.progress_text}（合格 {row.passed}，不合格 {row.failed}）"
        self.progress.setText(text)
        self.counts_changed.emit(f"{row.name}：{text}")

    # -- targets ---------------------------------------------------------------------------
    def select_target(self, target_id: int) -> bool:
        proxy_row = self.proxy.proxy_row_of_id(target_id)
        if proxy_row is None:
            return False
        index = self.proxy.index(proxy_row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def _current_changed(self, current, previous) -> None:  # noqa: ANN001 - QModelIndex
        if self._switching:
            return
        new_id = self.proxy.row_at(current.row()).id if current.isValid() else None
        if new_id == self._current_target:
            return
        if not self._leave_current():
            # The view is still processing the key or click that moved the highlight; put it
            # back on the target whose changes could not be saved once that has finished.
            QTimer.singleShot(0, self._return_to_current)
            return
        self._current_target = new_id
        try:
            self.panel.load(new_id)
        except AppError as exc:
            show_error(self, exc.message)

    def _return_to_current(self) -> None:
        if self._current_target is None:
            return
        self._switching = True
        try:
            self.select_target(self._current_target)
        finally:
            self._switching = False
        self.panel.focus_first_item()

    def _leave_current(self) -> bool:
        """Save unsaved changes before leaving a target; False when they cannot be saved."""
        if self.panel.checklist is None or not self.panel.is_dirty():
            return True
        return self.panel.save() is not None

    def _target_saved(self, row: TargetRow) -> None:
        self.model.replace_row(row)
        self._update_progress()

    def save_and_next(self) -> None:
        """Ctrl+Enter: save this checklist and open the next target in the list."""
        if self.panel.checklist is None:
            return
        if self.panel.save() is None:
            return
        current = self.view.selectionModel().currentIndex()
        next_row = current.row() + 1 if current.isValid() else 0
        if next_row < self.proxy.rowCount():
            self.select_target(self.proxy.row_at(next_row).id)
        self.panel.focus_first_item()

    def show_stats(self) -> None:
        round_id = self.current_round_id()
        if round_id is None or not self._leave_current():
            return
        RoundStatsDialog(self, self.registry.stats.round_stats(round_id)).exec()

    def add_targets(self) -> None:
        """调整检查范围: add registry records the round's window left out."""
        round_id = self.current_round_id()
        if round_id is None or not self._leave_current():
            return
        dialog = AddTargetsDialog(self, self.registry, round_id)
        if dialog.exec() and dialog.added:
            self.refresh()

    def remove_selected_target(self) -> None:
        """Take the selected target out of the round (its results go too, after asking)."""
        current = self.view.selectionModel().currentIndex()
        if not current.isValid():
            show_info(self, "请先在列表中选择要移出本轮的对象。")
            return
        target = self.proxy.row_at(current.row())
        checked = target.state is not TargetState.PENDING
        text = f"把「{target.name}」移出本轮？" + (
            "\n它本轮的检查结果和证据记录将一并删除。" if checked else ""
        )
        if not confirm(self, "移出本轮", text, "移出"):
            return
        try:
            self.registry.rounds.remove_target(target.id, even_if_checked=checked)
        except AppError as exc:
            show_error(self, exc.message)
            return
        self._current_target = None
        self.panel.load(None)
        self._round_changed()

    def mark_selected_passed(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        ids = [self.proxy.row_at(i.row()).id for i in rows]
        if not ids:
            show_info(self, "请先在列表中选择要标为合格的对象（可按住 Ctrl 或 Shift 多选）。")
            return
        if not self._leave_current():
            return
        if not confirm(
            self, "批量标为合格", f"把所选 {len(ids)} 个对象标为“合格（无问题）”？", "标为合格"
        ):
            return
        try:
            marked, skipped = self.registry.inspection.mark_passed(ids)
        except AppError as exc:
            show_error(self, exc.message)
            return
        keep = self._current_target
        self._round_changed()
        if keep is not None:
            self.select_target(keep)
        if skipped:
            show_info(
                self,
                f"已标为合格 {marked} 个。以下 {len(skipped)} 个已有检查问题或已判不合格，未改动，请逐个处理：\n"
                + "、".join(skipped[:20])
                + ("……" if len(skipped) > 20 else ""),
            )
