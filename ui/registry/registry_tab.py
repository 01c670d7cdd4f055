"""台账 tab: websites, accounts and units, with the import/demo offer on an empty database."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.services.registry import Registry
from app.vocab import TargetType
from ui.icons import icon
from ui.prompts import confirm, show_error
from ui.registry.import_dialog import run_registry_import
from ui.registry.list_page import RecordListPage
from ui.registry.pages import AccountsPage, UnitsPage, WebsitesPage


class DemoBanner(QFrame):
    """A strip above the lists: offers import or demo data when empty, or says it is demo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demo_banner")
        self.setStyleSheet(
            "#demo_banner { background: #fff6d5; border: 1px solid #e6c65c; border-radius: 4px; }"
        )
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.import_button = QPushButton(icon("import"), "从Excel导入")
        self.import_button.setObjectName("import_registry")
        self.load_button = QPushButton(icon("demo"), "载入演示数据")
        self.load_button.setObjectName("load_demo")
        self.clear_button = QPushButton("清除演示数据")
        self.clear_button.setObjectName("clear_demo")
        self.dismiss_button = QPushButton("从空白开始")
        self.dismiss_button.setObjectName("dismiss_demo")
        row = QHBoxLayout(self)
        row.addWidget(QLabel(pixmap=icon("info").pixmap(20, 20)))
        row.addWidget(self.text, 1)
        for button in (
            self.import_button,
            self.load_button,
            self.clear_button,
            self.dismiss_button,
        ):
            row.addWidget(button)

    def show_offer(self, description: str) -> None:
        self.text.setText(
            "数据库还是空的。请先从Excel导入现有台账（政府网站或新媒体清单）；"
            f"也可以先载入演示数据熟悉用法，之后一键清除。\n{description}"
        )
        self.import_button.show()
        self.load_button.show()
        self.dismiss_button.show()
        self.clear_button.hide()
        self.show()

    def show_demo_notice(self) -> None:
        self.text.setText("当前台账含演示数据（非真实台账）。开始正式登记前请清除演示数据。")
        self.import_button.hide()
        self.load_button.hide()
        self.dismiss_button.hide()
        self.clear_button.show()
        self.show()


class RegistryTab(QWidget):
    counts_changed = Signal(str)
    demo_state_changed = Signal(bool)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.banner = DemoBanner()
        self.banner.import_button.clicked.connect(self.import_registry)
        self.banner.load_button.clicked.connect(self.load_demo)
        self.banner.clear_button.clicked.connect(self.clear_demo)
        self.banner.dismiss_button.clicked.connect(self.banner.hide)
        self.websites = WebsitesPage(registry)
        self.accounts = AccountsPage(registry)
        self.units = UnitsPage(registry)
        self.lists = QTabWidget()
        self.lists.setDocumentMode(True)
        self.lists.addTab(self.websites, icon("website"), "政府网站")
        self.lists.addTab(self.accounts, icon("account"), "政务新媒体")
        self.lists.addTab(self.units, icon("unit"), "单位")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.lists, 1)
        for page in self.pages():
            page.counts_changed.connect(self._page_counts_changed)
        self.lists.currentChanged.connect(
            lambda _i: self.counts_changed.emit(self.current_page().counts_text())
        )

    def pages(self) -> list[RecordListPage]:
        return [self.websites, self.accounts, self.units]

    def current_page(self) -> RecordListPage:
        page = self.lists.currentWidget()
        assert isinstance(page, RecordListPage)
        return page

    def show_record(self, kind: TargetType, record_id: int) -> bool:
        """Bring a website or account list to the front with the record selected; a search
        or filter that hides it is cleared. False if the record no longer exists."""
        page = self.websites if kind is TargetType.WEBSITE else self.accounts
        self.lists.setCurrentWidget(page)
        if page.select_id(record_id):
            return True
        page.search.clear()
        for combo in page.findChildren(QComboBox):
            if combo.objectName().startswith("filter_"):
                combo.setCurrentIndex(0)
        page.reload(select_id=record_id)
        return page.select_id(record_id)

    def on_shown(self) -> None:
        self.reload()
        self.counts_changed.emit(self.current_page().counts_text())

    def reload(self) -> None:
        """Re-read every list (after a merge, an import, demo data …) and the banner state."""
        for page in self.pages():
            page.reload()
        self._update_banner()

    def _update_banner(self) -> None:
        demo = self.registry.demo
        if demo.has_demo_data():
            self.banner.show_demo_notice()
        elif demo.registry_is_empty():
            self.banner.show_offer(demo.description())
        else:
            self.banner.hide()
        self.demo_state_changed.emit(demo.has_demo_data())

    def _page_counts_changed(self, text: str) -> None:
        if self.sender() is self.current_page():
            self.counts_changed.emit(text)

    def import_registry(self) -> None:
        """台账导入: choose an Excel/CSV file, preview, write; then show the new lists."""
        if run_registry_import(self, self.registry):
            self.reload()

    def load_demo(self) -> None:
        if not self.registry.demo.registry_is_empty():
            show_error(self, "台账中已有数据，只能在空数据库中载入演示数据。")
            return
        try:
            self.registry.demo.load()
        except AppError as exc:
            show_error(self, exc.message)
        self.reload()

    def clear_demo(self) -> None:
        if not confirm(
            self, "清除演示数据", "删除全部演示网站、新媒体和只被它们使用的单位？", "清除"
        ):
            return
        self.registry.demo.clear()
        self.reload()
