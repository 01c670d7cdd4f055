"""The checklist (检查表) of one target: veto check boxes, deduction counts, live verdict.

Keyboard: Tab walks the items, Space ticks a veto, digits set a count; Ctrl+S saves,
Ctrl+Enter saves and moves to the next target (the tab wires that).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QFileInfo, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileIconProvider,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import scoring
from app.errors import AppError
from app.services.inspection import Checklist, TargetRow
from app.services.rectification import ItemRow
from app.services.registry import Registry
from app.vocab import TargetState, TargetType
from ui.audit_dialog import AuditDialog
from ui.file_dialogs import ask_open_path
from ui.icons import icon
from ui.prompts import confirm
from ui.widgets import ErrorLine

_PASS_STYLE = "color: #1b7f3b; font-size: 16pt; font-weight: bold;"
_FAIL_STYLE = "color: #b00020; font-size: 16pt; font-weight: bold;"
_PENDING_STYLE = "color: #777; font-size: 16pt; font-weight: bold;"
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}


def followed_line(item: ItemRow) -> str:
    """「• 没有咨询建言(单否) — 待整改，期限 2025-10-20（2025年第三季度）」"""
    where = item.round_name or f"{item.source.label}，复查请在“整改”页登记"
    return (
        f"• {item.problem_text} — {item.status_text}，期限 {item.deadline.isoformat()}（{where}）"
    )


def _points(value: Decimal | None) -> str:
    return "" if value is None else scoring.format_score(value)


class _ItemRow:
    """Widgets of one indicator: a check box (veto) or a count/points box, and a note."""

    def __init__(self, indicator: scoring.Indicator, on_change) -> None:  # noqa: ANN001
        self.indicator = indicator
        self.check: QCheckBox | None = None
        self.count: QSpinBox | None = None
        self.points: QDoubleSpinBox | None = None
        flag = "（默认分值，待核实）" if not indicator.confirmed else ""
        if indicator.part == "veto":
            self.check = QCheckBox(f"{indicator.name}")
            self.check.setObjectName(f"item_{indicator.code}")
            self.check.setToolTip(indicator.description)
            self.check.toggled.connect(on_change)
            self.label = QLabel(indicator.code)
        else:
            rule = []
            if indicator.points_per is not None:
                rule.append(f"每处{_points(indicator.points_per)}分")
            if indicator.cap is not None:
                rule.append(f"最多{_points(indicator.cap)}分")
            self.label = QLabel(f"{indicator.name}（{'，'.join(rule) or '按实际扣分'}）{flag}")
            self.label.setToolTip(indicator.description)
            self.label.setWordWrap(True)
            if flag:
                self.label.setStyleSheet("color: #8a5a00;")
            if indicator.points_per is not None:
                self.count = QSpinBox()
                self.count.setObjectName(f"item_{indicator.code}")
                self.count.setRange(0, 999)
                self.count.setSuffix(" 处")
                self.count.valueChanged.connect(on_change)
            else:
                self.points = QDoubleSpinBox()
                self.points.setObjectName(f"item_{indicator.code}")
                self.points.setDecimals(1)
                self.points.setRange(0, 999)
                self.points.setSuffix(" 分")
                self.points.valueChanged.connect(on_change)
        self.note = QLineEdit()
        self.note.setObjectName(f"note_{indicator.code}")
        self.note.setPlaceholderText("说明：栏目、网址、截图位置…")
        self.note.textEdited.connect(on_change)

    @property
    def editor(self) -> QWidget:
        return self.check or self.count or self.points  # type: ignore[return-value]

    def set(self, finding: scoring.Finding | None) -> None:
        for widget in (self.check, self.count, self.points, self.note):
            if widget is not None:
                widget.blockSignals(True)
        if self.check is not None:
            self.check.setChecked(finding is not None)
        if self.count is not None:
            self.count.setValue(finding.count if finding else 0)
        if self.points is not None:
            self.points.setValue(float(finding.points or 0) if finding else 0)
        self.note.setText(finding.note if finding else "")
        for widget in (self.check, self.count, self.points, self.note):
            if widget is not None:
                widget.blockSignals(False)

    def finding(self) -> scoring.Finding | None:
        code, note = self.indicator.code, self.note.text().strip()
        if self.check is not None:
            return scoring.Finding(code, 1, None, note) if self.check.isChecked() else None
        if self.count is not None:
            return (
                scoring.Finding(code, self.count.value(), None, note)
                if self.count.value()
                else None
            )
        assert self.points is not None
        value = Decimal(str(round(self.points.value(), 1)))
        return scoring.Finding(code, 1, value, note) if value else None


class ChecklistPanel(QWidget):
    saved = Signal(object)  # TargetRow

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.checklist: Checklist | None = None
        self._rows: list[_ItemRow] = []
        self._dirty = False
        self._manual_text = False

        self.header = QLabel("请在左侧选择一个检查对象。")
        self.header.setObjectName("checklist_header")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.followed = QLabel()  # earlier rounds' open 整改 items of this target
        self.followed.setObjectName("followed_items")
        self.followed.setWordWrap(True)
        self.followed_box = QGroupBox("上轮整改事项（保存后自动记录复查结果）")
        self.followed_box.setStyleSheet("QGroupBox { background: #fff8e1; }")
        QVBoxLayout(self.followed_box).addWidget(self.followed)
        self.followed_box.hide()
        self.items_box = QWidget()
        self.items_layout = QVBoxLayout(self.items_box)
        self.items_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.items_box)

        self.no_services = QCheckBox("无对外办事服务（办事服务指标不检查，按75分折算为百分制）")
        self.no_services.setObjectName("no_services")
        self.no_services.toggled.connect(self._changed)
        self.problem_text = QLineEdit()
        self.problem_text.setObjectName("problem_text")
        self.problem_text.setPlaceholderText("主要问题，按通报格式自动生成，可手动修改")
        self.problem_text.textEdited.connect(self._text_edited)
        self.auto_text = QPushButton("恢复自动生成")
        self.auto_text.clicked.connect(self._restore_auto_text)
        self.note = QLineEdit()
        self.note.setObjectName("target_note")
        self.note.textEdited.connect(self._changed)

        self.evidence_model = QStandardItemModel(self)
        self.evidence_view = QListView()
        self.evidence_view.setObjectName("evidence")
        self.evidence_view.setModel(self.evidence_model)
        self.evidence_view.setViewMode(QListView.ViewMode.IconMode)
        self.evidence_view.setIconSize(QPixmap(80, 56).size())
        self.evidence_view.setFixedHeight(76)
        self.evidence_view.setToolTip("双击打开")
        self.evidence_view.doubleClicked.connect(self._open_evidence)
        self.add_evidence_button = QPushButton(icon("add"), "附加截图/文件…")
        self.add_evidence_button.clicked.connect(self.add_evidence)
        self.remove_evidence_button = QPushButton("移除所选")
        self.remove_evidence_button.clicked.connect(self.remove_evidence)

        self.error_line = ErrorLine(self)
        self.save_button = QPushButton("保存 (Ctrl+S)")
        self.save_button.setObjectName("save")
        self.save_next_button = QPushButton("保存并下一个 (Ctrl+Enter)")
        self.save_next_button.setObjectName("save_next")
        self.reset_button = QPushButton("重置为未检")
        self.reset_button.setObjectName("reset")
        self.reset_button.clicked.connect(self.reset_target)
        self.audit_button = QPushButton(icon("audit"), "修改记录…")
        self.audit_button.setObjectName("audit")
        self.audit_button.setToolTip("本轮对该对象的每一次修改：修改人、时间、原值和新值")
        self.audit_button.setEnabled(False)
        self.audit_button.clicked.connect(self.show_audit)
        self.save_button.clicked.connect(self.save)

        form = QFormLayout()
        text_row = QHBoxLayout()
        text_row.addWidget(self.problem_text, 1)
        text_row.addWidget(self.auto_text)
        form.addRow("主要问题：", text_row)
        form.addRow("备注：", self.note)
        evidence_buttons = QHBoxLayout()
        evidence_buttons.addWidget(self.add_evidence_button)
        evidence_buttons.addWidget(self.remove_evidence_button)
        evidence_buttons.addStretch()
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.audit_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.save_next_button)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.verdict)
        layout.addLayout(top)
        layout.addWidget(self.followed_box)
        layout.addWidget(self.no_services)
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(QLabel("证据："))
        layout.addWidget(self.evidence_view)
        layout.addLayout(evidence_buttons)
        layout.addWidget(self.error_line)
        layout.addLayout(buttons)
        self._set_enabled(False)

    # -- loading ---------------------------------------------------------------------------
    def load(self, target_id: int | None) -> None:
        """Show the checklist of ``target_id`` (None: nothing selected)."""
        self.error_line.show_message("")
        if target_id is None:
            self.checklist = None
            self._clear_items()
            self.header.setText("请在左侧选择一个检查对象。")
            self.verdict.setText("")
            self.followed_box.hide()
            self._set_enabled(False)
            self.audit_button.setEnabled(False)
            return
        checklist = self.registry.inspection.checklist(target_id)
        rebuild = self.checklist is None or self.checklist.rules is not checklist.rules
        self.checklist = checklist
        if rebuild:
            self._build_items(checklist.rules)
        target = checklist.target
        kind = "政府网站" if target.kind is TargetType.WEBSITE else "政务新媒体"
        self.header.setText(
            f"{target.name}\n{kind} · {target.subtype} · {target.unit_name} · {target.region}"
        )
        for row in self._rows:
            row.set(checklist.findings.get(row.indicator.code))
            if row.indicator.part == "bonus":
                row.editor.setEnabled(target.portal)
        self.no_services.blockSignals(True)
        self.no_services.setChecked(checklist.no_services)
        self.no_services.blockSignals(False)
        self.no_services.setVisible(
            target.kind is TargetType.WEBSITE and checklist.rules.mode == "scored"
        )
        self._manual_text = checklist.problem_text_manual
        self.problem_text.setText(target.problem_text)
        self.note.setText(checklist.note)
        self._load_evidence()
        self._show_followed(target)
        self._set_enabled(checklist.round_open)
        self.audit_button.setEnabled(True)  # also for a finalized round
        self._dirty = False
        self._recompute(keep_text=True)

    def _clear_items(self) -> None:
        while self.items_layout.count():
            item = self.items_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._rows = []

    def _build_items(self, rules: scoring.RuleSet) -> None:
        self._clear_items()
        groups: dict[str, list[scoring.Indicator]] = {}
        for indicator in rules.indicators:
            key = (
                "单项否决指标（任一项即不合格）" if indicator.part == "veto" else indicator.category
            )
            groups.setdefault(key, []).append(indicator)
        caps = {c.name: c.points for c in rules.categories}
        for title, indicators in groups.items():
            heading = title
            if title in caps:
                heading = f"{'加分指标' if indicators[0].part == 'bonus' else '扣分指标'} · {title}（{_points(caps[title])}分）"
            box = QGroupBox(heading)
            grid = QGridLayout(box)
            for n, indicator in enumerate(indicators):
                row = _ItemRow(indicator, self._changed)
                self._rows.append(row)
                if row.check is not None:
                    grid.addWidget(row.check, n, 0, 1, 2)
                else:
                    grid.addWidget(row.label, n, 0)
                    grid.addWidget(row.editor, n, 1)
                grid.addWidget(row.note, n, 2)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(2, 2)
            self.items_layout.addWidget(box)
            # Qt would show it on the next event-loop turn; until then Tab skips its items
            box.setVisible(self.items_box.isVisible())
        self.items_layout.addStretch()
        widgets = [r.editor for r in self._rows]
        for first, second in zip(widgets, widgets[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def focus_first_item(self) -> None:
        """Put the keyboard on the first checklist item (after Enter in the list, or save-and-next)."""
        first = next((r.editor for r in self._rows if r.editor.isEnabled()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)

    # -- live scoring ------------------------------------------------------------------------
    def findings(self) -> list[scoring.Finding]:
        return [f for row in self._rows if (f := row.finding()) is not None]

    def is_dirty(self) -> bool:
        return self._dirty

    def _changed(self, *_args: object) -> None:
        self._dirty = True
        self._recompute(keep_text=False)

    def _text_edited(self, _text: str) -> None:
        self._manual_text = True
        self._dirty = True

    def _restore_auto_text(self) -> None:
        self._manual_text = False
        self._dirty = True
        self._recompute(keep_text=False)

    def _recompute(self, keep_text: bool) -> None:
        checklist = self.checklist
        if checklist is None:
            return
        try:
            result = scoring.score(
                checklist.rules,
                self.findings(),
                portal=checklist.target.portal,
                no_services=self.no_services.isChecked() and self.no_services.isVisible(),
            )
        except scoring.ScoringError as exc:
            self.verdict.setText("输入有误")
            self.verdict.setStyleSheet(_FAIL_STYLE)
            self.error_line.show_message(str(exc))
            return
        self.error_line.show_message("")
        if checklist.target.state is TargetState.PENDING and not self._dirty:
            self.verdict.setText("未检")  # nothing entered yet: no verdict to show
            self.verdict.setStyleSheet(_PENDING_STYLE)
        elif result.passed:
            score = f"{scoring.format_score(result.score)}分 · " if result.score is not None else ""
            self.verdict.setText(f"{score}合格")
            self.verdict.setStyleSheet(_PASS_STYLE)
        else:
            reason = "单项否决" if result.vetoes else f"{scoring.format_score(result.score)}分"
            self.verdict.setText(f"不合格（{reason}）")
            self.verdict.setStyleSheet(_FAIL_STYLE)
        if not self._manual_text and not keep_text:
            self.problem_text.setText(result.problem_text)
        self.auto_text.setEnabled(self._manual_text)

    # -- commands ----------------------------------------------------------------------------
    def save(self) -> TargetRow | None:
        """Store the checklist; returns the updated row, or None (error shown) on failure."""
        checklist = self.checklist
        if checklist is None:
            return None
        try:
            row = self.registry.inspection.save(
                checklist.target.id,
                self.findings(),
                no_services=self.no_services.isChecked() and self.no_services.isVisible(),
                problem_text=self.problem_text.text() if self._manual_text else None,
                note=self.note.text(),
            )
        except AppError as exc:
            self.error_line.show_message(exc.message)
            return None
        self._dirty = False
        self.checklist = self.registry.inspection.checklist(row.id)
        self._show_followed(row)
        self.saved.emit(row)
        return row

    def show_audit(self) -> None:
        """修改记录 of this target in this round: verdict, score, text and checklist items."""
        if self.checklist is not None:
            target = self.checklist.target
            rows = self.registry.audit.for_record("round_target", target.id)
            AuditDialog(self, target.name, rows).exec()

    def _show_followed(self, target: TargetRow) -> None:
        """Items of earlier rounds still open for this site/account: saving re-checks them."""
        items = self.registry.rectification.for_record(
            target.kind, target.record_id, exclude_round_id=target.round_id
        )
        self.followed.setText("\n".join(followed_line(i) for i in items))
        self.followed_box.setVisible(bool(items))

    def reset_target(self) -> None:
        checklist = self.checklist
        if checklist is None or not confirm(
            self, "重置为未检", f"清除「{checklist.target.name}」本轮的检查结果？", "重置"
        ):
            return
        try:
            row = self.registry.inspection.reset(checklist.target.id)
        except AppError as exc:
            self.error_line.show_message(exc.message)
            return
        self.load(row.id)
        self.saved.emit(row)

    def add_evidence(self) -> None:
        checklist = self.checklist
        if checklist is None:
            return
        path = ask_open_path(
            self,
            "附加证据",
            "截图或文件 (*.png *.jpg *.jpeg *.bmp *.gif *.pdf *.docx *.xlsx);;所有文件 (*)",
            "evidence",
        )
        if path is None:
            return
        self.attach_file(path)

    def attach_file(self, path) -> None:  # noqa: ANN001 - pathlib.Path
        checklist = self.checklist
        if checklist is None:
            return
        focused = next(
            (r.indicator.code for r in self._rows if r.editor.hasFocus() or r.note.hasFocus()), ""
        )
        try:
            self.registry.inspection.attach_evidence(checklist.target.id, focused, path)
        except AppError as exc:
            self.error_line.show_message(exc.message)
            return
        self.checklist = self.registry.inspection.checklist(checklist.target.id)
        self._load_evidence()

    def remove_evidence(self) -> None:
        index = self.evidence_view.currentIndex()
        if not index.isValid() or self.checklist is None:
            return
        evidence_id = index.data(Qt.ItemDataRole.UserRole)
        try:
            self.registry.inspection.remove_evidence(evidence_id)
        except AppError as exc:
            self.error_line.show_message(exc.message)
            return
        self.checklist = self.registry.inspection.checklist(self.checklist.target.id)
        self._load_evidence()

    def _load_evidence(self) -> None:
        self.evidence_model.clear()
        if self.checklist is None:
            return
        provider = QFileIconProvider()
        for e in self.checklist.evidence:
            if (
                e.path.suffix.lower() in _IMAGE_SUFFIXES
                and not (pix := QPixmap(str(e.path))).isNull()
            ):
                item_icon = QIcon(pix.scaled(96, 72, Qt.AspectRatioMode.KeepAspectRatio))
            else:
                item_icon = provider.icon(QFileInfo(str(e.path)))
            label = f"{e.indicator_code} {e.file_name}".strip()
            item = QStandardItem(item_icon, label)
            item.setData(e.id, Qt.ItemDataRole.UserRole)
            item.setData(str(e.path), Qt.ItemDataRole.UserRole + 1)
            item.setToolTip(f"{e.file_name}\nSHA-256：{e.sha256}")
            item.setEditable(False)
            self.evidence_model.appendRow(item)

    def _open_evidence(self, index) -> None:  # noqa: ANN001 - QModelIndex
        path = index.data(Qt.ItemDataRole.UserRole + 1)
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.items_box,
            self.no_services,
            self.problem_text,
            self.auto_text,
            self.note,
            self.add_evidence_button,
            self.remove_evidence_button,
            self.save_button,
            self.save_next_button,
            self.reset_button,
        ):
            widget.setEnabled(enabled)
