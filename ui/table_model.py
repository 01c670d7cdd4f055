"""A read-only table model over a list of row dataclasses, and its filter proxy.

Built for 10 000+ rows: display strings and a search text per row are computed once when
rows are set; filtering builds a boolean mask in one Python pass and the proxy only looks
it up; sorting reorders the source list with precomputed keys instead of asking the proxy
to compare through ``data()`` n·log n times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.text import clean_text

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

_INACTIVE = QBrush(QColor("#8a8a8a"))
_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value


@dataclass(frozen=True)
class TableColumn(Generic[R]):
    """One column: header, the text shown, and optionally a sort key and alignment."""

    header: str
    text: Callable[[R], object]
    sort_key: Callable[[R], Any] | None = None
    align_right: bool = False
    width: int = 110


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    return str(value)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of one record type (``WebsiteRow``, ``AccountRow`` …) shown through ``columns``."""

    def __init__(
        self,
        columns: Sequence[TableColumn[R]],
        search_text: Callable[[R], Iterable[object]],
        is_inactive: Callable[[R], bool] = lambda _row: False,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._search_text = search_text
        self._is_inactive = is_inactive
        self._rows: list[R] = []
        self._cells: list[list[str]] = []
        self._haystacks: list[str] = []
        self._inactive: list[bool] = []
        self._row_count, self._column_count = 0, len(self._columns)
        self.generation = 0  # bumped on every change; the proxy rebuilds its mask on a new one

    # -- data access for the proxy and the views --------------------------------------------
    @property
    def columns(self) -> list[TableColumn[R]]:
        return self._columns

    @property
    def rows(self) -> list[R]:
        return self._rows

    @property
    def haystacks(self) -> list[str]:
        return self._haystacks

    def row_at(self, source_row: int) -> R:
        return self._rows[source_row]

    def row_of_id(self, record_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if getattr(row, "id", None) == record_id:
                return i
        return None

    # -- changes -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [self._render(r) for r in self._rows]
        self._haystacks = [self._haystack(r) for r in self._rows]
        self._inactive = [self._is_inactive(r) for r in self._rows]
        self._row_count = len(self._rows)
        self.generation += 1
        self.endResetModel()

    def replace_row(self, row: R) -> None:
        """Swap in a fresh copy of one record (matched by ``id``) and repaint just that line."""
        i = self.row_of_id(getattr(row, "id"))  # noqa: B009
        if i is None:
            return
        self._rows[i] = row
        self._cells[i] = self._render(row)
        self._haystacks[i] = self._haystack(row)
        self._inactive[i] = self._is_inactive(row)
        self.generation += 1
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self._columns) - 1))

    def _render(self, row: R) -> list[str]:
        return [_as_text(c.text(row)) for c in self._columns]

    def _haystack(self, row: R) -> str:
        return "\x1f".join(clean_text(_as_text(v)).casefold() for v in self._search_text(row))

    # -- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._row_count

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._column_count

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every role of every visible cell on each paint: plain int compares
        # (PySide enum comparisons are slow) and the common roles first.
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()]
        if role == _FOREGROUND:
            return _INACTIVE if self._inactive[index.row()] else None
        if role == _ALIGNMENT:
            return _RIGHT if self._columns[index.column()].align_right else None
        if role == _TOOLTIP:
            text = self._cells[index.row()][index.column()]
            return text if len(text) > 20 else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        spec = self._columns[column]
        if spec.sort_key is not None:
            key_of = spec.sort_key
            keys = [key_of(r) for r in self._rows]
        else:
            keys = [cells[column] for cells in self._cells]
        reverse = order == Qt.SortOrder.DescendingOrder
        filled = [i for i, k in enumerate(keys) if k not in ("", None)]
        empty = [i for i, k in enumerate(keys) if k in ("", None)]
        filled.sort(key=keys.__getitem__, reverse=reverse)  # stable; empty cells stay last
        order_idx = filled + empty
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        new_position = {old: new for new, old in enumerate(order_idx)}
        self._rows = [self._rows[i] for i in order_idx]
        self._cells = [self._cells[i] for i in order_idx]
        self._haystacks = [self._haystacks[i] for i in order_idx]
        self._inactive = [self._inactive[i] for i in order_idx]
        self.changePersistentIndexList(
            old_persistent,
            [self.index(new_position[p.row()], p.column()) for p in old_persistent],
        )
        self.generation += 1
        self.layoutChanged.emit()


class RecordFilterProxy(QSortFilterProxyModel):
    """Filters by search words (all must occur) and named predicates on the row objects."""

    def __init__(self) -> None:
        super().__init__()
        self._terms: list[str] = []
        self._predicates: dict[str, Callable[[Any], bool]] = {}
        self._mask: list[bool] = []
        self._mask_generation = -1
        self._model: RecordTableModel[Any] | None = None

    def set_search_text(self, text: str) -> None:
        self._terms = clean_text(text).casefold().split()
        self._refilter()

    def set_predicate(self, name: str, predicate: Callable[[Any], bool] | None) -> None:
        """Add or (with ``None``) remove a filter such as 'region' or 'platform'."""
        if predicate is None:
            self._predicates.pop(name, None)
        else:
            self._predicates[name] = predicate
        self._refilter()

    def record_model(self) -> RecordTableModel[Any]:
        assert self._model is not None, "setSourceModel() first"
        return self._model

    def row_at(self, proxy_row: int) -> Any:
        source = self.mapToSource(self.index(proxy_row, 0))
        return self.record_model().row_at(source.row())

    def proxy_row_of_id(self, record_id: int) -> int | None:
        source_row = self.record_model().row_of_id(record_id)
        if source_row is None:
            return None
        proxy = self.mapFromSource(self.record_model().index(source_row, 0))
        return proxy.row() if proxy.isValid() else None

    def _refilter(self) -> None:
        # One layout change rather than Qt's incremental row removals: a search that keeps
        # every 4th of 10 000 rows would otherwise emit thousands of rowsRemoved ranges.
        self._mask_generation = -1
        self.invalidate()

    def _rebuild_mask(self) -> None:
        model = self._model
        assert model is not None
        mask: list[bool] | None = None
        hays = model.haystacks
        for term in self._terms:  # one comprehension per word: no generator per row
            if mask is None:
                mask = [term in h for h in hays]
            else:
                mask = [m and term in h for m, h in zip(mask, hays, strict=True)]
        for predicate in self._predicates.values():
            rows = model.rows
            if mask is None:
                mask = [predicate(r) for r in rows]
            else:
                mask = [m and predicate(r) for m, r in zip(mask, rows, strict=True)]
        self._mask = mask if mask is not None else [True] * len(hays)
        self._mask_generation = model.generation

    def setSourceModel(self, model: RecordTableModel[Any]) -> None:  # type: ignore[override]
        self._model = model
        super().setSourceModel(model)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Called once per source row on every change: keep it to a list lookup.
        if self._mask_generation != self._model.generation:  # type: ignore[union-attr]
            self._rebuild_mask()
        return self._mask[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source list (fast, with precomputed keys)."""
        self.record_model().sort(column, order)
