"""指标体系编辑器: view and edit an indicator set, save it as a new version or a local copy.

A version is never changed in place: 保存为新版本 stores the next version of the same code,
复制为本地规则 stores version 1 of a new ``local-…`` code. Rounds keep the version they
pinned, so closed rounds are never rescored. Unconfirmed numbers (see the 2019 fact sheet)
are shipped as defaults and tinted amber until the clerk ticks 已核实.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.indicator_sets import rules_from_dict
from app.domain.scoring import RuleSet
from app.errors import AppError
from app.services.indicators import LOCAL_PREFIX, IndicatorSetRow
from app.services.registry import Registry
from app.vocab import TargetType
from ui.form_dialog import FormDialog
from ui.icons import icon
from ui.inspection.indicator_models import (
    AMBER,
    UNCONFIRMED_TIP,
    CategoryDraft,
    CategoryTableModel,
    ChoiceDelegate,
    DraftTableModel,
    IndicatorDraft,
    IndicatorTableModel,
)
from ui.prompts import confirm, show_error
from ui.widgets import ErrorLine

__all__ = [
    "AMBER",
    "UNCONFIRMED_TIP",
    "MODE_LABELS",
    "IndicatorSetEditor",
    "SaveAsDialog",
    "open_indicator_editor",
    "suggest_local_code",
]

MODE_LABELS: dict[str, str] = {"veto_only": "仅单项否决", "scored": "百分制扣分"}
_PARAMS: tuple[tuple[str, str, str], ...] = (
    ("base", "满分", "百分制的满分，一般为100分"),
    ("pass_mark", "合格线", "得分低于合格线为不合格（恰好等于合格线为合格）"),
    ("bonus_after", "加分门槛", "扣分后得分高于此分数才评加分（恰好等于不加分）"),
    ("bonus_cap", "加分上限", "加分合计最多这么多分"),
    ("no_service_base", "无办事服务满分", "无对外办事服务的网站不查办事服务，按此满分计再折算"),
)


def suggest_local_code(name: str, base_code: str, taken: set[str]) -> str:
    """``local-<slug>``: Latin letters and digits of the name, else the base code's stem."""
    stem = "-".join(re.findall(r"[a-z0-9]+", name.lower()))
    if not stem:
        stem = re.sub(r"^(national|local)-", "", base_code) or "rules"
    stem = stem[:80].strip("-")
    code, n = f"{LOCAL_PREFIX}{stem}", 2
    while code in taken:
        code, n = f"{LOCAL_PREFIX}{stem}-{n}", n + 1
    return code


