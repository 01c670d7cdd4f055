"""Editable table models of the 指标体系 editor: category and indicator drafts, their columns.

Cells are typed as text and parsed here; a value the model will not store (a duplicate code,
a negative score) is refused with a Chinese message through ``DraftTableModel.refused``.
Unconfirmed numbers are tinted amber until the clerk ticks 已核实.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.domain.scoring import PART_LABELS, PARTS, Category, Indicator, format_points

Index = QModelIndex | QPersistentModelIndex
Kind = Literal["text", "required", "code", "number", "optional_number", "flag", "choice"]

UNCONFIRMED_TIP = "该分值为默认值，未经核实原文"
AMBER = QColor("#ffe8b0")
_AMBER_BRUSH = QBrush(AMBER)
_DARK_BRUSH = QBrush(QColor("#202020"))
_MUTED_BRUSH = QBrush(QColor("#8a8a8a"))
_ROOT = QModelIndex()
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass
class IndicatorDraft:
    """One indicator row while it is being edited (keys as in the rules JSON)."""

    code: str
    part: str
    category: str
    name: str
    short_name: str
    points_per: Decimal | None
    cap: Decimal | None
    confirmed: bool
    description: str

    @classmethod
    def of(cls, item: Indicator) -> IndicatorDraft:
        return cls(**{f.name: getattr(item, f.name) for f in fields(cls)})


@dataclass
class CategoryDraft:
    """One category (分类, 一级指标) row while it is being edited."""

    name: str
    points: Decimal
    services: bool
    confirmed: bool
    description: str

    @classmethod
    def of(cls, cat: Category) -> CategoryDraft:
        return cls(**{f.name: getattr(cat, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class DraftColumn:
    """One editable column: the draft attribute, its header and how its text is read."""

    key: str
    header: str
    kind: Kind
    width: int
    tip: str = ""


INDICATOR_COLUMNS: tuple[DraftColumn, ...] = (
    DraftColumn("code", "编码", "code", 70),
    DraftColumn("part", "类别", "choice", 76, "单项否决 / 扣分 / 加分"),
    DraftColumn("category", "分类", "choice", 76, "扣分、加分指标所属的一级指标"),
    DraftColumn("name", "名称", "required", 200),
    DraftColumn("short_name", "简称（用于主要问题）", "text", 150, "留空则用名称"),
    DraftColumn("points_per", "每处分值", "optional_number", 72, "留空 = 按实际扣分（逐项填分）"),
    DraftColumn("cap", "上限", "optional_number", 52, "留空 = 只受分类分值限制"),
    DraftColumn("confirmed", "已核实", "flag", 56, "分值已与原文核对"),
    DraftColumn("description", "说明", "text", 320),
)
CATEGORY_COLUMNS: tuple[DraftColumn, ...] = (
    DraftColumn("name", "分类", "required", 110),
    DraftColumn("points", "分值", "number", 60, "本分类扣分合计的上限"),
    DraftColumn("services", "办事服务", "flag", 70, "无对外办事服务的网站跳过此分类"),
    DraftColumn("confirmed", "已核实", "flag", 56, "分值已与原文核对"),
    DraftColumn("description", "说明", "text", 520),
)


class EditRefused(ValueError):
    """A cell value the model will not store; the message is shown to the clerk."""


def parse_points(text: str, *, optional: bool) -> Decimal | None:
    """A score typed into a cell: "2", "2.5", "3分"; empty gives ``None`` when allowed."""
    cleaned = text.strip().removesuffix("分").strip()
    if not cleaned:
        if optional:
            return None
        raise EditRefused("不能为空")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise EditRefused(f"应为数字：{text.strip()}") from None
    if not number.is_finite():
        raise EditRefused(f"应为数字：{text.strip()}")
    if number < 0:
        raise EditRefused(f"不能为负数：{text.strip()}")
    return number


class DraftTableModel(QAbstractTableModel):
    """Editable rows of drafts; a refused value is reported by ``refused`` and not stored."""

    refused = Signal(str)
    edited = Signal()  # any stored change: a cell, a new, removed or moved row

    def __init__(self, columns: Sequence[DraftColumn], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[Any] = []

    @property
    def rows(self) -> list[Any]:
        return self._rows

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    # -- hooks for subclasses ----------------------------------------------------------------
    def is_editable(self, row: Any, key: str) -> bool:
        return True

    def row_label(self, row_number: int) -> str:
        """Where a refused value was typed, for the message: 「第3行」."""
        return f"第{row_number + 1}行"

    def display(self, row: Any, key: str) -> str:
        value = getattr(row, key)
        if isinstance(value, Decimal):
            return format_points(value)
        return "" if value is None else str(value)

    def placeholder(self, row: Any, key: str) -> str:
        """Gray text shown in an empty cell (e.g. 按实际扣分)."""
        return ""

    def choices(self, index: Index) -> list[tuple[str, str]] | None:
        """(label, value) pairs for a choice cell, else ``None``."""
        return None

    def check(self, row_number: int, key: str, value: Any) -> None:
        """Raise :class:`EditRefused` to refuse ``value``; it is already parsed."""

    def after_change(self, row: Any, key: str, old: Any) -> None:
        """Adjust dependent cells of ``row`` after ``key`` changed from ``old``."""

    # -- QAbstractTableModel -------------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if not self.is_editable(self._rows[index.row()], column.key):
            return base
        if column.kind == "flag":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column.kind == "flag":
                return None
            if column.kind == "choice":
                return self._choice_label(index, getattr(row, column.key))
            return self.display(row, column.key) or self.placeholder(row, column.key)
        if role == Qt.ItemDataRole.EditRole:
            if column.kind == "flag":
                return None
            if column.kind == "choice":
                return getattr(row, column.key)
            return self.display(row, column.key)
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "flag":
            checked = bool(getattr(row, column.key))
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            return None if row.confirmed else _AMBER_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self.display(row, column.key) and self.placeholder(row, column.key):
                return _MUTED_BRUSH
            return None if row.confirmed else _DARK_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind == "flag":
                return _CENTER
            if column.kind in ("number", "optional_number"):
                return _RIGHT
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display(row, column.key)
            long_text = text if len(text) > 16 else ""
            if not row.confirmed:
                return f"{UNCONFIRMED_TIP}\n{long_text}".strip()
            return long_text or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (
            Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        ):
            return False
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        try:
            if column.kind == "flag":
                if role != Qt.ItemDataRole.CheckStateRole:
                    return False
                new = _is_checked(value)
            elif role != Qt.ItemDataRole.EditRole:
                return False
            else:
                new = self._parse(column, value)
            self.check(index.row(), column.key, new)
        except EditRefused as exc:
            self.refused.emit(f"{self.row_label(index.row())}「{column.header}」{exc}")
            return False
        old = getattr(row, column.key)
        if new == old and type(new) is type(old):
            return True
        setattr(row, column.key, new)
        self.after_change(row, column.key, old)
        last = self.index(index.row(), len(self.columns) - 1)
        self.dataChanged.emit(self.index(index.row(), 0), last)  # the tint may change too
        self.edited.emit()
        return True

    def _parse(self, column: DraftColumn, value: Any) -> Any:
        text = "" if value is None else str(value)
        if column.kind == "number":
            return parse_points(text, optional=False)
        if column.kind == "optional_number":
            return parse_points(text, optional=True)
        if column.kind in ("required", "code") and not text.strip():
            raise EditRefused("不能为空")
        if column.kind == "code" and re.search(r"\s", text.strip()):
            raise EditRefused(f"不能含空格：{text.strip()}")
        return text.strip()

    def _choice_label(self, index: Index, value: str) -> str:
        for label, choice in self.choices(index) or ():
            if choice == value:
                return label
        return value

    # -- rows ----------------------------------------------------------------------------------
    def insert_draft(self, at: int, draft: Any) -> int:
        at = max(0, min(at, len(self._rows)))
        self.beginInsertRows(_ROOT, at, at)
        self._rows.insert(at, draft)
        self.endInsertRows()
        self.edited.emit()
        return at

    def remove_draft(self, at: int) -> Any:
        self.beginRemoveRows(_ROOT, at, at)
        draft = self._rows.pop(at)
        self.endRemoveRows()
        self.edited.emit()
        return draft

    def move_draft(self, at: int, delta: int) -> int:
        """Move row ``at`` up (-1) or down (+1); returns its new position."""
        target = at + delta
        if not (0 <= at < len(self._rows) and 0 <= target < len(self._rows)) or delta == 0:
            return at
        destination = target + 1 if delta > 0 else target  # Qt counts before the move
        self.beginMoveRows(_ROOT, at, at, _ROOT, destination)
        self._rows.insert(target, self._rows.pop(at))
        self.endMoveRows()
        self.edited.emit()
        return target


def _is_checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return value == Qt.CheckState.Checked.value


class IndicatorTableModel(DraftTableModel):
    """指标 rows: code unique, veto rows carry no category or points."""

    def __init__(
        self, category_names: Callable[[], list[str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(INDICATOR_COLUMNS, parent)
        self._category_names = category_names

    def row_label(self, row_number: int) -> str:
        return f"第{row_number + 1}行（{self._rows[row_number].code}）"

    def is_editable(self, row: IndicatorDraft, key: str) -> bool:
        return not (row.part == "veto" and key in ("category", "points_per", "cap"))

    def placeholder(self, row: IndicatorDraft, key: str) -> str:
        if key == "points_per" and row.part != "veto":
            return "按实际扣分"
        if key == "short_name":
            return row.name
        return ""

    def choices(self, index: Index) -> list[tuple[str, str]] | None:
        key = self.columns[index.column()].key
        if key == "part":
            return [(PART_LABELS[p], p) for p in PARTS]
        if key == "category":
            return [(name, name) for name in self._category_names()]
        return None

    def check(self, row_number: int, key: str, value: Any) -> None:
        if key == "code":
            for i, other in enumerate(self._rows):
                if i != row_number and other.code == value:
                    raise EditRefused(f"指标编码「{value}」已被第{i + 1}行使用，请换一个")
        if key == "part" and value not in PARTS:
            raise EditRefused(f"应为单项否决、扣分或加分：{value}")
        if key == "category" and value not in self._category_names():
            raise EditRefused(f"分类「{value}」不存在，请先在分类表中新增")

    def after_change(self, row: IndicatorDraft, key: str, old: Any) -> None:
        if key != "part":
            return
        if row.part == "veto":
            row.category, row.points_per, row.cap = "", None, None
        elif not row.category:
            row.category = self.default_category(row.part)

    def default_category(self, part: str) -> str:
        """The category of the last row of this part, else the first category."""
        for other in reversed(self._rows):
            if other.part == part and other.category:
                return other.category
        names = self._category_names()
        return names[0] if names else ""

    def rename_category(self, old: str, new: str) -> None:
        for i, row in enumerate(self._rows):
            if row.category == old:
                row.category = new
                cell = self.index(i, self.column_of("category"))
                self.dataChanged.emit(cell, cell)

    def free_code(self, prefix: str = "L-") -> str:
        taken = {row.code for row in self._rows}
        n = 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"


class CategoryTableModel(DraftTableModel):
    """分类 rows: names unique; a rename is passed on to the indicators by ``renamed``."""

    renamed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(CATEGORY_COLUMNS, parent)

    def names(self) -> list[str]:
        return [row.name for row in self._rows]

    def check(self, row_number: int, key: str, value: Any) -> None:
        if key == "name":
            for i, other in enumerate(self._rows):
                if i != row_number and other.name == value:
                    raise EditRefused(f"分类「{value}」已在第{i + 1}行，请换一个名称")

    def after_change(self, row: CategoryDraft, key: str, old: Any) -> None:
        if key == "name":
            self.renamed.emit(old, row.name)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for cells whose model offers ``choices``; the default editor otherwise."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        options = index.model().choices(index)  # type: ignore[attr-defined]
        if options is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for label, value in options:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(found, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
