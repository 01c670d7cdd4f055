"""Carry out a 总览 link: bring the right tab to the front and select the record there."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QTabWidget, QWidget

from app.services.overview import Link, LinkKind
from app.vocab import TargetType
from ui.inspection.inspection_tab import InspectionTab
from ui.overview.overview_tab import Request
from ui.registry.registry_tab import RegistryTab

RECTIFICATION_TITLE = "整改"


def open_destination(tabs: QTabWidget, destination: Link | Request) -> None:
    """Show ``destination`` in the tab that owns it (found among ``tabs``)."""
    registry_tab = _find(tabs, RegistryTab)
    inspection_tab = _find(tabs, InspectionTab)
    if isinstance(destination, Request):
        if destination is Request.IMPORT_REGISTRY:
            registry_tab.import_registry()
        elif destination is Request.LOAD_DEMO:
            registry_tab.load_demo()
        else:
            tabs.setCurrentWidget(inspection_tab)
            inspection_tab.create_round()
        return
    kind = destination.kind
    if kind in (LinkKind.WEBSITE, LinkKind.ACCOUNT):
        tabs.setCurrentWidget(registry_tab)
        target = TargetType.WEBSITE if kind is LinkKind.WEBSITE else TargetType.ACCOUNT
        registry_tab.show_record(target, destination.record_id)
    elif kind is LinkKind.ROUND:
        tabs.setCurrentWidget(inspection_tab)
        inspection_tab.reload(select_round=destination.record_id)
    elif kind is LinkKind.ROUND_TARGET:
        tabs.setCurrentWidget(inspection_tab)
        inspection_tab.reload(select_round=destination.round_id)
        if not inspection_tab.select_target(destination.record_id):
            _clear_inspection_filters(inspection_tab)
            inspection_tab.select_target(destination.record_id)
    else:
        _open_item(tabs, destination.record_id)


def _find(tabs: QTabWidget, kind: type[QWidget]) -> QWidget:
    for i in range(tabs.count()):
        widget = tabs.widget(i)
        if isinstance(widget, kind):
            return widget
    raise LookupError(f"no {kind.__name__} tab")


def _open_item(tabs: QTabWidget, item_id: int) -> None:
    """The 整改 tab selects the item when it offers ``show_item`` (else ``select_id``)."""
    for i in range(tabs.count()):
        widget = tabs.widget(i)
        show_item = getattr(widget, "show_item", None)
        if show_item is not None or tabs.tabText(i).startswith(RECTIFICATION_TITLE):
            tabs.setCurrentWidget(widget)
            if show_item is not None:
                show_item(item_id)
            elif (select_id := getattr(widget, "select_id", None)) is not None:
                select_id(item_id)
            return


def _clear_inspection_filters(tab: InspectionTab) -> None:
    """The target was hidden by a search or filter: show every target of the round."""
    tab.search.clear()
    for combo in tab.findChildren(QComboBox):
        if combo.objectName().startswith("filter_"):
            combo.setCurrentIndex(0)
