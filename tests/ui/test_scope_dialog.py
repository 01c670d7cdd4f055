"""调整检查范围: records outside a round can be added by hand; removal asks first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel

from app.services.dto import AccountInput
from app.services.rounds import RoundInput
from app.vocab import Platform, RoundKind, TargetType
from tests.ui.modal import type_text
from ui.inspection.scope_dialog import AddTargetsDialog


def make_round(registry):
    registry.accounts.create(
        AccountInput(Platform.WECHAT, "通城教育", "县教育局"), create_unit=True
    )
    late = registry.accounts.create(
        AccountInput(Platform.DOUYIN, "通城新号", "县教育局", opened_on=date(2023, 5, 1))
    )
    round_id = registry.rounds.create(
        RoundInput(
            "2023年第一季度",
            RoundKind.QUARTERLY,
            date(2023, 1, 1),
            date(2023, 3, 25),
            registry.indicators.default_id(TargetType.WEBSITE),
            registry.indicators.default_id(TargetType.ACCOUNT),
        )
    )
    return round_id, late


def test_add_a_record_opened_after_the_window(qtbot, registry):
    round_id, late = make_round(registry)
    assert [c.name for c in registry.rounds.candidates(round_id)] == ["通城新号"]
    dialog = AddTargetsDialog(None, registry, round_id)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()  # nothing selected yet
    assert "请先选择" in dialog.error_line.text()
    type_text(qtbot, dialog.search, "新号")
    assert dialog.proxy.rowCount() == 1
    dialog.view.selectionModel().select(
        dialog.proxy.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    ok.click()
    assert dialog.added == 1
    assert {t.name for t in registry.inspection.targets(round_id)} == {"通城教育", "通城新号"}
    assert registry.rounds.candidates(round_id) == []
