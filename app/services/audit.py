"""修改记录: the audit trail of one record as the clerk reads it (fields and values in Chinese)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, sessionmaker

from app.services.indicators import IndicatorService
from db.models import (
    Account,
    AuditEntry,
    Finding,
    IndicatorSet,
    Round,
    RoundTarget,
    Unit,
    Website,
)

KINDS = ("unit", "website", "account", "round_target", "rectification_item")
ACTIONS = {"insert": "新增", "update": "修改", "delete": "删除"}
WHOLE_RECORD = "整条记录"

FIELD_LABELS = {
    "name": "名称",
    "region": "所属县区",
    "kind": "类型",
    "contact": "联系人",
    "phone": "联系电话",
    "email": "电子邮箱",
    "note": "备注",
    "is_demo": "演示数据",
    "alias": "别名",
    "site_code": "网站标识码",
    "url": "网址",
    "unit_id": "主办单位",
    "icp": "ICP备案号",
    "status": "状态",
    "opened_on": "开设日期",
    "closed_on": "关停日期",
    "platform": "平台",
    "website_id": "网站",
    "account_id": "新媒体账号",
    "filing_status": "备案状态",
    "maintainer": "管理员",
    "maintainer_phone": "管理员电话",
    "is_zombie": "僵尸账号",
    "is_empty_shell": "空壳账号",
    "window_start": "数据采集开始",
    "window_end": "数据采集结束",
    "inspection_date": "检查日期",
    "report_deadline": "报送期限",
    "website_set_id": "网站指标体系",
    "account_set_id": "新媒体指标体系",
    "round_id": "检查轮次",
    "target_id": "检查对象",
    "state": "检查结果",
    "score": "评分",
    "problem_text": "主要问题",
    "problem_text_manual": "主要问题为手工填写",
    "no_services": "无对外办事服务",
    "indicator_code": "指标编号",
    "count": "次数",
    "points": "扣分",
    "source": "来源",
    "source_note": "来源说明",
    "round_target_id": "检查对象",
    "indicator_name": "指标名称",
    "auto": "检查后自动生成",
    "found_on": "发现日期",
    "deadline": "整改期限",
    "deadline_days": "期限天数",
    "deadline_working_days": "期限按工作日计",
    "notified_on": "通报日期",
    "report_received_on": "报送日期",
    "report_note": "报送说明",
    "report_file_name": "整改报告",
    "report_sha256": "整改报告SHA-256",
    "recheck_on": "复查日期",
    "recheck_note": "复查说明",
    "recheck_round_id": "复查轮次",
    "position": "排序",
}

# Where a column's wording differs from the common one above.
TABLE_FIELD_LABELS = {
    "account": {"account_id": "账号ID", "name": "账号名称"},
    "website": {"name": "网站名称", "kind": "网站类型"},
    "unit": {"name": "单位名称", "kind": "单位类型"},
    "inspection_round": {"name": "轮次名称", "kind": "轮次类型"},
    "finding": {"note": "说明"},
    "rectification_item": {"problem_text": "问题"},
}

# Foreign-key columns shown by the name of the record they point to.
REFERENCES: dict[str, type] = {
    "unit_id": Unit,
    "website_id": Website,
    "account_id": Account,
    "round_id": Round,
    "recheck_round_id": Round,
    "round_target_id": RoundTarget,
    "website_set_id": IndicatorSet,
    "account_set_id": IndicatorSet,
}
_PLAIN = {("account", "account_id")}  # the platform's own account ID, not a key


@dataclass(frozen=True)
class AuditRow:
    """One line of a record's 修改记录."""

    id: int
    at: datetime
    user: str
    action: str  # 新增 / 修改 / 删除
    field: str
    old_value: str
    new_value: str

    @property
    def at_text(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S")


def field_label(table: str, key: str) -> str:
    """Chinese name of a column; an unknown column shows its key."""
    return TABLE_FIELD_LABELS.get(table, {}).get(key) or FIELD_LABELS.get(key, key)


class AuditService:
    def __init__(
        self, session_factory: sessionmaker[Session], indicators: IndicatorService
    ) -> None:
        self._sf = session_factory
        self._indicators = indicators

    def for_record(self, kind: str, record_id: int) -> list[AuditRow]:
        """Every recorded change of one record and its parts, newest first.

        ``kind``: unit, website, account, round_target or rectification_item. Entries older
        than the record's own creation belong to an earlier record that had the same id.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown audit kind {kind!r}")
        with self._sf() as s:
            entries = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.owner_table == kind, AuditEntry.owner_id == record_id)
                .order_by(AuditEntry.id.desc())
            ).all()
            entries = _since_created(list(entries), kind, record_id)
            names = _Names(s, entries)
            indicator_names = self._indicator_names(s, kind, record_id)
            return [_row(e, names, indicator_names) for e in entries]

    def _indicator_names(self, s: Session, kind: str, record_id: int) -> dict[str, str]:
        """Indicator code → name in the set the round target was scored with."""
        target = s.get(RoundTarget, record_id) if kind == "round_target" else None
        if target is None:
            return {}
        set_id = target.round.website_set_id if target.website_id else target.round.account_set_id
        return {i.code: i.name for i in self._indicators.rules(set_id).indicators}


def _since_created(entries: list[AuditEntry], table: str, record_id: int) -> list[AuditEntry]:
    for n, e in enumerate(entries):
        if e.table_name == table and e.row_id == record_id and e.action == "insert":
            return entries[: n + 1]
    return entries


def _values(e: AuditEntry) -> dict[str, str]:
    """The whole-record values of an insert or delete entry."""
    if e.action == "update":
        return {}
    return json.loads(e.new_value if e.action == "insert" else e.old_value)


def _reference(table: str, key: str) -> type | None:
    return None if (table, key) in _PLAIN else REFERENCES.get(key)


class _Names:
    """Names of the records that the entries' foreign keys point to, read in a few queries."""

    def __init__(self, s: Session, entries: list[AuditEntry]) -> None:
        wanted: dict[type, set[int]] = {}
        self.finding_codes: dict[int, str] = {}
        for e in entries:
            if e.table_name == "rectification_unit":
                wanted.setdefault(Unit, set()).add(e.row_id)
            if e.table_name == "finding" and (code := _values(e).get("indicator_code")):
                self.finding_codes[e.row_id] = code
            for key, value in _pairs(e):
                model = _reference(e.table_name, key)
                if model is not None and value.isdigit():
                    wanted.setdefault(model, set()).add(int(value))
        self.names: dict[tuple[type, int], str] = {}
        for model, ids in wanted.items():
            self.names.update(((model, i), n) for i, n in _names_of(s, model, ids))
        unknown = {e.row_id for e in entries if e.table_name == "finding"} - set(self.finding_codes)
        if unknown:
            rows = s.execute(
                select(Finding.id, Finding.indicator_code).where(Finding.id.in_(unknown))
            )
            self.finding_codes.update({i: code for i, code in rows})

    def show(self, table: str, key: str, value: str) -> str:
        model = _reference(table, key)
        if model is None or not value.isdigit():
            return value
        return self.names.get((model, int(value)), f"（已删除，编号{value}）")

    def summary(self, table: str, values: dict[str, str], skip: set[str]) -> str:
        """「名称：…；网址：…」 of a whole record."""
        return "；".join(
            f"{field_label(table, k)}：{self.show(table, k, v)}"
            for k, v in values.items()
            if k not in skip
        )


def _pairs(e: AuditEntry) -> list[tuple[str, str]]:
    if e.action == "update":
        return [(e.field, e.old_value), (e.field, e.new_value)]
    return list(_values(e).items())


def _names_of(s: Session, model: type, ids: set[int]) -> Iterable[tuple[int, str]]:
    if model is RoundTarget:
        site, account = aliased(Website), aliased(Account)
        rows = s.execute(
            select(RoundTarget.id, site.name, account.name, Round.name)
            .join(Round, RoundTarget.round_id == Round.id)
            .outerjoin(site, RoundTarget.website_id == site.id)
            .outerjoin(account, RoundTarget.account_id == account.id)
            .where(RoundTarget.id.in_(ids))
        )
        return [(i, f"{w or a}（{r}）") for i, w, a, r in rows]
    if model is IndicatorSet:
        rows = s.execute(
            select(IndicatorSet.id, IndicatorSet.name, IndicatorSet.version).where(
                IndicatorSet.id.in_(ids)
            )
        )
        return [(i, f"{n}（第{v}版）") for i, n, v in rows]
    return [(i, n) for i, n in s.execute(select(model.id, model.name).where(model.id.in_(ids)))]


def _row(e: AuditEntry, names: _Names, indicator_names: dict[str, str]) -> AuditRow:
    """Field and values of one entry; parts of the record are named (检查项「…」, 责任单位 …)."""
    table, values = e.table_name, _values(e)
    label = field_label(table, e.field)
    if table == "finding":
        code = names.finding_codes.get(e.row_id, "")
        part = f"检查项「{indicator_names.get(code, code)}」"
        field = f"{part}·{label}" if e.action == "update" else part
        shown = names.summary(table, values, {"indicator_code", "target_id"})
    elif table == "rectification_unit":
        unit = names.show(table, "unit_id", str(e.row_id))
        field = f"责任单位「{unit}」·{label}" if e.action == "update" else "责任单位"
        shown = unit + ("（牵头单位）" if values.get("position") == "0" else "")
    elif table == "unit_alias":
        field = "别名" if e.field in ("", "alias") else f"别名·{label}"
        shown = values.get("alias", "")
    else:
        field = label if e.action == "update" else WHOLE_RECORD
        shown = names.summary(table, values, set())
    if e.action == "update":
        old = names.show(table, e.field, e.old_value) or "（空）"
        new = names.show(table, e.field, e.new_value) or "（空）"
    else:
        old, new = ("", shown) if e.action == "insert" else (shown, "")
    return AuditRow(e.id, e.at, e.user, ACTIONS.get(e.action, e.action), field, old, new)
