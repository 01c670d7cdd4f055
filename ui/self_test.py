"""The window part of 自检: build the main window over the self-test's database, show every tab.

Proves a build carries the Qt platform plugin, the image-format and style plugins, qtawesome's
icon fonts and the bundled Chinese font. The window is rendered with ``WA_DontShowOnScreen``,
so nothing appears on the desktop, and settings go to a temporary file.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication

from app.services.registry import Registry
from ui.application import create_application

BUNDLED_FAMILY = "WenQuanYi Micro Hei"


def _no_display() -> bool:
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def window_check(registry: Registry) -> str:
    """Build MainWindow, bring each tab to the front and render it; raise on a problem."""
    if not os.environ.get("QT_QPA_PLATFORM") and _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a server or CI machine: no screen at all
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(registry.db.path.parent / "settings"),
    )
    app = create_application([sys.argv[0]])
    from ui.main_window import MainWindow

    if app.windowIcon().isNull():
        raise RuntimeError("程序图标（resources/icons/app.png）无法加载")
    if BUNDLED_FAMILY not in QFontDatabase.families():
        raise RuntimeError("内置中文字体无法加载")
    window = MainWindow(registry)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(1280, 780)
    window.show()
    titles = []
    try:
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            title = window.tabs.tabText(index)
            if window.tabs.tabIcon(index).isNull():
                raise RuntimeError(f"标签页「{title}」的图标无法加载（qtawesome 图标字体）")
            image = window.grab().toImage()
            if image.isNull() or image.width() < 600:
                raise RuntimeError(f"标签页「{title}」无法绘制")
            titles.append(title)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return (
        f"主窗口 {len(titles)} 个标签页（{'、'.join(titles)}）均可显示；"
        f"Qt {QGuiApplication.platformName()} 平台，图标和中文字体已加载"
    )
