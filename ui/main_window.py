"""Main window: composes the tabs, menus and status bar; remembers its size."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from app.io.registry_export import export_registry
from app.paths import APP_NAME
from app.services.registry import Registry
from ui.data_safety import add_data_safety_actions
from ui.file_dialogs import XLSX_FILTER, ask_save_path
from ui.icons import icon
from ui.inspection.inspection_tab import InspectionTab
from ui.notice.notice_tab import NoticeTab
from ui.overview.navigation import open_destination
from ui.overview.overview_tab import OverviewTab
from ui.prompts import show_error, show_info
from ui.rectification.rectification_tab import RectificationTab
from ui.registry.registry_tab import RegistryTab
from ui.workers import run_with_progress


class MainWindow(QMainWindow):
    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.tabs = QTabWidget()
        self.counts = QLabel()
        self.counts.setObjectName("counts")
        self.statusBar().addWidget(self.counts, 1)
        self.overview_tab = OverviewTab(registry)
        self.add_tab(self.overview_tab, "overview", "总览")
        self.overview_tab.navigate.connect(lambda to: open_destination(self.tabs, to))
        self.registry_tab = RegistryTab(registry)
        self.add_tab(self.registry_tab, "registry", "台账")
        self.inspection_tab = InspectionTab(registry)
        self.add_tab(self.inspection_tab, "inspection", "检查")
        self.rectification_tab = RectificationTab(registry)
        self.add_tab(self.rectification_tab, "rectification", "整改")
        self.notice_tab = NoticeTab(registry)
        self.add_tab(self.notice_tab, "notice", "通报")
        self.notice_tab.round_changed.connect(self.inspection_tab.reload)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        db_label = QLabel(f"数据库：{registry.db.path}")
        db_label.setStyleSheet("color: #666;")
        self.statusBar().addPermanentWidget(db_label)
        self.registry_tab.demo_state_changed.connect(self._set_title)
        self._build_menus()
        self._restore_geometry()
        self.registry_tab.reload()
        self.inspection_tab.reload()
        self.rectification_tab.reload()  # its tab title shows the overdue count from the start
        self.tabs.setCurrentWidget(self.overview_tab)  # the tab shown on start
        self.overview_tab.refresh()

    def add_tab(self, widget: QWidget, icon_name: str, title: str) -> None:
        """Add a tab. A tab may define ``on_shown()`` (refresh when it comes to the front) and
        emit ``counts_changed(str)`` for the status bar and ``title_changed(str)`` for its tab."""
        self.tabs.addTab(widget, icon(icon_name), title)
        if (retitle := getattr(widget, "title_changed", None)) is not None:
            retitle.connect(
                lambda text, tab=widget: self.tabs.setTabText(self.tabs.indexOf(tab), text)
            )
        signal = getattr(widget, "counts_changed", None)
        if signal is not None:
            signal.connect(lambda text, tab=widget: self._show_counts(tab, text))

    def _tab_changed(self, _index: int) -> None:
        """Each tab shows fresh data when it comes to the front (another tab may have changed it)."""
        current = self.tabs.currentWidget()
        if current is not self.inspection_tab and not self.inspection_tab.leave():
            # the checklist holds something that cannot be saved: back to it, with the reason
            QTimer.singleShot(0, lambda: self.tabs.setCurrentWidget(self.inspection_tab))
            return
        on_shown = getattr(current, "on_shown", None)
        if on_shown is not None:
            on_shown()

    def _show_counts(self, tab: QWidget, text: str) -> None:
        """Status bar: the counts of whichever tab is in front."""
        if self.tabs.currentWidget() is tab:
            self.counts.setText(text)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.import_action = QAction(icon("import"), "导入台账（Excel/CSV）…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.registry_tab.import_registry)
        file_menu.addAction(self.import_action)
        export = QAction(icon("export"), "导出全部台账…", self)
        export.triggered.connect(self.export_all)
        file_menu.addAction(export)
        file_menu.addSeparator()
        add_data_safety_actions(self, file_menu)  # 备份与恢复…, 导出数据包…, 导入数据包…
        file_menu.addSeparator()
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        data_menu = self.menuBar().addMenu("数据(&D)")
        self.load_demo_action = QAction(icon("demo"), "载入演示数据", self)
        self.load_demo_action.triggered.connect(self.registry_tab.load_demo)
        self.clear_demo_action = QAction("清除演示数据…", self)
        self.clear_demo_action.triggered.connect(self.registry_tab.clear_demo)
        data_menu.addActions([self.load_demo_action, self.clear_demo_action])
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction(icon("info"), "关于网检通", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _set_title(self, has_demo: bool) -> None:
        suffix = "（含演示数据）" if has_demo else ""
        self.setWindowTitle(f"{APP_NAME} — 政府网站与政务新媒体检查台账{suffix}")
        self.load_demo_action.setEnabled(not has_demo)
        self.clear_demo_action.setEnabled(has_demo)

    def export_all(self) -> None:
        path = ask_save_path(self, "导出全部台账", "台账.xlsx", XLSX_FILTER, "export")
        if path is None:
            return
        r = self.registry
        outcome = run_with_progress(
            self,
            "正在导出台账…",
            lambda _p: export_registry(path, r.units.list(), r.websites.list(), r.accounts.list()),
        )
        if outcome.error:
            show_error(self, outcome.error)
        elif outcome.ok:
            show_info(self, f"已导出到：\n{outcome.result}", "导出完成")

    def show_about(self) -> None:
        show_info(
            self,
            f"{APP_NAME}：政府网站与政务新媒体读网检查台账（离线版）。\n\n数据库文件：{self.registry.db.path}",
            "关于网检通",
        )

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        self.resize(1280, 780)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.inspection_tab.leave():  # unsaved checklist that cannot be saved: stay
            event.ignore()
            return
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
