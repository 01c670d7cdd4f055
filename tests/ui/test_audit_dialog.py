"""修改记录 opened where a clerk looks at a record: registry lists, checklist, 整改 detail."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from app.domain.scoring import Finding
from app.services.dto import UnitInput, WebsiteInput
from app.services.rectification import ItemInput
from tests.services.test_rectification import world  # noqa: F401 (fixture)
from tests.ui.modal import box_text, click_box_button, type_text, when_modal
from tests.ui.test_registry_tab import action
from ui.audit_dialog import AuditDialog
from ui.inspection.checklist_panel import ChecklistPanel
from ui.rectification.detail_dialog import ItemDetailDialog


def shown_rows(dialog: AuditDialog) -> list[tuple[str, ...]]:
    """The cells as the table shows them."""
    model = dialog.view.model()
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def click_row(qtbot, page, row: int = 0) -> None:  # noqa: ANN001
    rect = page.view.visualRect(page.proxy.index(row, 0))
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_changed_website_from_the_list_and_its_export(demo_window, qtbot, registry, tmp_path):
    site = next(w for w in registry.websites.list() if w.name == "长垣市人民政府网站")
    registry.websites.update(
        site.id,
        WebsiteInput(
            site.name,
            site.unit_name,
            url="https://www.cy.gov.cn",
            site_code=site.site_code,
            kind=site.kind,
        ),
    )
    page = demo_window.registry_tab.websites
    page.reload()
    type_text(qtbot, page.search, "长垣市人民政府")
    click_row(qtbot, page)
    assert page.selected().id == site.id
    target = tmp_path / "修改记录.xlsx"
    seen: dict[str, object] = {}

    def look(dialog):
        assert isinstance(dialog, AuditDialog)
        assert dialog.windowTitle() == "修改记录 — 长垣市人民政府网站"
        seen["rows"] = shown_rows(dialog)

        def save_as(files):
            assert isinstance(files, QFileDialog)
            assert files.selectedFiles()[0].endswith("修改记录-长垣市人民政府网站.xlsx")
            files.selectFile(str(target))

            def finished(box):
                seen["done"] = box_text(box)
                click_box_button(box, "确定")

            when_modal(finished, kind=QMessageBox)
            files.accept()

        when_modal(save_as)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    when_modal(look)
    qtbot.mouseClick(page.toolbar.widgetForAction(action(page, "audit")), Qt.MouseButton.LeftButton)

    newest, *_, created = seen["rows"]
    when, user, *change = newest
    assert when.startswith(date.today().isoformat()) and user == "测试员"
    assert change == ["修改", "网址", "https://www.changyuan.gov.cn", "https://www.cy.gov.cn"]
    assert created[2:4] == ("新增", "整条记录") and "网站名称：长垣市人民政府网站" in created[5]
    assert "已导出 2 条修改记录" in seen["done"]
    sheet = load_workbook(target)["修改记录"]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == ("时间", "操作人", "操作", "字段", "原值", "新值")
    assert [tuple(v or "" for v in line) for line in lines[1:]] == seen["rows"]  # empty: None


def test_sorting_by_a_column_keeps_the_export_in_the_order_shown(qtbot, registry, tmp_path):
    unit = registry.units.create(UnitInput(name="县档案馆"))
    registry.units.update(unit, UnitInput(name="县档案馆", region="通城县", phone="0715-1234567"))
    dialog = AuditDialog(None, "县档案馆", registry.audit.for_record("unit", unit))
    qtbot.addWidget(dialog)
    assert [r[3] for r in shown_rows(dialog)] == ["联系电话", "所属县区", "整条记录"]
    dialog.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # 字段
    fields = [r[3] for r in shown_rows(dialog)]
    assert fields == sorted(fields)
    assert [r.field for r in dialog.model.rows] == fields


def test_the_units_list_offers_it_too(window, qtbot, registry):
    registry.units.create(UnitInput(name="县档案馆"))
    page = window.registry_tab.units
    window.registry_tab.lists.setCurrentWidget(page)
    page.reload()
    click_row(qtbot, page)
    seen = {}

    def look(dialog):
        seen["rows"] = shown_rows(dialog)
        dialog.reject()

    when_modal(look)
    action(page, "audit").trigger()
    ((_at, _user, what, field, _old, new),) = seen["rows"]
    assert (what, field) == ("新增", "整条记录") and "单位名称：县档案馆" in new


def test_the_checklist_shows_the_targets_record(qtbot, registry, world):  # noqa: F811
    target = world["targets"]["红旗区人民政府网站"]
    registry.inspection.save(target.id, [Finding(world["deduction"].code, 2)])
    panel = ChecklistPanel(registry)
    qtbot.addWidget(panel)
    assert not panel.audit_button.isEnabled()
    panel.load(target.id)
    seen = {}

    def look(dialog):
        seen["fields"] = [r[3] for r in shown_rows(dialog)]
        dialog.reject()

    when_modal(look)
    qtbot.mouseClick(panel.audit_button, Qt.MouseButton.LeftButton)
    assert {"检查结果", "评分", "主要问题", f"检查项「{world['deduction'].name}」"} <= set(
        seen["fields"]
    )


def test_the_rectification_detail_shows_the_items_record(qtbot, registry, world):  # noqa: F811
    item = registry.rectification.create(
        ItemInput(["红旗区民政局"], "专栏空白", date(2025, 10, 8), deadline=date(2025, 11, 8))
    )
    registry.rectification.record_report(item, date(2025, 10, 20))
    today = date(2025, 10, 25)
    dialog = ItemDetailDialog(None, registry.rectification.get(item, today), today, registry.audit)
    qtbot.addWidget(dialog)
    seen = {}

    def look(audit):
        seen["rows"] = shown_rows(audit)
        audit.reject()

    when_modal(look)
    qtbot.mouseClick(dialog.findChild(QPushButton, "audit"), Qt.MouseButton.LeftButton)
    changes = {r[3:] for r in seen["rows"]}
    assert ("状态", "待整改", "已报送整改情况") in changes
    assert ("责任单位", "", "红旗区民政局（牵头单位）") in changes
