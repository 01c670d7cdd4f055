"""Semantic icon names → qtawesome specs, in one place."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

_SPECS = {
    "add": "mdi6.plus",
    "edit": "mdi6.pencil",
    "close_record": "mdi6.close-octagon",
    "reopen": "mdi6.restore",
    "history": "mdi6.history",
    "audit": "mdi6.account-clock-outline",
    "delete": "mdi6.delete",
    "export": "mdi6.microsoft-excel",
    "merge": "mdi6.merge",
    "search": "mdi6.magnify",
    "calendar": "mdi6.calendar",
    "website": "mdi6.web",
    "account": "mdi6.cellphone-text",
    "unit": "mdi6.office-building",
    "demo": "mdi6.database-import",
    "import": "mdi6.file-import",
    "registry": "mdi6.table-large",
    "inspection": "mdi6.clipboard-check-outline",
    "info": "mdi6.information-outline",
    "warning": "mdi6.alert-circle-outline",
    "indicators": "mdi6.format-list-checks",
    "overview": "mdi6.view-dashboard-outline",
    "image": "mdi6.image-outline",
    "pdf": "mdi6.file-pdf-box",
    "rectification": "mdi6.wrench-clock",
    "notice": "mdi6.file-document-edit-outline",
    "report": "mdi6.file-upload-outline",
    "recheck": "mdi6.magnify-scan",
    "close_item": "mdi6.lock-outline",
    "unit_list": "mdi6.account-group-outline",
    "reminder": "mdi6.bell-alert-outline",
    "term": "mdi6.timer-cog-outline",
    "open_file": "mdi6.file-eye-outline",
    "backup": "mdi6.backup-restore",
    "backup_now": "mdi6.content-save",
    "restore": "mdi6.restore",
    "folder": "mdi6.folder-open",
    "package_export": "mdi6.archive-arrow-up",
    "package_import": "mdi6.archive-arrow-down",
}


def icon(name: str) -> QIcon:
    """The icon for a semantic ``name`` (see ``_SPECS``)."""
    return qta.icon(_SPECS[name])
