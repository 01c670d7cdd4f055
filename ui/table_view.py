"""The house list view: read-only rows, header sorting without a false arrow, widths per column."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ui.table_model import TableColumn


def record_view(
    model: QAbstractItemModel,
    columns: Sequence[TableColumn],
    *,
    name: str = "",
    multi_select: bool = False,
    row_height: int | None = None,
) -> QTableView:
    """A QTableView over ``model`` (usually a RecordFilterProxy) set up like every list here."""
    view = QTableView()
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi_select
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # no false arrow
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    if row_height is not None:
        view.verticalHeader().setDefaultSectionSize(row_height)
    view.setAlternatingRowColors(True)
    for i, column in enumerate(columns):
        view.setColumnWidth(i, column.width)
    return view
