"""通报 tab driven like a clerk: edit the draft, export, issue (定稿), reopen, 整改通知书."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton

from app.domain.scoring import Finding
from app.services.rounds import RoundInput
from app.vocab import RoundKind, RoundStatus, TargetType
from tests.ui.modal import box_text, click_box_button, type_text, when_modal
from ui.notice import notice_tab, unit_notice_dialog

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")
ROUND = "2026年第三季度"


def make_round(registry, *, inspect_all=True):
    rid = registry.rounds.create(
        RoundInput(
            ROUND,
            RoundKind.QUARTERLY,
            date(2026, 7, 1),
            date(2026, 9, 20),
            registry.indicators.default_id(TargetType.WEBSITE),
            registry.indicators.default_id(TargetType.ACCOUNT),
            report_deadline=date(2026, 10, 20),
        )
    )
    targets = registry.inspection.targets(rid)
    first = targets[0]
    veto = next(
        i for i in registry.inspection.checklist(first.id).rules.indicators if i.part == "veto"
    )
    registry.inspection.save(first.id, [Finding(veto.code)])
    if inspect_all:
        registry.inspection.mark_passed([t.id for t in targets[1:]])
    return rid, first


def open_tab(window, qtbot):
    tab = window.notice_tab
    bar = window.tabs.tabBar()
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(tab)).center()
    )
    assert window.tabs.currentWidget() is tab
    return tab


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def test_empty_database_explains_what_to_do(window, qtbot):
    tab = open_tab(window, qtbot)
    assert "还没有检查轮次" in tab.state_label.text()
    assert not tab.buttons["issue"].isEnabled() and not tab.fields["title"].isEnabled()


@needs_poppler
def test_edit_export_and_issue(demo_window, qtbot, registry, tmp_path, monkeypatch):
    rid, failed = make_round(registry)
    tab = open_tab(demo_window, qtbot)
    assert tab.round_combo.currentText() == ROUND
    assert "合格率为98.0%" in tab.fields["overview"].toPlainText()
    assert "政府网站：共 49，合格 48，不合格 1，合格率 98.0%" in tab.figures.text()

    title = tab.fields["title"]
    title.selectAll()
    type_text(qtbot, title, "关于本季度政府网站检查情况的通报")
    out = tmp_path / "导出.pdf"
    monkeypatch.setattr(notice_tab, "ask_save_path", lambda *a: out)
    when_modal(lambda box: click_box_button(box, "确定"), kind=QMessageBox)
    tab.export_pdf_action.trigger()
    text = pdf_text(out)
    assert "关于本季度政府网站检查情况的通报" in text and failed.name in text

    tab.reload()  # the edited title was saved with the export
    assert title.text() == "关于本季度政府网站检查情况的通报"

    issued_pdf = tmp_path / "印发.pdf"
    monkeypatch.setattr(notice_tab, "ask_save_path", lambda *a: issued_pdf)

    def confirm_issue(box):
        assert "定稿" in box_text(box)
        when_modal(lambda info: click_box_button(info, "确定"), kind=QMessageBox)
        click_box_button(box, "印发")

    when_modal(confirm_issue, kind=QMessageBox)
    qtbot.mouseClick(tab.buttons["issue"], Qt.MouseButton.LeftButton)
    assert registry.rounds.get(rid).status is RoundStatus.FINALIZED
    assert issued_pdf.is_file()
    assert tab.issued.model.rowCount() == 1
    assert tab.issued.model.row_at(0).intact
    assert "已定稿" in tab.state_label.text() and not tab.buttons["issue"].isEnabled()
    assert title.isReadOnly() and not tab.buttons["save"].isEnabled()
    assert not tab.regenerate_button.isEnabled() and tab.buttons["export"].isEnabled()
    inspection = demo_window.inspection_tab  # the 检查 tab says so and offers no changes
    assert inspection.finalized_hint.isVisibleTo(inspection)
    assert not inspection.bulk_pass.isEnabled() and not inspection.add_targets_button.isEnabled()
    assert "已定稿" in tab.round_combo.currentText()

    def give_reason(dialog):
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("评分录入有误")
        dialog.accept()

    when_modal(give_reason, kind=QInputDialog)
    qtbot.mouseClick(tab.issued.reopen_button, Qt.MouseButton.LeftButton)
    assert registry.rounds.get(rid).status is RoundStatus.OPEN
    assert [e.reason for e in registry.notices.round_events(rid)][-1] == "评分录入有误"
    assert tab.buttons["issue"].isEnabled()
    assert demo_window.inspection_tab.bulk_pass.isEnabled()
    assert not demo_window.inspection_tab.finalized_hint.isVisibleTo(demo_window.inspection_tab)


def test_blank_title_is_refused_inline(demo_window, qtbot, registry, tmp_path, monkeypatch):
    make_round(registry)
    tab = open_tab(demo_window, qtbot)
    tab.fields["title"].clear()
    out = tmp_path / "x.pdf"
    monkeypatch.setattr(notice_tab, "ask_save_path", lambda *a: out)
    tab.export_pdf_action.trigger()
    assert "标题" in tab.error_line.text()
    assert tab.fields["title"].hasFocus() and not out.exists()


def test_issue_refused_while_targets_are_pending(
    demo_window, qtbot, registry, tmp_path, monkeypatch
):
    rid, _ = make_round(registry, inspect_all=False)
    tab = open_tab(demo_window, qtbot)
    assert "未检查" in tab.state_label.text()
    monkeypatch.setattr(notice_tab, "ask_save_path", lambda *a: tmp_path / "x.pdf")
    messages = []

    def confirm_then_read_error(box):
        def read(err):
            messages.append(box_text(err))
            click_box_button(err, "知道了")

        when_modal(read, kind=QMessageBox)
        click_box_button(box, "印发")

    when_modal(confirm_then_read_error, kind=QMessageBox)
    qtbot.mouseClick(tab.buttons["issue"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages))
    assert "未检查" in messages[0]
    assert registry.rounds.get(rid).status is RoundStatus.OPEN
    assert not (tmp_path / "x.pdf").exists()


@needs_poppler
def test_unit_notice_dialog(demo_window, qtbot, registry, tmp_path, monkeypatch):
    rid, failed = make_round(registry)
    tab = open_tab(demo_window, qtbot)
    out = tmp_path / "整改通知书.pdf"
    monkeypatch.setattr(unit_notice_dialog, "ask_save_path", lambda *a: out)

    def write(dialog):
        assert dialog.unit.currentText() == failed.unit_name
        when_modal(lambda info: click_box_button(info, "确定"), kind=QMessageBox)
        dialog.write_button.click()

    when_modal(write, kind=unit_notice_dialog.UnitNoticeDialog)
    qtbot.mouseClick(tab.buttons["unit"], Qt.MouseButton.LeftButton)
    text = pdf_text(out)
    (item,) = [i for i in registry.rectification.list() if i.target_name == failed.name]
    deadline = f"{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日"
    assert failed.unit_name in text and failed.name in text and deadline in text
    kinds = [r.kind.label for r in registry.notices.history(rid)]
    assert kinds == ["整改通知书"]


def test_office_profile_updates_the_draft_on_screen(demo_window, qtbot, registry):
    make_round(registry)
    tab = open_tab(demo_window, qtbot)
    assert "某某县人民政府办公室" in tab.issuer.text()
    tab.fields["overview"].setPlainText("（一）手工改过的总体情况。")

    def fill(dialog):
        dialog.issuer.setText("甲县人民政府办公室")
        dialog.contact.setText("张三")
        dialog.pattern.setText("甲政办〔{year}〕{n}号")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(fill)
    qtbot.mouseClick(tab.findChild(QPushButton, "profile_button"), Qt.MouseButton.LeftButton)
    assert tab.issuer.text() == "甲县人民政府办公室"
    assert "张三" in tab.fields["closing"].toPlainText()
    assert tab.fields["doc_number"].text().startswith("甲政办〔")
    assert tab.fields["overview"].toPlainText() == "（一）手工改过的总体情况。"  # kept
    saved, _ = registry.notices.draft(registry.rounds.find_id(ROUND))
    assert saved.issuer == "甲县人民政府办公室"
