"""本轮统计: counts and 合格率 of a round by kind and by 县区."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.services.stats import RegionCounts, RoundStats
from ui.table_model import RecordTableModel, TableColumn
from ui.table_view import record_view


def _count_column(header: str, count: Callable[[RegionCounts], int]) -> TableColumn:
    return TableColumn(header, count, sort_key=count, align_right=True, width=60)


REGION_COLUMNS: list[TableColumn[RegionCounts]] = [
    TableColumn("县区", lambda r: r.region, width=120),
    TableColumn("类型", lambda r: "政府网站" if r.kind == "websites" else "政务新媒体", width=90),
    _count_column("总数", lambda r: r.counts.total),
    _count_column("合格", lambda r: r.counts.passed),
    _count_column("不合格", lambda r: r.counts.failed),
    _count_column("未检", lambda r: r.counts.pending),
    TableColumn("合格率", lambda r: r.counts.pass_rate, align_right=True, width=70),
]


def summary_lines(stats: RoundStats) -> list[str]:
    lines = []
    for label, c in (("政府网站", stats.websites), ("政务新媒体", stats.accounts)):
        pending = f"，未检 {c.pending} 个" if c.pending else ""
        lines.append(
            f"{label}：共 {c.total} 个，合格 {c.passed} 个，不合格 {c.failed} 个{pending}，合格率 {c.pass_rate}"
        )
    return lines


class RoundStatsDialog(QDialog):
    def __init__(self, parent: QWidget | None, stats: RoundStats) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"本轮统计 — {stats.round_name}")
        self.resize(620, 460)
        self.summary = QLabel("\n".join(summary_lines(stats)))
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet("font-size: 11pt;")
        self.model: RecordTableModel[RegionCounts] = RecordTableModel(
            REGION_COLUMNS, lambda r: (r.region,)
        )
        self.model.set_rows(stats.by_region)
        view = record_view(self.model, REGION_COLUMNS)
        note = QLabel(
            "合格率 = 合格数 ÷ 已检数（合格 + 不合格），四舍五入保留一位小数；全部检完即为通报口径。"
        )
        note.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
