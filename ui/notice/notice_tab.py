"""通报 tab: pick a round, edit the drafted texts, export PDF/Word/Excel, issue (定稿)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.notice_facts import RoundFacts
from app.domain.notice_text import NoticeDraft
from app.domain.rates import pass_rate
from app.errors import AppError, ValidationError
from app.services.notice import IssuedRow
from app.services.registry import Registry
from app.vocab import RoundStatus
from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.icons import icon
from ui.notice.issued_panel import IssuedPanel
from ui.notice.profile_dialog import OfficeProfileDialog, TemplatesDialog
from ui.notice.unit_notice_dialog import UnitNoticeDialog
from ui.prompts import confirm, show_error, show_info
from ui.widgets import DateField, ErrorLine
from ui.workers import run_with_progress

PDF_FILTER = "PDF 文件 (*.pdf)"
DOCX_FILTER = "Word 文档 (*.docx)"
TEXT_SECTIONS = (
    ("opening", "开头段", 70),
    ("overview", "一、总体情况", 150),
    ("problems", "二、存在的主要问题", 170),
    ("requirements", "三、下一步工作要求", 150),
    ("closing", "结尾（报送期限、联系人）", 70),
    ("attachment_titles", "附件名称（每行一个）", 90),
)


class NoticeTab(QWidget):
    counts_changed = Signal(str)
    round_changed = Signal()  # issuing or reopening changed a round's status

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self._facts: RoundFacts | None = None
        self._round_id: int | None = None
        self._finalized = False
        self.round_combo = QComboBox()
        self.round_combo.setObjectName("round_combo")
        self.round_combo.setMinimumWidth(220)
        self.round_combo.currentIndexChanged.connect(self._round_selected)
        profile = QPushButton(icon("unit"), "办公室信息…")
        profile.setObjectName("profile_button")
        profile.clicked.connect(self.edit_profile)
        templates = QPushButton(icon("edit"), "文字模板…")
        templates.clicked.connect(self.edit_templates)
        self.regenerate_button = QPushButton(icon("reopen"), "按当前数据重新生成")
        self.regenerate_button.clicked.connect(self.regenerate)
        top = QHBoxLayout()
        top.addWidget(QLabel("检查轮次："))
        top.addWidget(self.round_combo)
        top.addWidget(self.regenerate_button)
        top.addStretch(1)
        top.addWidget(profile)
        top.addWidget(templates)

        self.state_label = QLabel()
        self.state_label.setObjectName("state_label")
        self.state_label.setWordWrap(True)
        self.figures = QLabel()
        self.figures.setObjectName("figures")
        self.figures.setWordWrap(True)  # the font note is long; the editor keeps its width
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, label in (("title", "标题"), ("doc_number", "文号"), ("recipients", "主送")):
            edit = QLineEdit()
            form.addRow(f"{label}：", self._register(key, edit))
        for key, label, height in TEXT_SECTIONS:
            edit = QPlainTextEdit()
            edit.setMinimumHeight(height)
            form.addRow(f"{label}：", self._register(key, edit))
        self.include_chart = QCheckBox("在总体情况后插入各县（区）合格率柱状图（仅 PDF）")
        form.addRow("", self._register("include_chart", self.include_chart))
        self.issuer = QLineEdit()
        form.addRow("发文机关：", self._register("issuer", self.issuer))
        self.issue_date = DateField(label="成文日期")
        form.addRow("成文日期：", self._register("issue_date", self.issue_date))
        self.publicity = QLineEdit()
        form.addRow("公开属性：", self._register("publicity", self.publicity))
        editor = QWidget()
        editor.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)

        self.error_line = ErrorLine(self)
        self.issued = IssuedPanel()
        self.issued.reopen_requested.connect(self.reopen_round)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        figures_box = QGroupBox("本轮数据")
        QVBoxLayout(figures_box).addWidget(self.figures)
        side_layout.addWidget(figures_box)
        side_layout.addWidget(self.issued, 1)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, icon_name, slot in (
            ("save", "保存修改稿(&S)", "backup_now", self.save_draft),
            ("preview", "预览 PDF(&V)", "open_file", self.preview),
            ("export", "导出(&E)", "export", None),
            ("unit", "整改通知书…", "report", self.unit_notice),
            ("issue", "印发（定稿）…", "close_item", self.issue),
        ):
            button = QPushButton(icon(icon_name), text)
            button.setObjectName(f"{key}_button")
            if slot is not None:
                button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        menu = QMenu(self)
        self.export_pdf_action = menu.addAction("通报 PDF…", self.export_pdf)
        self.export_docx_action = menu.addAction("可编辑的 Word 稿…", self.export_docx)
        self.export_xlsx_action = menu.addAction("附件表格（Excel）…", self.export_xlsx)
        self.buttons["export"].setMenu(menu)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_draft)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_line)
        layout.addLayout(bar)
        self._set_editable(False, "")  # filled on first show: drafting costs time at start-up

    def _register(self, key: str, widget: QWidget) -> QWidget:
        widget.setObjectName(key)
        self.fields[key] = widget
        return widget

    # -- loading ---------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Refill the round list, keeping the selected round."""
        current = self._round_id
        rounds = self.registry.rounds.list()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            mark = "（已定稿）" if r.status is RoundStatus.FINALIZED else ""
            self.round_combo.addItem(f"{r.name}{mark}", r.id)
        index = self.round_combo.findData(current) if current is not None else -1
        if index < 0 and rounds:
            index = 0
        self.round_combo.setCurrentIndex(index)
        self.round_combo.blockSignals(False)
        self._round_selected()

    def select_round(self, round_id: int) -> None:
        index = self.round_combo.findData(round_id)
        if index >= 0:
            self.round_combo.setCurrentIndex(index)

    def _round_selected(self) -> None:
        self._round_id = self.round_combo.currentData()
        self.error_line.show_message("")
        self._load(regenerate=False)

    def _load(self, *, regenerate: bool) -> None:
        self._facts = None
        if self._round_id is None:
            self._set_editable(
                False, "还没有检查轮次。请先在「检查」页新建轮次并录入检查结果，再来生成通报。"
            )
            self.figures.setText("")
            self.issued.set_rows([], False)
            return
        round_row = self.registry.rounds.get(self._round_id)
        finalized = round_row.status is RoundStatus.FINALIZED
        history = self.registry.notices.history(self._round_id)  # hashes each kept file once
        self.issued.set_rows(history, finalized)
        try:
            draft, facts = self.registry.notices.draft(self._round_id, regenerate=regenerate)
        except AppError as exc:
            self._set_editable(False, exc.message)
            self.figures.setText("")
            return
        self._facts = facts
        self._fill(draft)
        from app.io.fonts import font_note  # reportlab only once the tab is used

        self.figures.setText(f"{figures_text(facts)}\n{font_note()}")
        pending = facts.site_tally.pending + facts.account_tally.pending
        if finalized:
            state = f"本轮已定稿（通报已印发），检查结果只读。{_last_issue_text(history)}"
            short = "已定稿"
        elif pending:
            state = f"本轮还有 {pending} 个对象未检查：可以预览和导出，印发前须全部检查完毕。"
            short = f"未检 {pending} 个"
        else:
            state = "本轮已全部检查完毕，可以印发。印发后本轮定稿（检查结果只读）。"
            short = "可以印发"
        self._set_editable(True, state)
        self._finalized = finalized
        self._set_read_only(finalized)
        self.counts_changed.emit(f"通报：{round_row.name} · {short}")

    def _set_editable(self, enabled: bool, state: str) -> None:
        self.state_label.setText(state)
        for widget in self.fields.values():
            widget.setEnabled(enabled)
        for button in self.buttons.values():
            button.setEnabled(enabled)
        self.regenerate_button.setEnabled(enabled)

    def _set_read_only(self, read_only: bool) -> None:
        """An issued notice is shown as issued: texts can be read, copied and exported again."""
        for widget in self.fields.values():
            if hasattr(widget, "setReadOnly"):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)
        for key in ("save", "issue"):
            self.buttons[key].setEnabled(not read_only)
        self.regenerate_button.setEnabled(not read_only)

    def _fill(self, draft: NoticeDraft) -> None:
        for key in ("title", "doc_number", "recipients"):
            self.fields[key].setText(getattr(draft, key))  # type: ignore[attr-defined]
        for key, _label, _h in TEXT_SECTIONS:
            self.fields[key].setPlainText(getattr(draft, key))  # type: ignore[attr-defined]
        self.include_chart.setChecked(draft.include_chart)
        self.issuer.setText(draft.issuer)
        self.issue_date.set_date(draft.issue_date)
        self.publicity.setText(draft.publicity)

    def current_draft(self) -> NoticeDraft:
        """The draft as edited on screen; ValidationError naming a bad field."""
        issue_date = self.issue_date.date_value("issue_date")
        if issue_date is None:
            raise ValidationError("请填写成文日期。", "issue_date")
        texts = {key: self.fields[key].toPlainText() for key, _l, _h in TEXT_SECTIONS}  # type: ignore[attr-defined]
        return NoticeDraft(
            title=self.fields["title"].text(),  # type: ignore[attr-defined]
            doc_number=self.fields["doc_number"].text(),  # type: ignore[attr-defined]
            recipients=self.fields["recipients"].text(),  # type: ignore[attr-defined]
            issuer=self.issuer.text(),
            issue_date=issue_date,
            publicity=self.publicity.text(),
            include_chart=self.include_chart.isChecked(),
            **texts,
        )

    # -- actions ---------------------------------------------------------------------------
    def _guarded(self, action) -> bool:  # noqa: ANN001 (a callable taking the draft)
        """Run ``action(draft)``; a bad field shows inline with focus, other errors in a box."""
        if self._round_id is None or self._facts is None:
            return False
        try:
            draft = self.current_draft()
            self.registry.notices.document(draft, self._facts)  # checks title, issuer
            if not self._finalized:
                self.registry.notices.save_draft(self._round_id, draft)
            action(draft)
        except ValidationError as exc:
            self.error_line.show_message(exc.message)
            widget = self.fields.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
            return False
        except AppError as exc:
            show_error(self, exc.message)
            return False
        self.error_line.show_message("")
        return True

    def save_draft(self) -> None:
        if self._guarded(lambda _d: None):
            self.state_label.setText(
                self.state_label.text().split("（修改稿已保存")[0] + "（修改稿已保存）"
            )

    def _write(self, label: str, draft: NoticeDraft, **targets: Path) -> list[Path]:
        assert self._facts is not None
        doc = self.registry.notices.document(draft, self._facts)
        notices = self.registry.notices
        outcome = run_with_progress(
            self,
            label,
            lambda p: notices.export(doc, progress=p.report, cancelled=p.cancelled, **targets),
        )
        if outcome.error:
            raise AppError(outcome.error)
        return outcome.result if outcome.ok else []

    def preview(self) -> None:
        def action(draft: NoticeDraft) -> None:
            folder = Path(tempfile.mkdtemp(prefix="wjt-preview-"))
            written = self._write("正在生成预览…", draft, pdf=folder / "通报预览.pdf")
            if written:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(written[0])))

        self._guarded(action)

    def _export(self, key: str, title: str, suffix: str, name_filter: str) -> None:
        def action(draft: NoticeDraft) -> None:
            path = ask_save_path(
                self, title, f"{draft.title or '通报'}{suffix}", name_filter, "notice"
            )
            if path is None:
                return
            written = self._write("正在导出…", draft, **{key: path})
            if written:
                show_info(self, f"已导出到：\n{written[0]}", "导出完成")

        self._guarded(action)

    def export_pdf(self) -> None:
        self._export("pdf", "导出通报 PDF", ".pdf", PDF_FILTER)

    def export_docx(self) -> None:
        self._export("docx", "导出可编辑的 Word 稿", ".docx", DOCX_FILTER)

    def export_xlsx(self) -> None:
        self._export("xlsx", "导出附件表格", "附件.xlsx", XLSX_FILTER)

    def issue(self) -> None:
        round_id = self._round_id

        def action(draft: NoticeDraft) -> None:
            if not confirm(
                self,
                "印发通报",
                f"印发《{draft.title}》？\n\n印发后本轮定稿：检查结果只读，问题进入整改跟踪，"
                "PDF 副本及其校验值保存在数据文件夹中。如需修改，须「重新打开本轮」并说明原因。",
                "印发",
            ):
                return
            path = ask_save_path(
                self, "印发：保存通报 PDF", f"{draft.title}.pdf", PDF_FILTER, "notice"
            )
            if path is None:
                return
            notices = self.registry.notices
            outcome = run_with_progress(
                self,
                "正在印发…",
                lambda p: notices.issue(
                    round_id, draft, path, progress=p.report, cancelled=p.cancelled
                ),
            )
            if outcome.error:
                raise AppError(outcome.error)
            if outcome.ok:
                issued = outcome.result
                show_info(
                    self,
                    f"已印发：{path}\n\n副本：{issued.path}\nSHA-256：{issued.sha256}",
                    "印发完成",
                )
                self.reload()
                self.round_changed.emit()

        self._guarded(action)

    def reopen_round(self) -> None:
        if self._round_id is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            "重新打开本轮",
            "重新打开后可以修改检查结果，已印发的文件仍保留在印发记录中。\n请填写原因：",
        )
        if not ok:
            return
        try:
            self.registry.notices.reopen_round(self._round_id, reason)
        except AppError as exc:
            show_error(self, exc.message)
            return
        self.reload()
        self.round_changed.emit()

    def unit_notice(self) -> None:
        if self._round_id is None:
            return
        UnitNoticeDialog(self, self.registry, self._round_id).exec()
        self.issued.set_rows(
            self.registry.notices.history(self._round_id),
            self.registry.rounds.get(self._round_id).status is RoundStatus.FINALIZED,
        )

    def regenerate(self) -> None:
        if confirm(
            self,
            "重新生成",
            "按当前检查数据和模板重新生成全部文字？手工修改的文字将被替换。",
            "重新生成",
        ):
            self._load(regenerate=True)

    def edit_profile(self) -> None:
        if not OfficeProfileDialog(self, self.registry).exec():
            return
        if self._apply_fresh(
            ("doc_number", "recipients", "issuer", "publicity", "opening", "closing")
        ):
            self._note(
                "办公室信息已保存，本稿的文号、主送、发文机关、公开属性和开头、结尾段已随之更新。"
            )

    def edit_templates(self) -> None:
        if not TemplatesDialog(self, self.registry).exec():
            return
        if self._round_id is None or self._finalized:
            return
        if confirm(
            self,
            "文字模板",
            "模板已保存。是否用新模板更新本稿的标题、开头段、下一步工作要求和结尾段？"
            "（这几处手工修改过的文字将被替换；总体情况和问题部分不变）",
            "更新本稿",
        ) and self._apply_fresh(("title", "opening", "requirements", "closing")):
            self._note("本稿的标题、开头、要求和结尾已按新模板更新。")

    def _apply_fresh(self, keys: tuple[str, ...]) -> bool:
        """Put freshly generated texts into ``keys`` of the draft on screen, and save it."""
        if self._round_id is None or self._finalized or self._facts is None:
            return False
        try:
            fresh, _ = self.registry.notices.draft(self._round_id, regenerate=True)
        except AppError as exc:
            show_error(self, exc.message)
            return False
        for key in keys:
            widget = self.fields[key]
            value = getattr(fresh, key)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)  # type: ignore[attr-defined]
        return self._guarded(lambda _d: None)

    def _note(self, text: str) -> None:
        self.state_label.setText(f"{self.state_label.text().split(' ※')[0]} ※{text}")


def _last_issue_text(history: list[IssuedRow]) -> str:
    rows = [r for r in history if r.kind.value == "round"]
    return f"最近一次印发：{rows[0].issued_on.isoformat()}（{rows[0].issued_by}）。" if rows else ""


def figures_text(facts: RoundFacts) -> str:
    """The computed figures beside the editor, so the clerk can check the wording against them."""
    lines = []
    for label, t in (("政府网站", facts.site_tally), ("政务新媒体", facts.account_tally)):
        if t.total:
            rate = pass_rate(t.passed, t.passed + t.failed)
            pending = f"，未检 {t.pending}" if t.pending else ""
            lines.append(
                f"{label}：共 {t.total}，合格 {t.passed}，不合格 {t.failed}{pending}，合格率 {rate}"
            )
    if facts.previous is not None:
        p = facts.previous
        failed = p.sites_failed + p.accounts_failed
        fixed = p.sites_fixed + p.accounts_fixed
        lines.append(
            f"上轮（{p.round_name}）不合格 {failed}，已整改 {fixed}，按期 {p.fixed_on_time}"
        )
    lines.append(f"问题 {len(facts.problems)} 项")
    return "\n".join(lines)
