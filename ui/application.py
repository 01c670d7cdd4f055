"""Start the GUI: QApplication, Chinese font, error hook, database, main window."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import AppError
from app.instance_lock import InstanceLock
from app.paths import APP_NAME, ORG_NAME, default_data_dir, resource_path
from app.services.registry import Registry

# Preferred UI fonts, best first; the bundled WenQuanYi Micro Hei is the last resort so
# Chinese never shows as boxes on a machine without CJK fonts.
_FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
]

log = logging.getLogger(__name__)


def install_fonts(app: QApplication) -> None:
    QFontDatabase.addApplicationFont(str(resource_path("fonts", "wqy-microhei.ttc")))
    font = QFont()
    font.setFamilies(_FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
    install_fonts(app)
    return app


def _log_file() -> Path:
    folder = default_data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "error.log"


def install_excepthook() -> None:
    """Unexpected errors are logged and shown as a dialog instead of killing the window."""
    logging.basicConfig(
        filename=_log_file(), level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s"
    )

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, AppError):
            QMessageBox.warning(None, "无法完成操作", exc.message)
            return
        log.error("未处理的异常\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        QMessageBox.critical(
            None,
            "程序错误",
            f"程序遇到意外错误，刚才的操作可能没有完成（已保存的数据不受影响）。\n\n"
            f"错误详情已记录到：{_log_file()}\n请把该文件发给维护人员。",
        )

    sys.excepthook = hook


def run_gui(db_path: Path) -> int:
    """The window over ``db_path``; a second window on the same file is refused (lock)."""
    from ui.main_window import MainWindow
    from ui.prompts import show_error
    from ui.startup_checks import open_checked

    app = create_application()
    install_excepthook()
    lock = InstanceLock(db_path)
    try:
        lock.acquire()
    except AppError as exc:
        show_error(None, exc.message, "无法打开数据库")
        return 1
    try:
        db = open_checked(lock)
        if db is None:
            return 1
        window = MainWindow(Registry(db))
        window.show()
        try:
            return app.exec()
        finally:
            db.close()
    finally:
        lock.release()  # a lock left behind tells the next start it did not end cleanly
