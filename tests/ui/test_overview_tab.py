"""总览 tab: first and current on start, empty states, lines that open their record, charts
exported as PNG, the year summary exported as .xlsx and PDF."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from sqlalchemy import update

from app.services.overview import Attention, ChartData, LinkKind, Series
from db.enums import RoundStatus
from db.models import Round
from tests.services.overview_samples import build_world
from tests.ui.modal import click_box_button, when_modal
from ui.application import install_fonts
from ui.inspection.round_dialog import RoundDialog
from ui.main_window import MainWindow
from ui.overview.chart_widget import ChartStyle, ChartWidget, wrap_label


def show_overview(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    window.tabs.setCurrentWidget(window.overview_tab)
    qtbot.waitUntil(window.overview_tab.isVisible)


def click_line(qtbot, window: MainWindow, category: Attention, name: str) -> None:  # noqa: ANN001
    page = window.overview_tab.today_page
    row = next(
        i
        for i, line in enumerate(page.visible_lines())
        if line.category is category and line.name == name
    )
    view = page.view
    index = page.proxy.index(row, 1)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def test_overview_is_the_first_tab_and_shown_on_start(qtbot, qapp, registry):
    install_fonts(qapp)
    window = MainWindow(registry)
    qtbot.addWidget(window)
    assert window.tabs.indexOf(window.overview_tab) == 0
    assert window.tabs.tabText(0) == "总览"
    assert window.tabs.currentWidget() is window.overview_tab
    assert window.counts.text() == "台账为空"


def test_empty_database_explains_the_first_step(window, qtbot):
    show_overview(window, qtbot)
    tab = window.overview_tab
    assert tab.stack.currentWidget() is tab.welcome
    assert "台账还是空的" in tab.welcome_text.text() and "演示数据" in tab.welcome_text.text()
    assert tab.import_button.isVisible() and tab.demo_button.isVisible()

    titles = []

    def cancel(dialog: QWidget) -> None:
        titles.append(dialog.windowTitle())
        dialog.reject()

    when_modal(cancel, kind=QFileDialog)
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert titles == ["导入台账"]  # the registry tab's import, started from here
    assert tab.stack.currentWidget() is tab.welcome

    qtbot.mouseClick(tab.demo_button, Qt.MouseButton.LeftButton)
    assert window.registry.demo.has_demo_data()
    assert window.tabs.currentWidget() is tab  # stays here, now with the registry's lines
    assert tab.stack.currentWidget() is not tab.welcome
    assert tab.banner.isVisible() and "还没有检查轮次" in tab.banner_text.text()
    cards = tab.today_page.cards
    assert int(cards[Attention.UNFILED].value.text()) > 0
    assert tab.today_page.round_card.value.text() == "未开始检查"

    tab.sections.setCurrentWidget(tab.trends_page)
    rates = tab.trends_page.rates.chart.chart()
    assert rates is not None and rates.is_empty and "新建轮次" in rates.empty_text
    assert not tab.trends_page.rates.export_button.isEnabled()
    tab.sections.setCurrentWidget(tab.year_page)
    assert "还没有检查轮次" in tab.year_page.text.text()
    assert not tab.year_page.export_pdf.isEnabled()

    opened = []

    def cancel_round(dialog: QWidget) -> None:
        opened.append(window.tabs.currentWidget())
        dialog.reject()

    when_modal(cancel_round, kind=RoundDialog)
    qtbot.mouseClick(tab.new_round_button, Qt.MouseButton.LeftButton)
    assert opened == [window.inspection_tab]


def test_full_database_lines_open_their_records(window, qtbot, registry, db):
    world = build_world(registry)
    show_overview(window, qtbot)
    tab = window.overview_tab
    page = tab.today_page
    assert not tab.banner.isVisible()
    assert page.round_card.value.text() == "已检 1 / 5"
    assert page.cards[Attention.UNFILED].value.text() == "1"
    assert page.cards[Attention.NOT_INSPECTED].value.text() == "1"
    assert "红旗区民政局" in page.by_unit.text()

    qtbot.mouseClick(page.cards[Attention.OVERDUE], Qt.MouseButton.LeftButton)
    assert {line.category for line in page.visible_lines()} == {Attention.OVERDUE}
    qtbot.mouseClick(page.cards[Attention.OVERDUE], Qt.MouseButton.LeftButton)
    assert len(page.visible_lines()) == page.model.rowCount()

    click_line(qtbot, window, Attention.UNFILED, "卫滨教育")
    registry_tab = window.registry_tab
    assert window.tabs.currentWidget() is registry_tab
    assert registry_tab.lists.currentWidget() is registry_tab.accounts
    assert registry_tab.accounts.selected_id() == world["records"]["a2"]

    registry_tab.websites.search.setText("红旗")  # hides the site the next line names
    show_overview(window, qtbot)
    click_line(qtbot, window, Attention.NOT_INSPECTED, "牧野区政务网")
    assert registry_tab.lists.currentWidget() is registry_tab.websites
    assert registry_tab.websites.selected_id() == world["records"]["w3"]
    assert registry_tab.websites.search.text() == ""

    show_overview(window, qtbot)
    qtbot.mouseClick(page.round_card, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.inspection_tab
    assert window.inspection_tab.current_round_id() == world["rounds"][2]

    show_overview(window, qtbot)
    overdue = next(line for line in page.visible_lines() if line.category is Attention.OVERDUE)
    assert overdue.link.kind is LinkKind.RECTIFICATION
    click_line(qtbot, window, Attention.OVERDUE, overdue.name)
    assert window.tabs.currentWidget() is window.rectification_tab
    assert window.rectification_tab.selected_id() == overdue.link.record_id

    q3 = world["rounds"][2]
    with db.session_factory.begin() as s:
        s.execute(update(Round).where(Round.id == q3).values(status=RoundStatus.FINALIZED))
    window.inspection_tab.state_filter.setCurrentIndex(2)  # 合格 only: hides the 未检 target
    show_overview(window, qtbot)
    assert page.round_card.value.text() == "本轮已定稿"
    click_line(qtbot, window, Attention.NOT_INSPECTED, "红旗民政")
    assert window.tabs.currentWidget() is window.inspection_tab
    assert window.inspection_tab.current_round_id() == q3
    selected = window.inspection_tab.view.selectionModel().selectedRows()
    assert [window.inspection_tab.proxy.row_at(i.row()).id for i in selected] == [
        world["targets3"]["红旗民政"]
    ]


def test_charts_show_the_figures_and_export_png(window, qtbot, registry, tmp_path, monkeypatch):
    world = build_world(registry)
    show_overview(window, qtbot)
    tab = window.overview_tab
    tab.sections.setCurrentWidget(tab.trends_page)
    trends = tab.trends_page
    rates = trends.rates.chart.chart()
    assert rates.series[0].labels == ("50.0%", "100%", "100%")
    assert trends.region_round.currentData() == world["rounds"][1]  # the last round checked in full
    assert trends.regions.chart.chart().title == "2025年第二季度各县区合格率"
    trends.region_round.setCurrentIndex(trends.region_round.findData(world["rounds"][0]))
    assert trends.regions.chart.chart().series[0].labels == ("100%", "0%")
    assert trends.units.chart.chart().categories[0] == "卫滨区人民政府"
    trends.rates_style.setCurrentIndex(1)  # 折线图

    target = tmp_path / "合格率"
    monkeypatch.setattr("ui.overview.trends_page.ask_save_path", lambda *_a: target)
    seen = []

    def done(box: QWidget) -> None:
        seen.append(box.text())
        click_box_button(box, "确定")

    when_modal(done, kind=QMessageBox)
    qtbot.mouseClick(trends.rates.export_button, Qt.MouseButton.LeftButton)
    png = tmp_path / "合格率.png"
    assert seen and str(png) in seen[0]
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() == 2 * trends.rates.chart.width()
    assert len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 3)}) > 3


def test_year_summary_exports_xlsx_and_pdf(window, qtbot, registry, tmp_path, monkeypatch):
    build_world(registry)
    show_overview(window, qtbot)
    tab = window.overview_tab
    tab.sections.setCurrentWidget(tab.year_page)
    year = tab.year_page
    assert year.year.currentText() == "2025年"
    assert "共 <b>3</b> 轮检查" in year.text.text() and "80.0%" in year.text.text()
    assert year.units_model.rowCount() == 4 and year.rounds_model.rowCount() == 3

    monkeypatch.setattr("ui.overview.year_page.ask_save_path", lambda *_a: tmp_path / "年度.xlsx")
    when_modal(lambda box: click_box_button(box, "确定"), kind=QMessageBox)
    qtbot.mouseClick(year.export_xlsx, Qt.MouseButton.LeftButton)
    assert (tmp_path / "年度.xlsx").stat().st_size > 0

    asked = []

    def refuse(box: QWidget) -> None:
        asked.append(box.text())
        click_box_button(box, "知道了")

    when_modal(refuse, kind=QMessageBox)
    qtbot.mouseClick(year.export_pdf, Qt.MouseButton.LeftButton)
    assert asked == ["请先填写落款单位（PDF 末尾署名的单位名称）。"]

    year.issuer.setText("新乡市人民政府办公室")
    monkeypatch.setattr("ui.overview.year_page.ask_save_path", lambda *_a: tmp_path / "年度.pdf")
    when_modal(lambda box: click_box_button(box, "确定"), kind=QMessageBox)
    qtbot.mouseClick(year.export_pdf, Qt.MouseButton.LeftButton)
    assert (tmp_path / "年度.pdf").read_bytes().startswith(b"%PDF")
    assert registry.overview.report_issuer() == "新乡市人民政府办公室"


def test_chart_labels_wrap_and_empty_charts_explain(qtbot, qapp):
    install_fonts(qapp)
    chart = ChartWidget(ChartStyle.BARS)
    qtbot.addWidget(chart)
    metrics = QFontMetricsF(chart.font())
    wide = metrics.horizontalAdvance("2025年第三季度")
    assert wrap_label("2025年第三季度（未检完）", metrics, wide + 2) == [
        "2025年第三季度",
        "（未检完）",
    ]
    assert wrap_label("红旗区", metrics, 200) == ["红旗区"]
    chart.resize(400, 260)
    empty = ChartData("各轮次合格率", ("第一季度",), (Series("政府网站", (None,), ("",)),))
    assert empty.is_empty
    chart.set_chart(empty)
    blank = ChartWidget(ChartStyle.BARS)
    qtbot.addWidget(blank)
    blank.resize(400, 260)
    assert chart.image(1.0) != blank.image(1.0)  # title and the explanation are drawn
