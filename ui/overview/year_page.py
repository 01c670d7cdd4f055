"""年度: one year's rounds, pass rates, frequent problems and units named, with .xlsx/PDF export."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.io.year_report import write_year_pdf, write_year_xlsx, year_title
from app.services.overview import (
    ProblemCount,
    RoundOnTime,
    RoundRate,
    UnitTally,
    YearSummary,
    year_rate_chart,
)
from app.services.registry import Registry
from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.icons import icon
from ui.overview.chart_widget import ChartStyle, ChartWidget
from ui.prompts import show_error, show_info
from ui.table_model import RecordTableModel, TableColumn
from ui.workers import run_with_progress

PDF_FILTER = "PDF 文件 (*.pdf)"


def _number(header: str, value, width: int = 64) -> TableColumn:  # noqa: ANN001
    return TableColumn(header, value, sort_key=value, align_right=True, width=width)


def _checked(counts) -> str:  # noqa: ANN001 - Counts
    return f"{counts.passed} / {counts.passed + counts.failed}"


ROUND_COLUMNS: list[TableColumn[tuple[RoundRate, RoundOnTime | None]]] = [
    TableColumn("轮次", lambda x: x[0].name, width=110),
    TableColumn("网站合格/已检", lambda x: _checked(x[0].websites), align_right=True, width=90),
    TableColumn("网站合格率", lambda x: x[0].websites.pass_rate, align_right=True, width=72),
    TableColumn("新媒体合格/已检", lambda x: _checked(x[0].accounts), align_right=True, width=100),
    TableColumn("新媒体合格率", lambda x: x[0].accounts.pass_rate, align_right=True, width=84),
    _number("整改问题", lambda x: x[1].items if x[1] else 0, width=62),
    TableColumn("按期整改率", lambda x: x[1].rate if x[1] else "—", align_right=True, width=76),
]
PROBLEM_COLUMNS: list[TableColumn[ProblemCount]] = [
    TableColumn("类别", lambda p: p.kind.label, width=80),
    TableColumn("问题", lambda p: p.problem, width=200),
    _number("出现次数", lambda p: p.times),
    _number("涉及单位", lambda p: p.units),
]
UNIT_COLUMNS: list[TableColumn[UnitTally]] = [
    TableColumn("单位", lambda u: u.unit_name, width=170),
    TableColumn("县区", lambda u: u.region, width=70),
    _number("被通报轮次", lambda u: len(u.rounds_named), width=76),
    _number("不合格", lambda u: u.failed, width=56),
    _number("问题数", lambda u: u.problems, width=56),
]


def _table(
    name: str, columns: list[TableColumn], stretch: int
) -> tuple[QTableView, RecordTableModel]:
    """A read-only list; column ``stretch`` (the names) takes the room left."""
    model: RecordTableModel = RecordTableModel(columns, lambda _row: ())
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setAlternatingRowColors(True)
    for i, column in enumerate(columns):
        view.setColumnWidth(i, column.width)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view, model


class YearPage(QWidget):
    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.summary: YearSummary | None = None
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.year.currentIndexChanged.connect(lambda _i: self.show_year())
        self.issuer = QLineEdit()
        self.issuer.setObjectName("issuer")
        self.issuer.setPlaceholderText("如：某某县人民政府办公室")
        self.issuer.setToolTip("PDF 落款处的单位名称")
        self.export_xlsx = QPushButton(icon("export"), "导出Excel…")
        self.export_xlsx.setObjectName("export_year_xlsx")
        self.export_xlsx.clicked.connect(self.save_xlsx)
        self.export_pdf = QPushButton(icon("pdf"), "导出PDF…")
        self.export_pdf.setObjectName("export_year_pdf")
        self.export_pdf.clicked.connect(self.save_pdf)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addSpacing(16)
        bar.addWidget(QLabel("落款单位："))
        bar.addWidget(self.issuer, 1)
        bar.addWidget(self.export_xlsx)
        bar.addWidget(self.export_pdf)
        self.text = QLabel()
        self.text.setObjectName("year_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = ChartWidget(ChartStyle.BARS)
        self.chart.setMinimumSize(300, 220)
        self.rounds_view, self.rounds_model = _table("year_rounds", ROUND_COLUMNS, 0)
        self.problems_view, self.problems_model = _table("year_problems", PROBLEM_COLUMNS, 1)
        self.units_view, self.units_model = _table("year_units", UNIT_COLUMNS, 0)
        grid = QGridLayout()
        grid.addWidget(self.chart, 0, 0)
        grid.addLayout(_titled("各轮次", self.rounds_view), 0, 1)
        grid.addLayout(_titled("出现较多的问题", self.problems_view), 1, 0)
        grid.addLayout(_titled("被通报不合格较多的单位", self.units_view), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.text)
        layout.addLayout(grid, 1)

    def refresh(self) -> None:
        keep = self.year.currentData()
        years = self.registry.overview.years()
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(f"{year}年", year)
        self.year.setCurrentIndex(max(self.year.findData(keep), 0))
        self.year.blockSignals(False)
        if not self.issuer.text():
            self.issuer.setText(self.registry.overview.report_issuer())
        self.show_year()

    def show_year(self) -> None:
        year = self.year.currentData()
        has_year = year is not None
        self.summary = self.registry.overview.year_summary(year, date.today()) if has_year else None
        for button in (self.export_xlsx, self.export_pdf):
            button.setEnabled(has_year)
        summary = self.summary
        if summary is None:
            self.text.setText(
                "还没有检查轮次。年度汇总按轮次的数据采集结束日期归入年度，"
                "完成第一轮检查后即可在这里查看并导出。"
            )
            self.chart.set_chart(None)
            for model in (self.rounds_model, self.problems_model, self.units_model):
                model.set_rows([])
            return
        self.text.setText(_summary_html(summary))
        self.chart.set_chart(year_rate_chart(summary))
        on_time = {r.round_id: r for r in summary.rectification}
        self.rounds_model.set_rows([(r, on_time.get(r.round_id)) for r in summary.rounds])
        self.problems_model.set_rows(summary.problems)
        self.units_model.set_rows(summary.units)

    def save_xlsx(self) -> None:
        summary = self.summary
        if summary is None:
            return
        path = ask_save_path(
            self, "导出年度汇总", f"{year_title(summary)}.xlsx", XLSX_FILTER, "export"
        )
        if path is None:
            return
        outcome = run_with_progress(
            self, "正在导出年度汇总…", lambda _p: write_year_xlsx(summary, path)
        )
        self._report(outcome)

    def save_pdf(self) -> None:
        summary = self.summary
        if summary is None:
            return
        issuer = self.issuer.text().strip()
        if not issuer:
            show_error(self, "请先填写落款单位（PDF 末尾署名的单位名称）。")
            self.issuer.setFocus()
            return
        path = ask_save_path(
            self, "导出年度汇总PDF", f"{year_title(summary)}.pdf", PDF_FILTER, "export"
        )
        if path is None:
            return
        self.registry.overview.save_report_issuer(issuer)
        outcome = run_with_progress(
            self,
            "正在生成年度汇总PDF…",
            lambda p: write_year_pdf(
                summary, path, issuer, date.today(), progress=p.report, cancelled=p.cancelled
            ),
        )
        self._report(outcome)

    def _report(self, outcome) -> None:  # noqa: ANN001 - WorkOutcome
        if outcome.error:
            show_error(self, outcome.error)
        elif outcome.ok:
            show_info(self, f"已导出到：\n{outcome.result}", "导出完成")


def _titled(title: str, view: QTableView) -> QVBoxLayout:
    box = QVBoxLayout()
    label = QLabel(f"<b>{title}</b>")
    box.addWidget(label)
    box.addWidget(view, 1)
    return box


def _summary_html(s: YearSummary) -> str:
    """The year in three sentences, with the figures in bold."""
    if not s.rounds:
        return f"{s.year}年没有检查轮次。"
    names = "、".join(escape(r.name) for r in s.rounds)

    def kind(label: str, counts) -> str:  # noqa: ANN001 - Counts
        checked = counts.passed + counts.failed
        if not checked:
            return f"{label}未检查"
        return f"{label}已检 <b>{checked}</b> 个次，合格率 <b>{counts.pass_rate}</b>"

    total = s.rectification_total
    rectification = (
        f"本年各轮检查发现的整改问题 <b>{total.items}</b> 项，按期整改率 <b>{total.rate}</b>，"
        f"逾期未完成 <b>{total.open_overdue}</b> 项（手工登记、不属于检查轮次的事项见「整改」页）。"
        if total.items
        else "没有整改事项。"
    )
    return (
        f"{s.year}年共 <b>{len(s.rounds)}</b> 轮检查（{names}）。"
        f"{kind('政府网站', s.websites)}；{kind('政务新媒体', s.accounts)}。{rectification}"
    )
