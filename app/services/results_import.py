"""Import earlier rounds' results (历史检查结果导入) from Excel into a named round.

Offices keep their earlier rounds only as results sheets: 编号/部门/评分/结果/主要问题 for
websites (新乡 附件1/附件2) or per-account lists with 检查结果/问题. :func:`plan_results` reads
the file and matches every row with the registry without writing; :func:`apply_results`
writes the plan in one transaction — the round (created when missing), its targets and the
scores, verdicts and problem texts exactly as given, so the round's 合格率 follows from them.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import scoring
from app.domain.text import clean_text, name_key
from app.errors import ConflictError, ImportFormatError, ValidationError
from app.io.registry_sheet import RESOURCE_DIR, ParsedRow, ParsedSheet, parse_results_sheet
from app.io.table_reader import ImportCancelled, list_sheets, read_table
from app.services.backup import backup_before
from app.services.import_common import CancelFn, ProgressFn, poll, refuse_bad_rows
from app.services.import_matching import Kind
from app.services.registry_import import PlanBadRow, PlanSheet
from app.services.results_matching import (
    NOUN,
    Record,
    RecordMatcher,
    RowError,
    cannot_register_reason,
    register_missing,
)
from app.services.rounds import RoundInput, in_scope
from db.enums import Platform, RoundKind, RoundStatus, TargetState, TargetType
from db.models import Account, Round, RoundTarget, Unit, UnitAlias, Website

if TYPE_CHECKING:
    from app.services.registry import Registry


IMPORTED_BY = "从Excel导入"
"""``checked_by`` of a result taken from a sheet (not scored with the checklist)."""
PASSED, FAILED = TargetState.PASSED.label, TargetState.FAILED.label

_LABELS = {"score": "评分", "verdict": "结果", "problems": "主要问题", "unit": "部门"}
_QUARTER = re.compile(r"(\d{4})\s*年?\s*第?\s*([一二三四1-4])\s*季度?")
_QUARTER_Q = re.compile(r"(\d{4})\s*[Qq]\s*([1-4])")
_IDENTITY = ("unit", "website_name", "url", "site_code", "website_kind", "region")
_ACCOUNT_IDENTITY = ("unit", "account_name", "platform", "account_id", "region")


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class MatchedRecord:
    """The registry site or account a row was matched to."""

    id: int
    name: str
    unit: str


@dataclass
class ResultRow:
    """One result read from the sheet (结果行), with the record it belongs to."""

    sheet: str
    sheet_row: int
    kind: Kind
    name: str
    """The name as written: 网站名称 / 账号名称, else the 部门 cell."""
    unit: str
    """单位/部门 as written ('' when the sheet has no such column)."""
    platform: Platform | None
    score: Decimal | None
    verdict: str
    """合格 or 不合格."""
    problems: str
    """主要问题 exactly as written ('无' stays '无')."""
    match: MatchedRecord | None = None
    cannot_register: str = ""
    """Why a row without a registry record cannot be registered ('' when it can)."""
    fields: dict[str, object] = field(default_factory=dict)
    """The identifying cells (unit, names, platform …), used to match again when applying."""

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED

    @property
    def score_text(self) -> str:
        """评分 as a notice writes it: '87', or the verdict when no score was given."""
        return scoring.format_score(self.score) if self.score is not None else self.verdict

    @property
    def kind_text(self) -> str:
        if self.kind == "website":
            return "政府网站"
        return self.platform.label if self.platform else "新媒体账号"

    @property
    def missing_text(self) -> str:
        """'台账中没有网站「市新局」' for a row without a registry record."""
        where = f"（{self.platform.label}）" if self.platform else ""
        return f"台账中没有{NOUN[self.kind]}「{self.name}」{where}"


@dataclass
class ResultsPlan:
    """The preview of a results import; nothing has been written yet."""

    path: str
    file_name: str
    round_name: str
    round_id: int | None
    """The existing round, or None when the import creates it."""
    window_start: date
    window_end: date
    sheets: list[PlanSheet] = field(default_factory=list)
    rows: list[ResultRow] = field(default_factory=list)
    bad_rows: list[PlanBadRow] = field(default_factory=list)
    overwrites: int = 0
    """Targets of the round whose checklist result (not an earlier import) is replaced."""

    @property
    def creates_round(self) -> bool:
        return self.round_id is None

    @property
    def matched(self) -> list[ResultRow]:
        return [r for r in self.rows if r.match is not None]

    @property
    def unmatched(self) -> list[ResultRow]:
        return [r for r in self.rows if r.match is None]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r.passed)

    @property
    def failed(self) -> int:
        return len(self.rows) - self.passed

    def blocking_rows(self, create_missing: bool) -> list[PlanBadRow]:
        """Rows that cannot be imported: bad rows, plus rows without a registry record
        (only those that cannot be registered when ``create_missing``)."""
        found = list(self.bad_rows)
        for row in self.unmatched:
            if not create_missing:
                found.append(PlanBadRow(row.sheet, row.sheet_row, row.missing_text))
            elif row.cannot_register:
                reason = f"{row.missing_text}，{row.cannot_register}"
                found.append(PlanBadRow(row.sheet, row.sheet_row, reason))
        order = {s.name: n for n, s in enumerate(self.sheets)}
        return sorted(found, key=lambda b: (order.get(b.sheet, 0), b.sheet_row))

    def importable(self, create_missing: bool) -> int:
        """Rows that would be written (with bad rows skipped)."""
        if create_missing:
            return sum(1 for r in self.rows if r.match is not None or not r.cannot_register)
        return len(self.matched)

    def summary_lines(self, create_missing: bool) -> list[str]:
        """The plan in Chinese, as the command line prints it."""
        lines = [f"文件「{self.file_name}」"]
        for sheet in self.sheets:
            if sheet.skipped:
                lines.append(f"  工作表「{sheet.name}」：已跳过（{sheet.skipped}）")
            else:
                noun = "政务新媒体" if sheet.kind == "account" else "政府网站"
                lines.append(f"  工作表「{sheet.name}」：{noun}检查结果 {sheet.rows} 条")
        window = f"数据采集时间 {self.window_start} 至 {self.window_end}"
        if self.creates_round:
            lines.append(f"检查轮次「{self.round_name}」：将新建（季度，{window}）")
        else:
            lines.append(f"检查轮次「{self.round_name}」：已有（{window}）")
        lines.append(
            f"结果 {len(self.rows)} 条：合格 {self.passed}、不合格 {self.failed}；"
            f"台账中已有 {len(self.matched)}、台账中没有 {len(self.unmatched)}、"
            f"错误行 {len(self.bad_rows)}"
        )
        if self.overwrites:
            lines.append(f"将覆盖本轮已逐项检查的结果 {self.overwrites} 个")
        if create_missing:
            new = [r for r in self.unmatched if not r.cannot_register]
            if new:
                lines.append(f"将登记到台账 {len(new)} 个：")
                lines += [f"  {r.kind_text}「{r.name}」（{r.unit or '—'}）" for r in new]
        blocking = self.blocking_rows(create_missing)
        if blocking:
            lines.append("错误行：")
            lines += [f"  {bad.text}" for bad in blocking]
        return lines


@dataclass(frozen=True)
class ResultsResult:
    """What :func:`apply_results` wrote."""

    round_id: int
    round_name: str
    round_created: bool
    imported: int
    changed: int
    unchanged: int
    passed: int
    failed: int
    targets_added: int
    registered: int
    new_units: tuple[str, ...]
    skipped_rows: int

    @property
    def text(self) -> str:
        created = "（新建）" if self.round_created else ""
        parts = [
            f"已导入检查轮次「{self.round_name}」{created}：结果 {self.imported} 条"
            f"（合格 {self.passed}、不合格 {self.failed}；更新 {self.changed}、无变化 {self.unchanged}）"
        ]
        if self.targets_added:
            parts.append(f"本轮新增检查对象 {self.targets_added} 个")
        if self.registered:
            parts.append(f"登记到台账 {self.registered} 个")
        if self.new_units:
            parts.append(f"新建单位 {len(self.new_units)} 个")
        if self.skipped_rows:
            parts.append(f"跳过错误行 {self.skipped_rows} 行")
        return "；".join(parts) + "。"


# ------------------------------------------------------------------------- pure rules


def quarter_window(name: str) -> tuple[date, date] | None:
    """First and last day of the quarter a round name like '2023年第一季度' names."""
    text = clean_text(name)
    found = _QUARTER.search(text) or _QUARTER_Q.search(text)
    if found is None:
        return None
    year, q = int(found.group(1)), found.group(2)
    quarter = int(q) if q.isdigit() else "一二三四".index(q) + 1
    last_month = quarter * 3
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return date(year, last_month - 2, 1), end


@lru_cache(maxsize=1)
def _verdict_words() -> dict[str, bool]:
    data = json.loads((RESOURCE_DIR / "column_synonyms.json").read_text(encoding="utf-8"))
    return {name_key(word): code == "passed" for word, code in data["values"]["verdict"].items()}


def _verdict(text: str) -> bool | None:
    """True for 合格, False for 不合格 (and their spellings), None for anything else."""
    return _verdict_words().get(name_key(text))


def read_result(
    row_no: int, fields: dict[str, object], headers: dict[str, str], rules: scoring.RuleSet
) -> tuple[Decimal | None, bool, str]:
    """(score, passed, problems) of one row, kept as written.

    Handles the 新乡 row 36/37 shape: 评分 holds 不合格, and the problems have shifted into
    结果 (taken as the problem text when 主要问题 is empty). A score without a verdict passes
    at the indicator set's pass mark (60).
    """

    def label(fld: str) -> str:
        return headers.get(fld) or _LABELS[fld]

    score_text = str(fields.get("score") or "")
    verdict_text = str(fields.get("verdict") or "")
    problems = str(fields.get("problems") or "")
    score: Decimal | None = None
    score_verdict: bool | None = None
    if score_text:
        score_verdict = _verdict(score_text)
        if score_verdict is None:
            score = _score(row_no, score_text, label("score"), rules)
    verdict: bool | None = None
    if verdict_text:
        verdict = _verdict(verdict_text)
        if verdict is None:
            if score_verdict is None or problems:
                raise RowError(
                    f"第{row_no}行「{label('verdict')}」：「{verdict_text}」无法识别，"
                    "应为“合格”或“不合格”"
                )
            problems = verdict_text  # shifted one column left (评分 = 不合格)
        elif score_verdict is not None and score_verdict != verdict:
            raise RowError(
                f"第{row_no}行：「{label('score')}」为“{score_text}”，「{label('verdict')}」"
                f"却为“{verdict_text}”，请核对"
            )
    if verdict is None:
        verdict = score_verdict
    if verdict is None and score is not None:
        verdict = score >= rules.pass_mark
    if verdict is None:
        raise RowError(
            f"第{row_no}行：没有检查结果（「{label('score')}」和「{label('verdict')}」都为空）"
        )
    return score, verdict, problems


def _score(row_no: int, text: str, label: str, rules: scoring.RuleSet) -> Decimal:
    try:
        value = Decimal(text.removesuffix("分").strip())
    except InvalidOperation:
        value = None
    top = rules.base + rules.bonus_cap
    if value is None or not value.is_finite():
        raise RowError(f"第{row_no}行「{label}」：「{text}」不是分数，也不是“不合格”")
    if not 0 <= value <= top:
        raise RowError(f"第{row_no}行「{label}」：分数 {text} 不在 0—{top} 之间")
    return value


# --------------------------------------------------------------------------------- plan


def plan_results(
    registry: Registry,
    path: str | Path,
    round_name: str,
    kind: Kind | None = None,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    window_start: date | None = None,
    window_end: date | None = None,
) -> ResultsPlan:
    """Read ``path`` and match its results with the registry and the round; writes nothing.

    ``kind`` None detects each sheet's kind (平台/账号 columns → accounts, else websites).
    A new round's data-collection window is ``window_start``/``window_end`` or the quarter
    its name gives. Raises ValidationError (no window), ConflictError (finalized round),
    ImportFormatError/FileAccessError for an unreadable file, ImportCancelled on cancel.
    """
    path = Path(path)
    name = clean_text(round_name)
    if not name:
        raise ValidationError("请填写要导入到的检查轮次名称，如 2023年第一季度。", "round")
    round_id = registry.rounds.find_id(name)
    if round_id is not None:
        existing = registry.rounds.get(round_id)
        _refuse_finalized(existing.name, existing.status)
        window = (existing.window_start, existing.window_end)
        set_ids = {"website": existing.website_set_id, "account": existing.account_set_id}
    else:
        window = _new_window(name, window_start, window_end)
        set_ids = {
            "website": registry.indicators.default_id(TargetType.WEBSITE),
            "account": registry.indicators.default_id(TargetType.ACCOUNT),
        }
    rules = {k: registry.indicators.rules(v) for k, v in set_ids.items()}
    plan = ResultsPlan(str(path), path.name, name, round_id, *window)
    sf = registry.db.session_factory
    with sf() as s:
        aliases = dict(s.execute(select(UnitAlias.alias, Unit.name).join(UnitAlias.unit)).all())
    parsed = _read_sheets(path, sheet, kind, aliases, plan, progress, cancel)
    headers: dict[str, dict[str, str]] = {}
    for sheet_data in parsed:
        headers[sheet_data.sheet_name] = sheet_data.columns
        for n, raw_row in enumerate(sheet_data.rows):
            poll(n, len(sheet_data.rows), progress, cancel)
            row = _result_row(sheet_data, raw_row, rules[sheet_data.kind], plan)
            if row is not None:
                plan.rows.append(row)
    with sf() as s:
        found, errors = RecordMatcher(s, window).match(plan.rows)
        kept: list[ResultRow] = []
        for i, row in enumerate(plan.rows):
            if i in errors:
                plan.bad_rows.append(PlanBadRow(row.sheet, row.sheet_row, errors[i]))
                continue
            record = found.get(i)
            if record is not None:
                row.match = MatchedRecord(record.id, record.name, record.unit.name)
            else:
                row.cannot_register = cannot_register_reason(row, headers[row.sheet])
            kept.append(row)
        plan.rows = kept
        if round_id is not None:
            plan.overwrites = _overwrites(s, round_id, plan.matched)
    order = {s.name: n for n, s in enumerate(plan.sheets)}
    plan.bad_rows.sort(key=lambda b: (order.get(b.sheet, 0), b.sheet_row))
    return plan


def _refuse_finalized(name: str, status: RoundStatus) -> None:
    if status is RoundStatus.FINALIZED:
        raise ConflictError(
            f"检查轮次「{name}」已定稿（通报已印发），不能再导入检查结果。"
            "如需修改请先重新打开该轮次。"
        )


def _new_window(name: str, start: date | None, end: date | None) -> tuple[date, date]:
    if start is not None and end is not None:
        if end < start:
            raise ValidationError(
                f"数据采集结束日期 {end} 早于开始日期 {start}，请检查。", "window_end"
            )
        return start, end
    window = quarter_window(name)
    if window is None:
        raise ValidationError(
            f"检查轮次「{name}」还不存在，导入时将新建；但无法从名称看出是哪个季度，"
            "请指定数据采集的开始和结束日期（命令行加 --window 开始日期 结束日期，"
            "如 --window 2023-01-01 2023-03-25）。",
            "window_start",
        )
    return window


def _read_sheets(
    path: Path,
    sheet: str | None,
    kind: Kind | None,
    aliases: dict[str, str],
    plan: ResultsPlan,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> list[ParsedSheet]:
    """Parse the chosen sheet, or every sheet with a results header (noting the others)."""
    names = [sheet] if sheet is not None else list_sheets(path)
    parsed: list[ParsedSheet] = []
    for name in names:
        try:
            result = parse_results_sheet(read_table(path, name, progress, cancel), aliases, kind)
        except ImportFormatError as exc:
            if len(names) == 1:
                raise
            plan.sheets.append(PlanSheet(name, skipped=exc.message))
            continue
        parsed.append(result)
        plan.sheets.append(PlanSheet(name, result.kind, len(result.rows), dict(result.columns)))
        plan.bad_rows += [PlanBadRow(name, b.sheet_row, b.reason) for b in result.bad_rows]
    if not parsed:
        reasons = "；".join(f"「{s.name}」{s.skipped}" for s in plan.sheets)
        raise ImportFormatError(f"文件「{path.name}」中没有检查结果表：{reasons}")
    return parsed


def _result_row(
    sheet: ParsedSheet, row: ParsedRow, rules: scoring.RuleSet, plan: ResultsPlan
) -> ResultRow | None:
    f = row.fields
    try:
        score, passed, problems = read_result(row.sheet_row, f, sheet.columns, rules)
    except RowError as exc:
        plan.bad_rows.append(PlanBadRow(sheet.sheet_name, row.sheet_row, str(exc)))
        return None
    unit = str(f.get("unit_as_written") or f.get("unit") or "")
    if sheet.kind == "account":
        name = str(f.get("account_name") or "")
        identity = _ACCOUNT_IDENTITY
    else:
        name = str(f.get("website_name") or unit)
        identity = _IDENTITY
    platform = f.get("platform")
    return ResultRow(
        sheet=sheet.sheet_name,
        sheet_row=row.sheet_row,
        kind=sheet.kind,
        name=name,
        unit=unit,
        platform=platform if isinstance(platform, Platform) else None,
        score=score,
        verdict=PASSED if passed else FAILED,
        problems=problems,
        fields={k: f[k] for k in identity if f.get(k) not in (None, "")},
    )


def _overwrites(s: Session, round_id: int, rows: Iterable[ResultRow]) -> int:
    """Checked targets (by checklist, not by an earlier import) the import would replace."""
    wanted = {(r.kind, r.match.id) for r in rows if r.match is not None}
    count = 0
    for t in s.scalars(select(RoundTarget).where(RoundTarget.round_id == round_id)):
        key = ("website", t.website_id) if t.website_id else ("account", t.account_id)
        if key in wanted and t.state is not TargetState.PENDING and t.checked_by != IMPORTED_BY:
            count += 1
    return count


# -------------------------------------------------------------------------------- apply


def apply_results(
    registry: Registry,
    plan: ResultsPlan,
    *,
    create_missing: bool,
    skip_bad_rows: bool,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ResultsResult:
    """Write ``plan`` in one transaction; any error or a cancel leaves everything untouched.

    Rows are matched again inside the transaction. Rows without a registry record are
    registered when ``create_missing``, else they are bad rows. Bad rows raise
    ValidationError unless ``skip_bad_rows``; a finalized round raises ConflictError.
    """
    blocking = plan.blocking_rows(create_missing)
    if not skip_bad_rows:
        hint = "" if create_missing else "；台账中没有的网站/账号可选择登记到台账"
        refuse_bad_rows([b.text for b in blocking], hint)
    total = len(plan.rows)
    backup_before(registry.db.path, "import")  # 导入前自动备份
    with registry.db.session_factory.begin() as s:
        round_, created = _round_for(registry, s, plan)
        found, errors = RecordMatcher(s, (round_.window_start, round_.window_end)).match(plan.rows)
        skipped = len(plan.bad_rows)
        wanted: list[tuple[ResultRow, Record | None]] = []
        for i, row in enumerate(plan.rows):
            problem = errors.get(i)
            if problem is None and i not in found:
                if not create_missing:
                    problem = row.missing_text
                elif row.cannot_register:
                    problem = f"{row.missing_text}，{row.cannot_register}"
            if problem is not None:
                if not skip_bad_rows:
                    bad = PlanBadRow(row.sheet, row.sheet_row, problem)
                    raise ValidationError(f"{bad.text}（未写入任何数据）")
                skipped += 1
                continue
            wanted.append((row, found.get(i)))
        new_units = register_missing(registry, s, plan, wanted)
        targets_added = _add_targets(s, round_, created, [r for _row, r in wanted])
        counts = {"changed": 0, "unchanged": 0}
        now = datetime.now()
        by_record = _targets_by_record(s, round_.id)
        for n, (row, record) in enumerate(wanted):
            poll(n, total, progress, cancel)
            assert record is not None
            target = by_record[(row.kind, record.id)]
            counts["changed" if _write(target, row, now) else "unchanged"] += 1
        if cancel is not None and cancel():
            raise ImportCancelled()
        if progress is not None:
            progress(total, total)
        passed = sum(1 for row, _r in wanted if row.passed)
        return ResultsResult(
            round_id=round_.id,
            round_name=round_.name,
            round_created=created,
            imported=len(wanted),
            changed=counts["changed"],
            unchanged=counts["unchanged"],
            passed=passed,
            failed=len(wanted) - passed,
            targets_added=targets_added,
            registered=sum(1 for row, _r in wanted if row.match is None),
            new_units=tuple(new_units),
            skipped_rows=skipped,
        )


def _round_for(registry: Registry, s: Session, plan: ResultsPlan) -> tuple[Round, bool]:
    """The round named in the plan, created (with the national indicator sets) when missing."""
    round_ = s.scalar(select(Round).where(Round.name == plan.round_name))
    if round_ is not None:
        _refuse_finalized(round_.name, round_.status)
        return round_, False
    data = RoundInput(
        name=plan.round_name,
        kind=RoundKind.QUARTERLY,
        window_start=plan.window_start,
        window_end=plan.window_end,
        website_set_id=registry.indicators.default_id(TargetType.WEBSITE),
        account_set_id=registry.indicators.default_id(TargetType.ACCOUNT),
        note=f"由「{plan.file_name}」导入检查结果时新建",
    )
    round_ = Round()
    registry.rounds.fill(s, round_, data)  # the same checks as 新建轮次, in this transaction
    s.add(round_)
    s.flush()
    return round_, True


def _add_targets(s: Session, round_: Round, created: bool, records: list[Record | None]) -> int:
    """A new round covers every site/account running in its window (as 新建轮次 does); an
    imported record not yet in the round is added. Returns how many of those were added."""
    have = _targets_by_record(s, round_.id)

    def add(record: Record) -> bool:
        kind = "website" if isinstance(record, Website) else "account"
        if (kind, record.id) in have:
            return False
        target = RoundTarget(round_id=round_.id)
        if isinstance(record, Website):
            target.website_id = record.id
        else:
            target.account_id = record.id
        s.add(target)
        have[(kind, record.id)] = target
        return True

    if created:
        start, end = round_.window_start, round_.window_end
        for model in (Website, Account):
            for rec in s.scalars(select(model).order_by(model.id)):
                if in_scope(rec.opened_on, rec.closed_on, start, end):
                    add(rec)
    added = sum(1 for r in records if r is not None and add(r))
    s.flush()
    return added


def _targets_by_record(s: Session, round_id: int) -> dict[tuple[str, int], RoundTarget]:
    found: dict[tuple[str, int], RoundTarget] = {}
    for t in s.scalars(select(RoundTarget).where(RoundTarget.round_id == round_id)):
        if t.website_id is not None:
            found[("website", t.website_id)] = t
        elif t.account_id is not None:
            found[("account", t.account_id)] = t
    return found


def _write(t: RoundTarget, row: ResultRow, now: datetime) -> bool:
    """Store the row's result on its target; False when it already holds exactly that."""
    state = TargetState.PASSED if row.passed else TargetState.FAILED
    same = (
        t.state is state
        and t.score == row.score
        and t.problem_text == row.problems
        and t.problem_text_manual
        and t.checked_by == IMPORTED_BY
        and not t.findings
    )
    if same:
        return False
    t.findings.clear()  # a checklist's findings would contradict the result as given
    t.state, t.score = state, row.score
    t.problem_text, t.problem_text_manual = row.problems, True
    t.checked_at, t.checked_by = now, IMPORTED_BY
    return True
