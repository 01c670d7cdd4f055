"""The generic table model and proxy: Qt's model checks, filtering and sorting."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from ui.table_model import RecordFilterProxy, RecordTableModel, TableColumn


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    unit: str
    count: int


COLUMNS = [
    TableColumn("名称", lambda r: r.name),
    TableColumn("单位", lambda r: r.unit),
    TableColumn("数量", lambda r: r.count, sort_key=lambda r: r.count, align_right=True),
]


def make(rows):
    model = RecordTableModel(COLUMNS, lambda r: (r.name, r.unit))
    model.set_rows(rows)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


ROWS = [
    Row(1, "通城公安", "县公安局", 10),
    Row(2, "通城旅游", "县文旅局", 2),
    Row(3, "花果四庄", "四庄乡人民政府", 30),
    Row(4, "", "县公安局", 1),
]


def test_models_pass_qt_model_tester(qtmodeltester):
    model, proxy = make(ROWS)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_search_terms_all_must_match_and_width_is_ignored():
    _, proxy = make(ROWS)
    proxy.set_search_text("公安")
    assert {proxy.row_at(i).id for i in range(proxy.rowCount())} == {1, 4}
    proxy.set_search_text("通城　公安局")  # full-width space splits terms
    assert [proxy.row_at(i).id for i in range(proxy.rowCount())] == [1]
    proxy.set_search_text("")
    assert proxy.rowCount() == 4


def test_predicates_combine_and_follow_row_changes():
    model, proxy = make(ROWS)
    proxy.set_predicate("big", lambda r: r.count >= 10)
    assert proxy.rowCount() == 2
    model.replace_row(Row(2, "通城旅游", "县文旅局", 50))
    assert {proxy.row_at(i).id for i in range(proxy.rowCount())} == {1, 2, 3}
    proxy.set_predicate("big", None)
    assert proxy.rowCount() == 4


def test_sort_numeric_key_and_empty_last_both_ways():
    model, proxy = make(ROWS)
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert [proxy.row_at(i).count for i in range(4)] == [30, 10, 2, 1]
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert proxy.row_at(3).id == 4  # empty name last
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert proxy.row_at(3).id == 4


def test_display_and_alignment():
    model, _ = make(ROWS)
    assert model.data(model.index(0, 2)) == "10"
    assert model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "单位"
