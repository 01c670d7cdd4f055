"""今日: the round in progress, and every line that needs the clerk's attention today.

Cards on top give the counts (clicking one shows only its lines, clicking it again shows all);
the list below has one line per item, account or site; clicking a line (or Enter) opens it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.overview import Attention, AttentionLine, Link, LinkKind, TodayOverview
from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn
from ui.table_view import record_view

LINE_COLUMNS: list[TableColumn[AttentionLine]] = [
    TableColumn("类别", lambda line: line.category.label, width=90),
    TableColumn("名称", lambda line: line.name, width=190),
    TableColumn("类型", lambda line: line.kind_text, width=90),
    TableColumn("单位", lambda line: line.unit_name, width=180),
    TableColumn("县区", lambda line: line.region, width=80),
    TableColumn("情况", lambda line: line.detail, width=300),
]

ACCENTS = {
    Attention.OVERDUE: "#C0392B",
    Attention.DUE_SOON: "#D68910",
    Attention.UNFILED: "#7D3C98",
    Attention.LATE_FILING: "#2874A6",
    Attention.ZOMBIE: "#616A6B",
    Attention.NOT_INSPECTED: "#117A65",
}
_CARD_STYLE = """
QPushButton#{name} {{ background: white; border: 1px solid #d5d8dc; border-radius: 6px;
    border-top: 4px solid {accent}; padding: 6px; text-align: left; }}
QPushButton#{name}:hover {{ background: #f4f6f7; }}
QPushButton#{name}:checked {{ background: #eaf2f8; border: 2px solid {accent};
    border-top: 4px solid {accent}; }}
"""


class Card(QPushButton):
    """A clickable tile: a big number (or progress) over a caption."""

    def __init__(self, name: str, accent: str, caption: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setStyleSheet(_CARD_STYLE.format(name=name, accent=accent))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.value = QLabel()
        self.value.setObjectName("value")
        self.value.setStyleSheet(f"color: {accent}; font-size: 17pt; font-weight: bold;")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #333;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        for label in (self.value, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setMinimumSize(76, 100)


class RoundCard(Card):
    """本轮检查: the round in progress with its progress bar; opens the round."""

    def __init__(self) -> None:
        super().__init__("round_card", "#1F618D", "")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.bar.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.layout().addWidget(self.bar)
        self.setMinimumWidth(180)
        self.link: Link | None = None

    def show_overview(self, overview: TodayOverview) -> None:
        current, last = overview.current_round, overview.last_round
        shown = current or last
        self.link = Link(LinkKind.ROUND, shown.round_id) if shown is not None else None
        self.setEnabled(shown is not None)
        if current is not None:
            self.value.setText(current.text)
            self.caption.setText(
                f"进行中：{current.name}\n合格 {current.passed}，不合格 {current.failed}"
            )
            self.bar.setRange(0, max(1, current.total))
            self.bar.setValue(current.checked)
            self.bar.show()
        elif last is not None:
            self.value.setText("本轮已定稿")
            self.caption.setText(f"最近一轮：{last.name}\n合格 {last.passed}，不合格 {last.failed}")
            self.bar.hide()
        else:
            self.value.setText("未开始检查")
            self.caption.setText("还没有检查轮次")
            self.bar.hide()


class TodayPage(QWidget):
    navigate = Signal(object)  # a Link

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.round_card = RoundCard()
        self.round_card.clicked.connect(self._open_round)
        self.cards: dict[Attention, Card] = {}
        cards = QHBoxLayout()
        cards.addWidget(self.round_card, 2)
        for category in Attention:
            card = Card(f"card_{category.name.lower()}", ACCENTS[category], category.label)
            card.setCheckable(True)
            card.clicked.connect(lambda _checked, c=category: self._filter(c))
            self.cards[category] = card
            cards.addWidget(card, 1)
        self.by_unit = QLabel()
        self.by_unit.setObjectName("by_unit")
        self.by_unit.setWordWrap(True)
        self.by_unit.setTextFormat(Qt.TextFormat.RichText)
        self.model: RecordTableModel[AttentionLine] = RecordTableModel(
            LINE_COLUMNS,
            lambda line: (line.name, line.unit_name, line.region, line.detail),
        )
        self.proxy = RecordFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.view = record_view(self.proxy, LINE_COLUMNS, name="attention", row_height=24)
        self.view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.view.setToolTip("单击一行（或选中后按回车）打开对应的台账记录、检查对象或整改事项")
        self.view.clicked.connect(lambda index: self.open_row(index.row()))
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.nothing = QLabel()
        self.nothing.setObjectName("nothing")
        self.nothing.setWordWrap(True)
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing.setStyleSheet("color: #555; padding: 32px; font-size: 11pt;")
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(cards)
        layout.addWidget(self.by_unit)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.nothing, 1)
        self._filtered: Attention | None = None

    def show_overview(self, overview: TodayOverview) -> None:
        self.round_card.show_overview(overview)
        for category, card in self.cards.items():
            card.value.setText(str(overview.count(category)))
        self.model.set_rows(overview.lines)
        self._show_by_unit(overview)
        empty = not overview.lines
        self.view.setVisible(not empty)
        self.hint.setVisible(not empty)
        self.nothing.setVisible(empty)
        self.nothing.setText(
            "今天没有需要处理的事项：没有逾期或即将到期的整改，没有未备案、未及时备案或僵尸账号，"
            "最近一轮检查覆盖了全部运行中的网站和新媒体。"
        )
        self._apply_filter()

    def visible_lines(self) -> list[AttentionLine]:
        return [self.proxy.row_at(i) for i in range(self.proxy.rowCount())]

    def open_row(self, proxy_row: int) -> None:
        if 0 <= proxy_row < self.proxy.rowCount():
            self.navigate.emit(self.proxy.row_at(proxy_row).link)

    def _open_round(self) -> None:
        if self.round_card.link is not None:
            self.navigate.emit(self.round_card.link)

    def _filter(self, category: Attention) -> None:
        self._filtered = None if self._filtered is category else category
        self._apply_filter()

    def _apply_filter(self) -> None:
        chosen = self._filtered
        for category, card in self.cards.items():
            card.setChecked(category is chosen)
        self.proxy.set_predicate(
            "category", None if chosen is None else lambda line: line.category is chosen
        )
        shown = self.proxy.rowCount()
        what = f"「{chosen.label}」" if chosen is not None else "全部"
        self.hint.setText(
            f"{what}共 {shown} 条，单击一行打开对应记录"
            + ("；再次单击上方卡片显示全部" if chosen is not None else "；单击上方卡片只看一类")
        )

    def _show_by_unit(self, overview: TodayOverview) -> None:
        units = overview.by_unit
        if not units:
            self.by_unit.hide()
            return
        parts = []
        for u in units[:6]:
            bits = []
            if u.overdue:
                bits.append(
                    f'<span style="color:{ACCENTS[Attention.OVERDUE]}">逾期 {u.overdue} 项'
                    f"（最长 {u.most_days_late} 天）</span>"
                )
            if u.due_soon:
                bits.append(f"{Attention.DUE_SOON.label} {u.due_soon} 项")
            parts.append(f"<b>{escape(u.unit_name)}</b> {'，'.join(bits)}")
        more = f"；另有 {len(units) - 6} 个单位" if len(units) > 6 else ""
        self.by_unit.setText("整改催办（按单位）：" + "；".join(parts) + more)
        self.by_unit.show()
