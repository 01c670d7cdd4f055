"""总览 tab, the first tab: what needs attention today, trends, and the year summary.

On an empty database it explains the first step (import the registry or load the demo); with
a registry but no round it points to the 检查 tab. Lines and cards emit :attr:`navigate` with
an :class:`~app.services.overview.Link` (or a :class:`Request` for the first steps); the main
window takes the clerk there.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.overview import Attention, TodayOverview
from app.services.registry import Registry
from ui.icons import icon
from ui.overview.today_page import TodayPage
from ui.overview.trends_page import TrendsPage
from ui.overview.year_page import YearPage

EMPTY_TEXT = (
    "<h2>欢迎使用网检通</h2>"
    "<p>台账还是空的。<b>第一步：</b>把现有的政府网站和政务新媒体清单导入台账"
    "（Excel、WPS 或 CSV 表格均可，导入前会先预览）。</p>"
    "<p>也可以先载入演示数据熟悉用法，之后在“数据”菜单中一键清除。</p>"
)
NO_ROUND_TEXT = (
    "还没有检查轮次。<b>下一步：</b>到“检查”页新建第一轮检查（如“2025年第四季度”），"
    "检查对象会按数据采集时间从台账中自动选出；录入结果后，这里会显示进度、合格率趋势和整改情况。"
)


class Request(Enum):
    """First steps the empty states offer; the main window carries them out."""

    IMPORT_REGISTRY = "import_registry"
    LOAD_DEMO = "load_demo"
    NEW_ROUND = "new_round"


class OverviewTab(QWidget):
    counts_changed = Signal(str)
    navigate = Signal(object)  # a Link or a Request

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.welcome = QWidget()
        self.welcome_text = QLabel(EMPTY_TEXT)
        self.welcome_text.setObjectName("welcome_text")
        self.welcome_text.setWordWrap(True)
        self.import_button = QPushButton(icon("import"), "从Excel导入台账…")
        self.import_button.setObjectName("overview_import")
        self.import_button.clicked.connect(lambda: self._request(Request.IMPORT_REGISTRY))
        self.demo_button = QPushButton(icon("demo"), "载入演示数据")
        self.demo_button.setObjectName("overview_demo")
        self.demo_button.clicked.connect(lambda: self._request(Request.LOAD_DEMO))
        card = QFrame()
        card.setObjectName("welcome_card")
        card.setStyleSheet(
            "#welcome_card { background: white; border: 1px solid #d5d8dc; border-radius: 6px; }"
        )
        card.setFixedWidth(640)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch()
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 16, 24, 20)
        card_layout.addWidget(self.welcome_text)
        card_layout.addLayout(buttons)
        centred = QHBoxLayout()
        centred.addStretch()
        centred.addWidget(card)
        centred.addStretch()
        welcome = QVBoxLayout(self.welcome)
        welcome.addStretch(1)
        welcome.addLayout(centred)
        welcome.addStretch(2)

        self.banner = QFrame()
        self.banner.setObjectName("overview_banner")
        self.banner.setStyleSheet(
            "#overview_banner { background: #eaf2f8; border: 1px solid #a9cce3;"
            " border-radius: 4px; }"
        )
        self.banner_text = QLabel(NO_ROUND_TEXT)
        self.banner_text.setObjectName("banner_text")
        self.banner_text.setWordWrap(True)
        self.new_round_button = QPushButton(icon("add"), "新建检查轮次…")
        self.new_round_button.setObjectName("overview_new_round")
        self.new_round_button.clicked.connect(lambda: self._request(Request.NEW_ROUND))
        row = QHBoxLayout(self.banner)
        row.addWidget(QLabel(pixmap=icon("info").pixmap(20, 20)))
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.new_round_button)

        self.today_page = TodayPage()
        self.today_page.navigate.connect(self.navigate)
        self.trends_page = TrendsPage(registry)
        self.year_page = YearPage(registry)
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.today_page, "今日待办")
        self.sections.addTab(self.trends_page, "趋势图表")
        self.sections.addTab(self.year_page, "年度汇总")
        self.sections.currentChanged.connect(lambda _i: self._refresh_section())
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.banner)
        content_layout.addWidget(self.sections, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)
        self.overview: TodayOverview | None = None

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self, today: date | None = None) -> None:
        """Re-read today's figures and the section in front (others refresh when shown)."""
        overview = self.registry.overview.today(today or date.today())
        self.overview = overview
        self.stack.setCurrentIndex(0 if overview.registry_empty else 1)
        self.banner.setVisible(not overview.registry_empty and overview.round_count == 0)
        self.today_page.show_overview(overview)
        self._refresh_section()
        self.counts_changed.emit(_status_text(overview))

    def _refresh_section(self) -> None:
        current = self.sections.currentWidget()
        if current is self.trends_page:
            self.trends_page.refresh(date.today())
        elif current is self.year_page:
            self.year_page.refresh()

    def _request(self, request: Request) -> None:
        self.navigate.emit(request)
        if request is not Request.NEW_ROUND:  # the registry changed under this tab
            self.refresh()


def _status_text(overview: TodayOverview) -> str:
    if overview.registry_empty:
        return "台账为空"
    parts = []
    if overview.current_round is not None:
        parts.append(f"{overview.current_round.name}：{overview.current_round.text}")
    for category in (Attention.OVERDUE, Attention.DUE_SOON):
        parts.append(f"{category.label} {overview.count(category)} 项")
    return "｜".join(parts)