class SaveAsDialog(FormDialog):
    """Asks the name (and for a local copy the code) and runs ``save``; errors stay inline."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        name: str,
        save: Callable[[str, str], int],
        code: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent, title)
        self._save = save
        self._suggest = code
        self.saved_id: int | None = None
        note = QLabel(intro)
        note.setWordWrap(True)
        self.form.addRow(note)
        self.name = QLineEdit(name)
        self.add_field("name", "名称", self.name, required=code is not None)
        self.code = QLineEdit()
        if code is not None:
            self.name.setPlaceholderText("如：通城县政府网站检查（本地规则）")
            self.code.setText(code(name))
            self.add_field("code", "代码", self.code, required=True)
            self._code_typed = False
            self.code.textEdited.connect(lambda _t: setattr(self, "_code_typed", True))
            self.name.textChanged.connect(self._follow_name)
        else:
            self.code.hide()

    def _follow_name(self, text: str) -> None:
        if self._suggest is not None and not self._code_typed:
            self.code.setText(self._suggest(text))

    def save(self, create_unit: bool) -> None:
        self.saved_id = self._save(self.name.text(), self.code.text())


class IndicatorSetEditor(QDialog):
    """指标体系编辑: pick a set/version, edit it, save it as a new version or a local copy."""

    def __init__(
        self, parent: QWidget | None, registry: Registry, set_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("指标体系[*]")
        self.resize(1240, 720)
        self._service = registry.indicators
        self._registry = registry
        self._rows: list[IndicatorSetRow] = []
        self._set_id: int | None = None
        self._dirty = False
        self._loading = False

        self.set_combo = QComboBox()
        self.set_combo.setObjectName("indicator_set")
        self.set_combo.setMinimumWidth(380)
        self.set_combo.currentIndexChanged.connect(lambda _i: self._combo_changed())
        self.info = QLabel()
        self.info.setObjectName("set_info")
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(QLabel("指标体系："))
        top.addWidget(self.set_combo, 1)

        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for value, label in MODE_LABELS.items():
            self.mode.addItem(label, value)
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.params: dict[str, QDoubleSpinBox] = {}
        self.params_box = QWidget()
        grid = QGridLayout(self.params_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (key, label, tip) in enumerate(_PARAMS):
            spin = QDoubleSpinBox()
            spin.setObjectName(key)
            spin.setDecimals(1)
            spin.setRange(0, 1000)
            spin.setSuffix(" 分")
            spin.setToolTip(tip)
            spin.valueChanged.connect(lambda _v: self._changed())
            self.params[key] = spin
            caption = QLabel(f"{label}：")
            caption.setToolTip(tip)
            grid.addWidget(caption, 0, 2 * i)
            grid.addWidget(spin, 0, 2 * i + 1)
        self.portal_only = QCheckBox("加分仅限政府门户网站")
        self.portal_only.setObjectName("bonus_portal_only")
        self.portal_only.toggled.connect(lambda _v: self._changed())
        grid.addWidget(self.portal_only, 0, 2 * len(_PARAMS))
        grid.setColumnStretch(2 * len(_PARAMS) + 1, 1)
        params_group = QGroupBox("评分参数")
        params_layout = QHBoxLayout(params_group)
        params_layout.addWidget(QLabel("计分方式："))
        params_layout.addWidget(self.mode)
        params_layout.addSpacing(12)
        params_layout.addWidget(self.params_box, 1)

        self.categories = CategoryTableModel(self)
        self.model = IndicatorTableModel(self.categories.names, self)
        self.categories.renamed.connect(self.model.rename_category)
        self.category_view = self._table(self.categories, "categories")
        self.add_category_button = QPushButton(icon("add"), "新增分类")
        self.add_category_button.clicked.connect(self.add_category)
        self.remove_category_button = QPushButton(icon("delete"), "删除分类")
        self.remove_category_button.clicked.connect(self.remove_category)
        self.categories_group = QGroupBox("扣分分类（一级指标；分类内扣分合计不超过其分值）")
        self.categories_group.setLayout(
            self._with_buttons(
                self.category_view, [self.add_category_button, self.remove_category_button]
            )
        )

        self.view = self._table(self.model, "indicators")
        self.add_button = QPushButton(icon("add"), "新增指标")
        self.add_button.setObjectName("add_indicator")
        self.add_button.clicked.connect(self.add_indicator)
        self.remove_button = QPushButton(icon("delete"), "删除指标")
        self.remove_button.setObjectName("remove_indicator")
        self.remove_button.clicked.connect(self.remove_indicator)
        self.up_button = QPushButton("上移")
        self.up_button.clicked.connect(lambda: self.move_indicator(-1))
        self.down_button = QPushButton("下移")
        self.down_button.clicked.connect(lambda: self.move_indicator(1))
        indicators_group = QGroupBox("指标")
        indicators_group.setLayout(
            self._with_buttons(
                self.view, [self.add_button, self.remove_button, self.up_button, self.down_button]
            )
        )
        legend = QLabel(
            f"<span style='background:{AMBER.name()}'>&nbsp;琥珀色&nbsp;</span>"
            "：分值为默认值，未经核实原文；与原文核对后勾选“已核实”。"
            "双击单元格修改；每处分值留空为按实际扣分。"
        )
        legend.setWordWrap(True)

        for model in (self.categories, self.model):
            model.refused.connect(self._show_refusal)
            model.edited.connect(self._changed)
        self.error_line = ErrorLine(self)
        self.error_line.setObjectName("error_line")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setStyleSheet("color: #1b7f3b;")
        self.status.hide()
        self.version_note = QLabel()
        self.version_note.setObjectName("version_note")
        self.version_note.setWordWrap(True)
        self.copy_button = QPushButton("复制为本地规则…")
        self.copy_button.setObjectName("copy_local")
        self.copy_button.setToolTip("把当前内容另存为一套新的本地指标体系（第1版），原体系不变")
        self.copy_button.clicked.connect(self.copy_as_local)
        self.save_button = QPushButton("保存为新版本…")
        self.save_button.setObjectName("save_version")
        self.save_button.clicked.connect(self.save_new_version)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.version_note, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(params_group)
        layout.addWidget(self.categories_group)
        layout.addWidget(indicators_group, 1)
        layout.addWidget(legend)
        layout.addWidget(self.error_line)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        if set_id is None:
            set_id = self._service.default_id(TargetType.WEBSITE)
        self._fill_combo(set_id)

    # -- building blocks -------------------------------------------------------------------------
    def _table(self, model: DraftTableModel, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setItemDelegate(ChoiceDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        view.setWordWrap(False)
        view.verticalHeader().setDefaultSectionSize(24)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.horizontalHeader().setStretchLastSection(True)
        for i, column in enumerate(model.columns):
            view.setColumnWidth(i, column.width)
        return view

    def _fit_categories(self) -> None:
        """Categories table just tall enough for its rows (a scroll bar beyond six)."""
        rows = min(max(len(self.categories.rows), 2), 6)
        header = self.category_view.horizontalHeader().sizeHint().height()
        self.category_view.setFixedHeight(header + 24 * rows + 4)

    @staticmethod
    def _with_buttons(view: QTableView, buttons: list[QPushButton]) -> QHBoxLayout:
        column = QVBoxLayout()
        for button in buttons:
            column.addWidget(button)
        column.addStretch()
        row = QHBoxLayout()
        row.addWidget(view, 1)
        row.addLayout(column)
        return row

    # -- choosing a set --------------------------------------------------------------------------
    @property
    def set_id(self) -> int | None:
        return self._set_id

    def _fill_combo(self, select: int) -> None:
        self._rows = self._service.list()
        self.set_combo.blockSignals(True)
        self.set_combo.clear()
        for row in self._rows:
            kind = "网站" if row.target_type is TargetType.WEBSITE else "新媒体"
            mark = "（最新）" if row.is_latest else "（旧版）"
            self.set_combo.addItem(f"［{kind}］{row.title}{mark}", row.id)
        self.set_combo.setCurrentIndex(max(self.set_combo.findData(select), 0))
        self.set_combo.blockSignals(False)
        self._load(self.set_combo.currentData())

    def _combo_changed(self) -> None:
        wanted = self.set_combo.currentData()
        if wanted == self._set_id:
            return
        if self._dirty and not self._may_discard():
            self.set_combo.blockSignals(True)
            self.set_combo.setCurrentIndex(self.set_combo.findData(self._set_id))
            self.set_combo.blockSignals(False)
            return
        self._load(wanted)

    def _load(self, set_id: int) -> None:
        row = self._service.get(set_id)
        rules = self._service.rules(set_id)
        self._loading = True
        self._set_id = set_id
        self.mode.setCurrentIndex(self.mode.findData(rules.mode))
        for key, spin in self.params.items():
            spin.setValue(float(getattr(rules, key)))
        self.portal_only.setChecked(rules.bonus_portal_only)
        self.categories.set_rows([CategoryDraft.of(c) for c in rules.categories])
        self.model.set_rows([IndicatorDraft.of(i) for i in rules.indicators])
        self._fit_categories()
        self._loading = False
        self._mode_changed()
        self._set_dirty(False)
        self.error_line.show_message("")
        self._describe(row)

    def _describe(self, row: IndicatorSetRow) -> None:
        versions = [r.version for r in self._rows if r.code == row.code]
        latest = max(versions, default=row.version)
        unconfirmed = sum(1 for d in self.model.rows if not d.confirmed) + sum(
            1 for d in self.categories.rows if not d.confirmed
        )
        used = [
            r.name
            for r in self._registry.rounds.list()
            if row.id in (r.website_set_id, r.account_set_id)
        ]
        parts = [
            f"代码 {row.code}，第{row.version}版"
            + ("（最新）" if row.is_latest else f"（最新为第{latest}版）"),
            row.target_type.label,
            f"{unconfirmed} 项分值未经核实" if unconfirmed else "分值均已核实",
            f"已用于检查轮次：{'、'.join(used)}" if used else "尚未用于检查轮次",
        ]
        self.info.setText("；".join(parts) + f"。\n来源：{row.source}")
        self.version_note.setText(
            f"保存后生成第{latest + 1}版；已使用旧版本的检查轮次不受影响，继续按旧版评分。"
        )

    # -- editing ---------------------------------------------------------------------------------
    def _mode_changed(self) -> None:
        scored = self.mode.currentData() == "scored"
        self.params_box.setVisible(scored)
        self.categories_group.setVisible(scored)
        self._changed()

    def _changed(self) -> None:
        if self._loading:
            return
        self._set_dirty(True)
        self.status.hide()
        self.error_line.show_message("")  # the last refusal no longer applies

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.setWindowModified(dirty)

    def is_dirty(self) -> bool:
        return self._dirty

    def _show_refusal(self, message: str) -> None:
        self.error_line.show_message(f"{message}。未修改。")

    def _current_row(self, view: QTableView) -> int:
        index = view.currentIndex()
        return index.row() if index.isValid() else -1

    def _select(self, view: QTableView, row: int, column: int = 0) -> None:
        index = view.model().index(row, column)
        view.setCurrentIndex(index)
        view.scrollTo(index)
        view.setFocus()

    def add_indicator(self) -> None:
        current = self._current_row(self.view)
        near = self.model.rows[current] if current >= 0 else None
        part = (
            near.part if near else ("deduction" if self.mode.currentData() == "scored" else "veto")
        )
        draft = IndicatorDraft(
            code=self.model.free_code(),
            part=part,
            category=(near.category if near else "") or "",
            name="新指标",
            short_name="",
            points_per=None,
            cap=None,
            confirmed=True,
            description="",
        )
        if part != "veto" and not draft.category:
            draft.category = self.model.default_category(part)
        at = self.model.insert_draft(current + 1 if current >= 0 else len(self.model.rows), draft)
        self._select(self.view, at, self.model.column_of("name"))
        self.error_line.show_message("")

    def remove_indicator(self) -> None:
        current = self._current_row(self.view)
        if current < 0:
            self.error_line.show_message("请先在指标表中选中要删除的指标。")
            return
        if len(self.model.rows) == 1:
            self.error_line.show_message("指标体系至少要有一个指标。")
            return
        self.model.remove_draft(current)
        self._select(self.view, min(current, len(self.model.rows) - 1))

    def move_indicator(self, delta: int) -> None:
        current = self._current_row(self.view)
        if current < 0:
            return
        column = self.view.currentIndex().column()
        self._select(self.view, self.model.move_draft(current, delta), column)

    def add_category(self) -> None:
        taken, n = set(self.categories.names()), 1
        while f"新分类{n}" in taken:
            n += 1
        draft = CategoryDraft(f"新分类{n}", Decimal(0), False, True, "")
        at = self.categories.insert_draft(len(self.categories.rows), draft)
        self._fit_categories()
        self._select(self.category_view, at)

    def remove_category(self) -> None:
        current = self._current_row(self.category_view)
        if current < 0:
            self.error_line.show_message("请先在分类表中选中要删除的分类。")
            return
        name = self.categories.rows[current].name
        users = [d.code for d in self.model.rows if d.category == name]
        if users:
            self.error_line.show_message(
                f"分类「{name}」下还有指标 {'、'.join(users)}，请先删除它们或改到其他分类。"
            )
            return
        self.categories.remove_draft(current)
        self._fit_categories()

    # -- saving ----------------------------------------------------------------------------------
    def current_rules(self) -> RuleSet:
        """The edited rules, validated; ``ValueError`` with a Chinese message if not valid."""
        data: dict[str, Any] = {
            "mode": self.mode.currentData(),
            "bonus_portal_only": self.portal_only.isChecked(),
            "categories": [asdict(d) for d in self.categories.rows],
            "indicators": [asdict(d) for d in self.model.rows],
        }
        for key, spin in self.params.items():
            data[key] = Decimal(f"{spin.value():.{spin.decimals()}f}")
        return rules_from_dict(data)

    def _checked_rules(self) -> RuleSet | None:
        try:
            rules = self.current_rules()
        except ValueError as exc:
            self.error_line.show_message(f"无法保存：{exc}")
            return None
        self.error_line.show_message("")
        return rules

    def save_new_version(self) -> None:
        rules = self._checked_rules()
        if rules is None or self._set_id is None:
            return
        base_id = self._set_id
        current = self._service.get(base_id)
        dialog = SaveAsDialog(
            self,
            "保存为新版本",
            f"{self.version_note.text()}\n可修改名称；不改则沿用“{current.name}”。",
            current.name,
            lambda name, _code: self._service.save_new_version(base_id, rules, name),
        )
        if dialog.exec() and dialog.saved_id is not None:
            self._saved(dialog.saved_id)

    def copy_as_local(self) -> None:
        rules = self._checked_rules()
        if rules is None or self._set_id is None:
            return
        base_id = self._set_id
        base = self._service.get(base_id)
        taken = {r.code for r in self._service.list()}
        dialog = SaveAsDialog(
            self,
            "复制为本地规则",
            f"把当前内容另存为一套新的本地指标体系（第1版），适用于{base.target_type.label}。"
            f"「{base.title}」本身不变。",
            "",
            lambda name, code: self._service.save_as_new_set(base_id, rules, name, code),
            code=lambda name: suggest_local_code(name, base.code, taken),
        )
        if dialog.exec() and dialog.saved_id is not None:
            self._saved(dialog.saved_id)

    def _saved(self, new_id: int) -> None:
        self._set_dirty(False)
        self._fill_combo(new_id)
        self.status.setText(f"已保存：{self._service.get(new_id).title}。")
        self.status.show()

    # -- closing ---------------------------------------------------------------------------------
    def _may_discard(self) -> bool:
        return confirm(
            self,
            "放弃修改",
            "指标体系的修改还没有保存为新版本。放弃这些修改？",
            "放弃修改",
        )

    def reject(self) -> None:
        if self._dirty and not self._may_discard():
            return
        self._set_dirty(False)
        super().reject()


def open_indicator_editor(parent: QWidget | None, registry: Registry) -> None:
    """Show the editor as a modal dialog (the 检查 tab's 指标体系… button)."""
    try:
        editor = IndicatorSetEditor(parent, registry)
    except AppError as exc:
        show_error(parent, exc.message)
        return
    editor.exec()
