"""新建/编辑检查轮次: name, kind, data-collection window, dates, indicator sets, scope preview."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.domain.dates import DateParseError, parse_date
from app.services.registry import Registry
from app.services.rounds import RoundInput, RoundRow
from app.vocab import RoundKind, TargetType
from ui.enum_combo import EnumCombo
from ui.form_dialog import FormDialog
from ui.widgets import DateField, wrapped_label


def suggest_round(today: date, taken: Collection[str] = ()) -> tuple[str, date]:
    """Name and window start for a new round: the running quarter in the notices' wording
    (2023年第一季度); when that round exists, the running month (2023年3月), then numbered."""
    quarter = (today.month - 1) // 3
    quarter_name = f"{today.year}年第{'一二三四'[quarter]}季度"
    quarter_start = date(today.year, 3 * quarter + 1, 1)
    candidates = [
        (quarter_name, quarter_start),
        (f"{today.year}年{today.month}月", today.replace(day=1)),
    ]
    candidates += [(f"{quarter_name}（{n}）", quarter_start) for n in range(2, 100)]
    return next((c for c in candidates if c[0] not in taken), candidates[0])


class RoundDialog(FormDialog):
    def __init__(
        self, parent: QWidget | None, registry: Registry, round_row: RoundRow | None = None
    ) -> None:
        super().__init__(parent, "编辑检查轮次" if round_row else "新建检查轮次")
        self._registry, self._round = registry, round_row
        self.name = self.add_field("name", "轮次名称", QLineEdit(), required=True)
        self.kind = self.add_field("kind", "检查类型", EnumCombo(RoundKind))
        self.window_start = self.add_field(
            "window_start", "数据采集开始", DateField(label="数据采集开始日期"), required=True
        )
        self.window_end = self.add_field(
            "window_end", "数据采集结束", DateField(label="数据采集结束日期"), required=True
        )
        self.inspection_date = self.add_field(
            "inspection_date", "检查日期", DateField(label="检查日期")
        )
        self.report_deadline = self.add_field(
            "report_deadline", "整改报送截止", DateField(label="整改报送截止日期")
        )
        self.website_set = self.add_field(
            "website_set_id", "网站指标体系", self._set_combo(TargetType.WEBSITE)
        )
        self.account_set = self.add_field(
            "account_set_id", "新媒体指标体系", self._set_combo(TargetType.ACCOUNT)
        )
        self.note = self.add_field("note", "备注", QLineEdit())
        self.scope = wrapped_label()
        self.scope.setObjectName("scope")
        self.form.addRow("检查范围：", self.scope)
        if round_row:
            self.name.setText(round_row.name)
            self.kind.set_value(round_row.kind)
            self.window_start.set_date(round_row.window_start)
            self.window_end.set_date(round_row.window_end)
            self.inspection_date.set_date(round_row.inspection_date)
            self.report_deadline.set_date(round_row.report_deadline)
            self._select(self.website_set, round_row.website_set_id)
            self._select(self.account_set, round_row.account_set_id)
            self.note.setText(round_row.note)
        else:
            today = date.today()
            name, start = suggest_round(today, {r.name for r in registry.rounds.list()})
            self.name.setText(name)
            self.window_start.set_date(start)
            self.window_end.set_date(today)
            self.inspection_date.set_date(today)
            previous = registry.rounds.list()  # newest first: its sets are the office's usual ones
            self._select(
                self.website_set,
                previous[0].website_set_id
                if previous
                else registry.indicators.default_id(TargetType.WEBSITE),
            )
            self._select(
                self.account_set,
                previous[0].account_set_id
                if previous
                else registry.indicators.default_id(TargetType.ACCOUNT),
            )
        for field in (self.window_start, self.window_end):
            field.textChanged.connect(self._update_scope)
        self._update_scope()
        self.saved_id: int | None = round_row.id if round_row else None

    def _set_combo(self, target_type: TargetType) -> QComboBox:
        combo = QComboBox()
        for row in self._registry.indicators.list(target_type):
            combo.addItem(row.title + ("" if row.is_latest else "（旧版）"), row.id)
        return combo

    @staticmethod
    def _select(combo: QComboBox, set_id: int) -> None:
        index = combo.findData(set_id)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _update_scope(self) -> None:
        if self._round is not None:
            self.scope.setText(f"本轮共 {self._round.total} 个对象（{self._round.progress_text}）")
            return
        try:
            start, end = parse_date(self.window_start.text()), parse_date(self.window_end.text())
        except DateParseError:
            start = end = None
        if start is None or end is None or end < start:
            self.scope.setText("填好数据采集时间后显示本轮检查对象数量。")
            return
        sites, accounts = self._registry.rounds.scope_preview(start, end)
        self.scope.setText(
            f"数据采集期间在运行的政府网站 {sites} 个、政务新媒体 {accounts} 个（已关停的不计，可在轮次中手动增减）"
        )

    def save(self, create_unit: bool) -> None:
        data = RoundInput(
            name=self.name.text(),
            kind=self.kind.value(),
            window_start=self.window_start.date_value("window_start"),
            window_end=self.window_end.date_value("window_end"),
            inspection_date=self.inspection_date.date_value("inspection_date"),
            report_deadline=self.report_deadline.date_value("report_deadline"),
            website_set_id=self.website_set.currentData(),
            account_set_id=self.account_set.currentData(),
            note=self.note.text(),
        )
        if self._round:
            self._registry.rounds.update(self._round.id, data)
        else:
            self.saved_id = self._registry.rounds.create(data)
