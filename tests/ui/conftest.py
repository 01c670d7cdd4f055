from __future__ import annotations

import pytest

from ui.application import install_fonts
from ui.main_window import MainWindow


def _open(qtbot, qapp, registry) -> MainWindow:  # noqa: ANN001
    install_fonts(qapp)
    win = MainWindow(registry)
    qtbot.addWidget(win)
    win.resize(1280, 760)
    win.show()
    win.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitActive(win)
    win.tabs.setCurrentWidget(win.registry_tab)  # the 总览 opens first; these tests start here
    return win


@pytest.fixture
def window(qtbot, qapp, registry) -> MainWindow:
    return _open(qtbot, qapp, registry)


@pytest.fixture
def demo_window(qtbot, qapp, registry) -> MainWindow:
    registry.demo.load()
    return _open(qtbot, qapp, registry)
