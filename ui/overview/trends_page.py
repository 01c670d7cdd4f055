"""趋势: four charts (合格率 per round, by 县区, units with most problems, 按期整改率),
each exportable as a PNG at twice its size on screen."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.overview import (
    ChartData,
    RoundRate,
    on_time_chart,
    pass_rate_chart,
    problem_units_chart,
)
from app.services.registry import Registry
from ui.file_dialogs import ask_save_path
from ui.icons import icon
from ui.overview.chart_widget import ChartStyle, ChartWidget
from ui.prompts import show_error, show_info

PNG_FILTER = "PNG 图片 (*.png)"


class ChartPanel(QFrame):
    """A chart with a tool row: optional choosers on the left, 导出图片 on the right."""

    def __init__(self, name: str, style: ChartStyle) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = ChartWidget(style)
        self.tools = QHBoxLayout()
        self.tools.setContentsMargins(0, 0, 0, 0)
        self.tools.addStretch()
        self.export_button = QPushButton(icon("image"), "导出图片…")
        self.export_button.setObjectName("export_png")
        self.export_button.setToolTip("保存为 PNG 图片（2 倍清晰度），可插入邮件或文档")
        self.export_button.clicked.connect(self.export_png)
        self.tools.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.tools)
        layout.addWidget(self.chart, 1)

    def add_tool(self, widget: QWidget) -> None:
        self.tools.insertWidget(self.tools.count() - 2, widget)

    def set_chart(self, data: ChartData) -> None:
        self.chart.set_chart(data)
        self.export_button.setEnabled(not data.is_empty)

    def export_png(self) -> None:
        data = self.chart.chart()
        name = data.title if data is not None else "图表"
        path = ask_save_path(self, "导出图表图片", f"{name}.png", PNG_FILTER, "charts")
        if path is None:
            return
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if self.chart.save_png(path):
            show_info(self, f"图表已保存到：\n{path}", "导出完成")
        else:
            show_error(self, f"无法保存图片：{path}\n请检查文件夹是否存在、是否有写入权限。")


class TrendsPage(QScrollArea):
    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.rates = ChartPanel("chart_rates", ChartStyle.BARS)
        self.rates_style = QComboBox()
        self.rates_style.setObjectName("rates_style")
        self.rates_style.addItem("柱状图", ChartStyle.BARS)
        self.rates_style.addItem("折线图", ChartStyle.LINE)
        self.rates_style.currentIndexChanged.connect(
            lambda _i: self.rates.chart.set_style(self.rates_style.currentData())
        )
        self.rates.add_tool(self.rates_style)
        self.regions = ChartPanel("chart_regions", ChartStyle.BARS)
        self.region_round = QComboBox()
        self.region_round.setObjectName("region_round")
        self.region_round.setMinimumWidth(180)
        self.region_round.currentIndexChanged.connect(lambda _i: self._show_regions())
        self.regions.add_tool(self.region_round)
        self.units = ChartPanel("chart_units", ChartStyle.HBARS)
        self.on_time = ChartPanel("chart_on_time", ChartStyle.BARS)
        grid = QGridLayout()
        grid.setContentsMargins(6, 6, 6, 6)
        grid.addWidget(self.rates, 0, 0)
        grid.addWidget(self.regions, 0, 1)
        grid.addWidget(self.units, 1, 0)
        grid.addWidget(self.on_time, 1, 1)
        for row in (0, 1):
            grid.setRowStretch(row, 1)
        body = QWidget()
        body.setLayout(grid)
        self.setWidget(body)

    def panels(self) -> list[ChartPanel]:
        return [self.rates, self.regions, self.units, self.on_time]

    def refresh(self, today: date) -> None:
        overview = self.registry.overview
        rates = overview.round_rates()
        self.rates.set_chart(pass_rate_chart(rates))
        keep = self.region_round.currentData()
        self.region_round.blockSignals(True)
        self.region_round.clear()
        for rate in reversed(rates):
            self.region_round.addItem(rate.name, rate.round_id)
        default = _default_round(rates)
        index = self.region_round.findData(keep if keep is not None else default)
        self.region_round.setCurrentIndex(max(index, 0))
        self.region_round.blockSignals(False)
        self.region_round.setEnabled(bool(rates))
        self._show_regions()
        self.units.set_chart(problem_units_chart(*overview.problem_units()))
        self.on_time.set_chart(on_time_chart(overview.on_time(today)))

    def _show_regions(self) -> None:
        round_id = self.region_round.currentData()
        if round_id is None:
            self.regions.set_chart(
                ChartData(
                    "各县区合格率",
                    (),
                    (),
                    empty_text="还没有检查轮次：新建轮次并录入结果后，这里按县区显示合格率。",
                )
            )
            return
        self.regions.set_chart(self.registry.overview.region_chart(round_id))


def _default_round(rates: list[RoundRate]) -> int | None:
    """The latest round checked in full, else the latest with any result, else the latest."""
    done = [r for r in rates if r.websites.pending + r.accounts.pending == 0 and _checked(r)]
    started = [r for r in rates if _checked(r)]
    chosen = done or started or rates
    return chosen[-1].round_id if chosen else None


def _checked(rate: RoundRate) -> int:
    return sum(c.passed + c.failed for c in (rate.websites, rate.accounts))
