"""What the window does before it opens the database: the checks after an unclean exit
(``PRAGMA integrity_check``, offer to restore the last good backup) and the day's backup."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from app.database import Database, open_database
from app.errors import AppError
from app.instance_lock import InstanceLock
from app.services.backup import BackupService, integrity_problems
from ui.prompts import show_error, show_info

log = logging.getLogger(__name__)

RESTORE, OPEN_ANYWAY, QUIT = "从备份恢复", "仍然打开", "退出"


def open_checked(lock: InstanceLock, parent: QWidget | None = None) -> Database | None:
    """Open the locked database for the window; None when the clerk chose to quit.

    After an unclean exit the file is checked first; a damaged one offers the newest good
    backup. The first start of a day makes the daily backup (a failure is reported, not fatal).
    """
    path = lock.db_path
    if lock.previous_exit_unclean and path.exists():
        problems = integrity_problems(path)
        log.warning("unclean exit before; integrity check of %s: %s", path, problems or "ok")
        if problems and not _recover(path, problems, parent):
            return None
    try:
        db = open_database(path)
    except AppError as exc:
        show_error(parent, exc.message, "无法打开数据库")
        return None
    try:
        BackupService(path).daily_if_due()
    except AppError as exc:
        show_error(
            parent,
            f"今天的自动备份没有完成：{exc.message}\n\n数据没有受影响，可以继续使用。",
            "自动备份未完成",
        )
    return db


def _recover(path, problems: list[str], parent: QWidget | None) -> bool:  # noqa: ANN001
    """Ask what to do with a damaged file; True to go on opening it (restored or not)."""
    service = BackupService(path)
    good = service.last_good()
    shown = "\n".join(problems[:3])
    text = (
        "网检通上次没有正常关闭（可能是断电或程序被强制结束）。"
        f"检查数据库「{path}」时发现文件已损坏：\n{shown}\n\n"
    )
    if good is not None:
        text += (
            f"建议从最近一个完好的备份恢复：{good.label}。\n"
            f"损坏的文件会先另存到备份文件夹「{service.folder}」。"
            "备份之后录入的数据需要重新录入。"
        )
    else:
        text += (
            "没有找到完好的备份。请退出，把数据库文件交给维护人员；"
            "或者仍然打开，再用“文件 → 导入数据包…”导入最近导出的数据包。"
        )
    box = QMessageBox(QMessageBox.Icon.Critical, "数据库已损坏", text, parent=parent)
    restore = box.addButton(RESTORE, QMessageBox.ButtonRole.AcceptRole) if good else None
    anyway = box.addButton(OPEN_ANYWAY, QMessageBox.ButtonRole.DestructiveRole)
    quit_button = box.addButton(QUIT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore or quit_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is anyway:
        return True
    if restore is None or clicked is not restore:
        return False
    try:
        service.restore(good.path)
    except AppError as exc:
        show_error(parent, f"恢复没有完成：{exc.message}", "无法恢复")
        return False
    show_info(parent, f"已从 {good.label} 的备份恢复数据库。", "恢复完成")
    return True
