"""备份与恢复: the database's backups — list, back up now, choose one to restore, keep N."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.services.backup import MAX_KEEP, BackupInfo, BackupService
from ui.icons import icon
from ui.prompts import confirm, show_error
from ui.table_model import RecordTableModel, TableColumn
from ui.workers import run_with_progress

INTRO = (
    "网检通自动备份数据库：每天第一次启动时、每次导入前、数据库升级前、恢复备份或导入数据包前。"
    "备份只包含数据库；截图等证据文件请用“文件 → 导出数据包”一并保存。"
)


def size_text(size: int) -> str:
    """'1.2 MB' / '356 KB'."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1024) // 1024} KB"


COLUMNS: list[TableColumn[BackupInfo]] = [
    TableColumn("备份时间", lambda b: b.created_text, lambda b: (b.created, b.seq), width=170),
    TableColumn("原因", lambda b: b.reason_text, width=170),
    TableColumn("大小", lambda b: size_text(b.size), lambda b: b.size, align_right=True, width=90),
]


def open_folder(path: Path) -> bool:
    """Show ``path`` in Explorer (the file manager); a hook tests replace."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class BackupDialog(QDialog):
    """Lists the backups of the database at ``db_path``, newest first.

    Choosing 恢复所选备份… and confirming closes the dialog with :attr:`chosen` set; the
    caller then restores it (the main window is rebuilt, which must not happen while this
    dialog is still open).
    """

    def __init__(self, parent: QWidget | None, db_path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("备份与恢复")
        self.service = BackupService(db_path)
        self.chosen: BackupInfo | None = None
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        folder = QLabel(f"备份文件夹：{self.service.folder}")
        folder.setObjectName("folder")
        folder.setWordWrap(True)
        folder.setStyleSheet("color: #555;")
        self.model: RecordTableModel[BackupInfo] = RecordTableModel(
            COLUMNS, lambda b: (b.created_text, b.reason_text)
        )
        self.model.setParent(self)
        self.view = QTableView()
        self.view.setObjectName("backups")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setAlternatingRowColors(True)
        for i, column in enumerate(COLUMNS):
            self.view.setColumnWidth(i, column.width)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())
        self.keep = QSpinBox()
        self.keep.setObjectName("keep")
        self.keep.setRange(1, MAX_KEEP)
        self.keep.setValue(self.service.keep())
        self.keep.valueChanged.connect(self._keep_changed)
        keep_row = QHBoxLayout()
        keep_row.addWidget(QLabel("保留最近"))
        keep_row.addWidget(self.keep)
        keep_row.addWidget(QLabel("份备份（更早的备份在下次备份时删除）"))
        keep_row.addStretch(1)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.backup_button = QPushButton(icon("backup_now"), "立即备份(&B)")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(icon("restore"), "恢复所选备份(&R)…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button = QPushButton(icon("folder"), "打开备份文件夹(&O)")
        self.folder_button.clicked.connect(self.open_backup_folder)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(folder)
        layout.addWidget(self.view, 1)
        layout.addLayout(keep_row)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.resize(660, 480)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self, select: Path | None = None) -> None:
        """Read the folder again; select ``select`` (default: the newest)."""
        self.model.set_rows(self.service.list())
        rows = self.model.rows
        if rows:
            wanted = next((i for i, b in enumerate(rows) if b.path == select), 0)
            self.view.selectRow(wanted)
        else:
            self._set_hint("还没有备份。点“立即备份”备份当前数据。")
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def backup_now(self) -> None:
        outcome = run_with_progress(
            self, "正在备份数据库…", lambda _p: self.service.create("manual")
        )
        if outcome.error:
            show_error(self, outcome.error)
        elif outcome.ok:
            info: BackupInfo = outcome.result
            self.reload(select=info.path)
            self._set_hint(f"已备份：{info.path.name}")

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        if confirm(
            self,
            "恢复备份",
            f"用 {info.label} 的备份替换当前的全部数据？\n\n"
            "当前数据会先自动备份（恢复前自动备份），需要时可以再恢复回来。"
            "恢复后网检通会重新载入数据。",
            ok_text="恢复",
        ):
            self.chosen = info
            self.accept()

    def open_backup_folder(self) -> None:
        try:
            self.service.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            show_error(self, f"无法创建备份文件夹「{self.service.folder}」：{exc.strerror or exc}")
            return
        if not open_folder(self.service.folder):
            show_error(self, f"无法打开文件夹，请在资源管理器中打开：\n{self.service.folder}")

    def _keep_changed(self, value: int) -> None:
        try:
            self.service.set_keep(value)
        except AppError as exc:
            show_error(self, exc.message)
            return
        self._set_hint(f"将保留最近 {value} 份备份。")

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _set_hint(self, text: str) -> None:
        self.hint.setText(text)
