"""总览: what needs attention today and how the region is doing over time, as plain figures.

Every figure the 总览 tab, its charts and the year report show is computed here (no Qt):

- 合格率 of a round and kind = 合格 ÷ 已检 (合格 + 不合格), the figure of 本轮统计 and of the
  notices once a round is complete.
- 问题数 of a site or account in a round = the indicators it was marked down on (单项否决 and
  扣分; 加分 is not a problem), or, for results imported without a checklist, the parts of its
  主要问题 text (「没有咨询建言(单否);空白栏目-10」 = 2).
- 按期整改率 of a round = its rectification items fixed by their deadline ÷ its items that are
  due (deadline before today) or already fixed; items still within their term and not fixed
  yet are left out until they are. An item counts as fixed on the day of the unit's report that
  a passing re-check confirmed (or of the re-check when no report came), as in the notices.
- 被通报: a unit is named in a round when one of its sites or accounts was 不合格 there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deadlines import DUE_SOON_DAYS, Urgency
from app.domain.problems import problem_parts
from app.domain.rates import pass_rate, pass_rate_decimal
from app.services.indicators import IndicatorService
from app.services.notice import PROFILE_KEY
from app.services.rectification import ItemRow, RectificationService
from app.services.settings import read_setting, write_setting
from app.services.stats import Counts
from db.enums import FilingStatus, RoundStatus, TargetState, TargetType
from db.models import Account, Finding, Round, RoundTarget, Unit, Website

NO_REGION = "（未填县区）"
ISSUER_KEY = "overview.year_report_issuer"
TREND_ROUNDS = 12  # rounds shown in the per-round charts
PROBLEM_ROUNDS = 4  # rounds the 问题较多的单位 chart looks back over
TOP_UNITS = 10


class LinkKind(StrEnum):
    WEBSITE = "website"
    ACCOUNT = "account"
    ROUND = "round"
    ROUND_TARGET = "round_target"
    RECTIFICATION = "rectification"


@dataclass(frozen=True)
class Link:
    """Where a line of the overview leads: a registry record, a round, a target or an item."""

    kind: LinkKind
    record_id: int
    round_id: int | None = None


class Attention(Enum):
    """Kinds of lines on the 今日 list; the value is what the clerk reads."""

    OVERDUE = "整改逾期"
    DUE_SOON = f"{DUE_SOON_DAYS}日内到期"
    UNFILED = "未备案"
    LATE_FILING = "未及时备案"
    ZOMBIE = "僵尸/空壳"
    NOT_INSPECTED = "上轮未检"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class RoundProgress:
    round_id: int
    name: str
    finalized: bool
    total: int
    checked: int
    passed: int
    failed: int

    @property
    def text(self) -> str:
        return f"已检 {self.checked} / {self.total}"


@dataclass(frozen=True)
class AttentionLine:
    category: Attention
    name: str
    kind_text: str  # 政府网站 or the account's platform
    unit_name: str
    region: str
    detail: str
    link: Link
    day: date | None = None  # the deadline of a rectification item


@dataclass(frozen=True)
class UnitDue:
    """整改催办 of one unit: its overdue items and those due within three days."""

    unit_name: str
    overdue: int
    due_soon: int
    most_days_late: int


@dataclass(frozen=True)
class TodayOverview:
    registry_empty: bool
    round_count: int
    current_round: RoundProgress | None  # the latest round, while it is open (进行中)
    last_round: RoundProgress | None  # the latest round: 上轮未检 refers to it
    lines: list[AttentionLine]
    by_unit: list[UnitDue]

    def count(self, category: Attention) -> int:
        return sum(1 for line in self.lines if line.category is category)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: nothing to show for that category
    labels: tuple[str, ...]  # value texts as the notices write them ("95.7%", "100%", "3")


@dataclass(frozen=True)
class ChartData:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = True  # values are rates 0–100
    note: str = ""  # what the figure means, shown under the chart
    empty_text: str = "暂无数据"

    @property
    def is_empty(self) -> bool:
        return all(v is None for s in self.series for v in s.values)


@dataclass(frozen=True)
class RoundRate:
    """One round's results per kind."""

    round_id: int
    name: str
    window_start: date
    window_end: date
    websites: Counts
    accounts: Counts


@dataclass(frozen=True)
class UnitTally:
    """A unit's problems and failures over some rounds."""

    unit_name: str
    region: str
    problems: int
    failed: int  # 不合格 sites/accounts, counted once per round
    rounds_named: tuple[str, ...]  # rounds in which it had a 不合格 site or account


@dataclass(frozen=True)
class ProblemCount:
    kind: TargetType
    problem: str
    times: int  # sites/accounts found with it, summed over the rounds
    units: int  # distinct units concerned


@dataclass(frozen=True)
class RoundOnTime:
    """按期整改 of one round's rectification items (as of ``today``)."""

    round_id: int
    name: str
    items: int
    due: int  # deadline passed or already fixed
    on_time: int
    open_overdue: int  # due, not fixed yet

    @property
    def late(self) -> int:
        return self.due - self.on_time

    @property
    def rate(self) -> str:
        return pass_rate(self.on_time, self.due)


@dataclass(frozen=True)
class YearSummary:
    year: int
    rounds: list[RoundRate]
    websites: Counts  # summed over the year's rounds (a site checked twice counts twice)
    accounts: Counts
    problems: list[ProblemCount]
    units: list[UnitTally]  # units named most often (不合格), most first
    rectification: list[RoundOnTime]

    @property
    def rectification_total(self) -> RoundOnTime:
        rows = self.rectification
        return RoundOnTime(
            0,
            f"{self.year}年合计",
            sum(r.items for r in rows),
            sum(r.due for r in rows),
            sum(r.on_time for r in rows),
            sum(r.open_overdue for r in rows),
        )


@dataclass(frozen=True)
class _Round:
    id: int
    name: str
    window_start: date
    window_end: date
    finalized: bool
    website_set_id: int
    account_set_id: int


@dataclass(frozen=True)
class _Target:
    round_id: int
    kind: TargetType
    unit_name: str
    region: str
    state: TargetState
    problems: tuple[str, ...]


class OverviewService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        rectification: RectificationService,
        indicators: IndicatorService,
    ) -> None:
        self._sf = session_factory
        self._rectification = rectification
        self._indicators = indicators

    # -- today ----------------------------------------------------------------------------
    def today(self, today: date) -> TodayOverview:
        """What needs attention on ``today``: the round in progress, late and due items,
        flagged accounts, and running sites/accounts the last round did not inspect."""
        items = self._rectification.list(today)
        with self._sf() as s:
            rounds = _rounds(s)
            last = _progress(s, rounds[-1]) if rounds else None
            current = last if last is not None and not last.finalized else None
            records = _running_records(s)
            lines = _item_lines(items, today)
            lines += _account_lines([r for r in records if r.kind is TargetType.ACCOUNT])
            if last is not None:
                lines += _uninspected_lines(s, last, records, today)
            order = list(Attention)
            lines.sort(key=lambda line: order.index(line.category))  # stable: keeps unit order
            empty = all(
                s.scalar(select(model.id).limit(1)) is None for model in (Unit, Website, Account)
            )
        return TodayOverview(empty, len(rounds), current, last, lines, _by_unit(items, today))

    # -- trends ---------------------------------------------------------------------------
    def round_rates(self) -> list[RoundRate]:
        """Every round's results per kind, oldest first."""
        with self._sf() as s:
            rounds = _rounds(s)
            return _rates(rounds, self._targets(s, rounds))

    def region_chart(self, round_id: int) -> ChartData:
        """合格率 by 县区 for one round, websites and accounts side by side."""
        with self._sf() as s:
            found = [r for r in _rounds(s) if r.id == round_id]
            targets = self._targets(s, found)
        name = found[0].name if found else ""
        by_region: dict[str, dict[TargetType, list[TargetState]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for t in targets:
            by_region[t.region][t.kind].append(t.state)
        regions = sorted(by_region, key=lambda r: (r == NO_REGION, r))
        series = tuple(
            _rate_series(kind.label, [_counts(by_region[r][kind]) for r in regions])
            for kind in (TargetType.WEBSITE, TargetType.ACCOUNT)
        )
        return ChartData(
            f"{name}各县区合格率" if name else "各县区合格率",
            tuple(regions),
            series,
            note="合格率 = 合格 ÷ 已检（合格＋不合格）；县区按主办单位（新媒体按账号所属县区）。",
            empty_text="所选轮次还没有检查结果。",
        )

    def problem_units(
        self, rounds: int = PROBLEM_ROUNDS, top: int = TOP_UNITS
    ) -> tuple[list[str], list[UnitTally]]:
        """The units with the most problems over the last ``rounds`` rounds (names, units)."""
        with self._sf() as s:
            recent = _rounds(s)[-rounds:]
            targets = self._targets(s, recent)
        names = {r.id: r.name for r in recent}
        tallies = _unit_tallies(targets, names)
        tallies.sort(key=lambda u: (-u.problems, -u.failed, u.unit_name))
        return [r.name for r in recent], [u for u in tallies if u.problems][:top]

    def on_time(self, today: date) -> list[RoundOnTime]:
        """按期整改 per round (rounds with rectification items), oldest first."""
        with self._sf() as s:
            rounds = _rounds(s)
        return _on_time(rounds, self._rectification.list(today), today)

    # -- year -----------------------------------------------------------------------------
    def years(self) -> list[int]:
        """Years with rounds (by the end of their data-collection window), latest first."""
        with self._sf() as s:
            return sorted({r.window_end.year for r in _rounds(s)}, reverse=True)

    def year_summary(self, year: int, today: date, top: int = 15) -> YearSummary:
        with self._sf() as s:
            rounds = [r for r in _rounds(s) if r.window_end.year == year]
            targets = self._targets(s, rounds)
        rates = _rates(rounds, targets)
        names = {r.id: r.name for r in rounds}
        units = [u for u in _unit_tallies(targets, names) if u.rounds_named]
        units.sort(key=lambda u: (-len(u.rounds_named), -u.failed, -u.problems, u.unit_name))
        return YearSummary(
            year,
            rates,
            _sum_counts(r.websites for r in rates),
            _sum_counts(r.accounts for r in rates),
            _problem_counts(targets)[:top],
            units[:top],
            _on_time(rounds, self._rectification.list(today), today),
        )

    def report_issuer(self) -> str:
        """The 落款 of the year report, as last entered (else the notices' 发文机关)."""
        with self._sf() as s:
            saved = read_setting(s, ISSUER_KEY)
            if saved is not None:
                return str(saved)
            profile = read_setting(s, PROFILE_KEY)
            return str(profile.get("issuer", "")) if isinstance(profile, dict) else ""

    def save_report_issuer(self, issuer: str) -> None:
        with self._sf.begin() as s:
            write_setting(s, ISSUER_KEY, issuer.strip())

    # -- loading --------------------------------------------------------------------------
    def _targets(self, s: Session, rounds: Sequence[_Round]) -> list[_Target]:
        """The checked-or-not targets of ``rounds`` with unit, region and problem names."""
        if not rounds:
            return []
        ids = [r.id for r in rounds]
        base = (RoundTarget.id, RoundTarget.round_id, RoundTarget.state, RoundTarget.problem_text)
        sites = s.execute(
            select(*base, Unit.name, Unit.region)
            .join(Website, Website.id == RoundTarget.website_id)
            .join(Unit, Unit.id == Website.unit_id)
            .where(RoundTarget.round_id.in_(ids))
        ).all()
        accounts = s.execute(
            select(*base, Unit.name, Account.region, Unit.region)
            .join(Account, Account.id == RoundTarget.account_id)
            .join(Unit, Unit.id == Account.unit_id)
            .where(RoundTarget.round_id.in_(ids))
        ).all()
        codes: dict[int, list[str]] = defaultdict(list)
        for target_id, code in s.execute(
            select(Finding.target_id, Finding.indicator_code)
            .join(RoundTarget, RoundTarget.id == Finding.target_id)
            .where(RoundTarget.round_id.in_(ids))
            .order_by(Finding.id)
        ):
            codes[target_id].append(code)
        by_id = {r.id: r for r in rounds}
        names = _IndicatorNames(self._indicators)
        rows = [(row, TargetType.WEBSITE, row[5]) for row in sites]
        rows += [(row, TargetType.ACCOUNT, row[5] or row[6]) for row in accounts]
        targets = []
        for row, kind, region in rows:
            target_id, round_id, state, text, unit_name = row[:5]
            round_ = by_id[round_id]
            set_id = round_.website_set_id if kind is TargetType.WEBSITE else round_.account_set_id
            if state is TargetState.PENDING:
                problems: tuple[str, ...] = ()
            elif codes.get(target_id):
                problems = names.problems(set_id, codes[target_id])
            else:
                problems = tuple(problem_parts(text))
            targets.append(_Target(round_id, kind, unit_name, region or NO_REGION, state, problems))
        return targets


class _IndicatorNames:
    """Problem names of findings: the indicators' short names, as 主要问题 writes them."""

    def __init__(self, indicators: IndicatorService) -> None:
        self._indicators = indicators
        self._names: dict[int, dict[str, str | None]] = {}

    def problems(self, set_id: int, codes: list[str]) -> tuple[str, ...]:
        if set_id not in self._names:
            rules = self._indicators.rules(set_id)
            self._names[set_id] = {
                i.code: None if i.part == "bonus" else (i.short_name or i.name)
                for i in rules.indicators
            }
        known = self._names[set_id]
        found = [known.get(code, code) for code in codes]
        return tuple(dict.fromkeys(name for name in found if name))


# -- charts ---------------------------------------------------------------------------------
def pass_rate_chart(rates: Sequence[RoundRate], limit: int = TREND_ROUNDS) -> ChartData:
    """合格率 per round (the last ``limit`` rounds), websites and accounts."""
    shown = list(rates)[-limit:]
    return ChartData(
        "各轮次合格率",
        tuple(
            f"{r.name}（未检完）" if r.websites.pending + r.accounts.pending else r.name
            for r in shown
        ),  # fmt: skip
        (
            _rate_series(TargetType.WEBSITE.label, [r.websites for r in shown]),
            _rate_series(TargetType.ACCOUNT.label, [r.accounts for r in shown]),
        ),
        note="合格率 = 合格 ÷ 已检（合格＋不合格），与本轮统计、通报口径一致；未检完的轮次按已检部分计算。",
        empty_text="还没有检查结果：在“检查”页新建轮次并录入结果后，这里显示各轮合格率。",
    )


def problem_units_chart(round_names: Sequence[str], units: Sequence[UnitTally]) -> ChartData:
    span = f"近{len(round_names)}轮" if round_names else ""
    return ChartData(
        f"{span}问题较多的单位",
        tuple(u.unit_name for u in units),
        (
            Series(
                "问题数",
                tuple(float(u.problems) for u in units),
                tuple(str(u.problems) for u in units),
            ),
        ),
        percent=False,
        note=(
            f"问题数 = {('、'.join(round_names) or '各轮')}中该单位网站和新媒体被扣分或单项否决的"
            "指标个数（导入的结果按“主要问题”所列问题计）。"
        ),
        empty_text="最近几轮没有发现问题。",
    )


def on_time_chart(rows: Sequence[RoundOnTime], limit: int = TREND_ROUNDS) -> ChartData:
    shown = list(rows)[-limit:]
    return ChartData(
        "各轮次按期整改率",
        tuple(r.name for r in shown),
        (
            Series(
                "按期整改率",
                tuple(_as_float(pass_rate_decimal(r.on_time, r.due)) for r in shown),
                tuple(r.rate for r in shown),
            ),
        ),
        note=(
            "按期整改率 = 在整改期限内完成整改的问题 ÷ 已到期（或已完成整改）的问题；"
            "完成日期以复查确认的单位报送日期为准，尚在期限内的问题不计入。"
        ),
        empty_text="还没有整改事项：检查发现的问题会自动进入整改跟踪。",
    )


def year_rate_chart(summary: YearSummary) -> ChartData:
    chart = pass_rate_chart(summary.rounds, limit=len(summary.rounds))
    return ChartData(
        f"{summary.year}年各轮次合格率",
        chart.categories,
        chart.series,
        note=chart.note,
        empty_text=f"{summary.year}年没有检查轮次。",
    )


# -- helpers --------------------------------------------------------------------------------
def _rounds(s: Session) -> list[_Round]:
    """All rounds, oldest first (by the end of the data-collection window)."""
    return [
        _Round(
            r.id,
            r.name,
            r.window_start,
            r.window_end,
            r.status is RoundStatus.FINALIZED,
            r.website_set_id,
            r.account_set_id,
        )
        for r in s.scalars(select(Round).order_by(Round.window_end, Round.window_start, Round.id))
    ]


def _progress(s: Session, r: _Round) -> RoundProgress:
    states = list(s.scalars(select(RoundTarget.state).where(RoundTarget.round_id == r.id)))
    counts = _counts(states)
    return RoundProgress(
        r.id,
        r.name,
        r.finalized,
        counts.total,
        counts.total - counts.pending,
        counts.passed,
        counts.failed,
    )


def _counts(states: Iterable[TargetState]) -> Counts:
    states = list(states)
    return Counts(
        total=len(states),
        passed=states.count(TargetState.PASSED),
        failed=states.count(TargetState.FAILED),
        pending=states.count(TargetState.PENDING),
    )


def _sum_counts(counts: Iterable[Counts]) -> Counts:
    counts = list(counts)
    return Counts(
        sum(c.total for c in counts),
        sum(c.passed for c in counts),
        sum(c.failed for c in counts),
        sum(c.pending for c in counts),
    )


def _as_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _rate_series(name: str, counts: Sequence[Counts]) -> Series:
    checked = [(c.passed, c.passed + c.failed) for c in counts]
    return Series(
        name,
        tuple(_as_float(pass_rate_decimal(p, n)) for p, n in checked),
        tuple(pass_rate(p, n) if n else "" for p, n in checked),
    )


def _rates(rounds: Sequence[_Round], targets: Sequence[_Target]) -> list[RoundRate]:
    states: dict[tuple[int, TargetType], list[TargetState]] = defaultdict(list)
    for t in targets:
        states[(t.round_id, t.kind)].append(t.state)
    return [
        RoundRate(
            r.id,
            r.name,
            r.window_start,
            r.window_end,
            _counts(states[(r.id, TargetType.WEBSITE)]),
            _counts(states[(r.id, TargetType.ACCOUNT)]),
        )
        for r in rounds
    ]


def _unit_tallies(targets: Sequence[_Target], round_names: dict[int, str]) -> list[UnitTally]:
    problems: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    named: dict[str, set[int]] = defaultdict(set)
    region: dict[str, str] = {}
    for t in targets:
        region.setdefault(t.unit_name, t.region)
        problems[t.unit_name] += len(t.problems)
        if t.state is TargetState.FAILED:
            failed[t.unit_name] += 1
            named[t.unit_name].add(t.round_id)
    order = list(round_names)
    return [
        UnitTally(
            unit,
            region[unit],
            problems[unit],
            failed[unit],
            tuple(round_names[i] for i in order if i in named[unit]),
        )
        for unit in region
        if problems[unit] or failed[unit]
    ]


def _problem_counts(targets: Sequence[_Target]) -> list[ProblemCount]:
    times: dict[tuple[TargetType, str], int] = defaultdict(int)
    units: dict[tuple[TargetType, str], set[str]] = defaultdict(set)
    for t in targets:
        for problem in t.problems:
            times[(t.kind, problem)] += 1
            units[(t.kind, problem)].add(t.unit_name)
    rows = [ProblemCount(kind, p, n, len(units[(kind, p)])) for (kind, p), n in times.items()]
    rows.sort(key=lambda r: (-r.times, -r.units, r.kind != TargetType.WEBSITE, r.problem))
    return rows


def _on_time(rounds: Sequence[_Round], items: Sequence[ItemRow], today: date) -> list[RoundOnTime]:
    by_round: dict[int, list[ItemRow]] = defaultdict(list)
    for item in items:
        if item.round_id is not None:
            by_round[item.round_id].append(item)
    rows = []
    for r in rounds:
        mine = by_round.get(r.id)
        if not mine:
            continue
        fixed = [(i.fixed_on, i.deadline) for i in mine]
        due = [(f, d) for f, d in fixed if f is not None or d < today]
        rows.append(
            RoundOnTime(
                r.id,
                r.name,
                len(mine),
                len(due),
                sum(1 for f, d in due if f is not None and f <= d),
                sum(1 for f, _ in due if f is None),
            )
        )
    return rows


def _item_lines(items: Sequence[ItemRow], today: date) -> list[AttentionLine]:
    """Overdue and soon-due rectification items, by (lead) unit, most urgent first."""
    lines = []
    for item in items:
        if item.urgency is Urgency.OVERDUE:
            category = Attention.OVERDUE
            detail = f"逾期 {item.days_late(today)} 天（期限 {item.deadline.isoformat()}）"
        elif item.urgency is Urgency.DUE_SOON:
            left = (item.deadline - today).days
            category = Attention.DUE_SOON
            when = "今天到期" if left == 0 else f"{left} 天后到期"
            detail = f"{when}（期限 {item.deadline.isoformat()}）"
        else:
            continue
        lines.append(
            AttentionLine(
                category,
                item.target_name or "（未关联网站或账号）",
                _kind_text(item.target_kind, item.target_subtype),
                item.units_text,
                item.region,
                f"{detail}：{item.problem_text}",
                Link(LinkKind.RECTIFICATION, item.id, item.round_id),
                item.deadline,
            )
        )
    lines.sort(key=lambda line: (line.unit_name, line.day, line.name))
    return lines


def _by_unit(items: Sequence[ItemRow], today: date) -> list[UnitDue]:
    """整改催办 by responsible unit (an item with two units counts for both)."""
    overdue: dict[str, int] = defaultdict(int)
    soon: dict[str, int] = defaultdict(int)
    late: dict[str, int] = defaultdict(int)
    for item in items:
        for unit in item.unit_names:
            if item.urgency is Urgency.OVERDUE:
                overdue[unit] += 1
                late[unit] = max(late[unit], item.days_late(today))
            elif item.urgency is Urgency.DUE_SOON:
                soon[unit] += 1
    units = set(overdue) | set(soon)
    rows = [UnitDue(u, overdue[u], soon[u], late[u]) for u in units]
    rows.sort(key=lambda r: (-r.overdue, -r.due_soon, -r.most_days_late, r.unit_name))
    return rows


@dataclass(frozen=True)
class _Record:
    """A website or account running today, as the 今日 lines need it."""

    kind: TargetType
    id: int
    name: str
    kind_text: str
    unit_name: str
    region: str
    opened_on: date | None
    filing: FilingStatus | None = None
    flags: tuple[str, ...] = ()


def _running_records(s: Session) -> list[_Record]:
    """Websites, then accounts, not closed; by unit and name (plain columns: 10 000 are quick)."""
    sites = s.execute(
        select(Website.id, Website.name, Website.opened_on, Unit.name, Unit.region)
        .join(Unit, Unit.id == Website.unit_id)
        .where(Website.closed_on.is_(None))
        .order_by(Unit.name, Website.name)
    )
    records = [
        _Record(TargetType.WEBSITE, id_, name, TargetType.WEBSITE.label, unit, region, opened)
        for id_, name, opened, unit, region in sites
    ]
    accounts = s.execute(
        select(
            Account.id,
            Account.name,
            Account.opened_on,
            Unit.name,
            Account.region,
            Unit.region,
            Account.platform,
            Account.filing_status,
            Account.is_zombie,
            Account.is_empty_shell,
        )
        .join(Unit, Unit.id == Account.unit_id)
        .where(Account.closed_on.is_(None))
        .order_by(Unit.name, Account.name)
    )
    for id_, name, opened, unit, region, unit_region, platform, filing, zombie, shell in accounts:
        flags = tuple(t for on, t in ((zombie, "僵尸"), (shell, "空壳")) if on)
        records.append(
            _Record(
                TargetType.ACCOUNT,
                id_,
                name,
                platform.label,
                unit,
                region or unit_region,
                opened,
                filing,
                flags,
            )
        )
    return records


_FILING_LINES = {
    FilingStatus.UNFILED: (Attention.UNFILED, "未备案：请督促主办单位备案"),
    FilingStatus.LATE: (Attention.LATE_FILING, "未及时备案：请核实备案情况"),
}


def _account_lines(records: Sequence[_Record]) -> list[AttentionLine]:
    """Running accounts flagged 未备案, 未及时备案, 僵尸 or 空壳."""
    lines = []
    for r in records:
        link = Link(LinkKind.ACCOUNT, r.id)
        if r.filing in _FILING_LINES:
            category, text = _FILING_LINES[r.filing]
            lines.append(
                AttentionLine(category, r.name, r.kind_text, r.unit_name, r.region, text, link)
            )
        if r.flags:
            text = "、".join(r.flags) + "账号：请核实后整改或关停"
            lines.append(
                AttentionLine(
                    Attention.ZOMBIE, r.name, r.kind_text, r.unit_name, r.region, text, link
                )
            )
    return lines


def _uninspected_lines(
    s: Session, last: RoundProgress, records: Sequence[_Record], today: date
) -> list[AttentionLine]:
    """Sites and accounts running today that ``last`` did not inspect: not in its scope, or
    (once it is finalized) left 未检. While it is open, its 未检 are its progress instead."""
    pending: dict[tuple[TargetType, int], int] = {}
    covered: set[tuple[TargetType, int]] = set()
    for target_id, website_id, account_id, state in s.execute(
        select(
            RoundTarget.id, RoundTarget.website_id, RoundTarget.account_id, RoundTarget.state
        ).where(RoundTarget.round_id == last.round_id)
    ):
        key = (TargetType.WEBSITE, website_id) if website_id else (TargetType.ACCOUNT, account_id)
        covered.add(key)
        if state is TargetState.PENDING and last.finalized:
            pending[key] = target_id
    lines = []
    for r in records:
        if r.opened_on is not None and r.opened_on > today:
            continue
        key = (r.kind, r.id)
        if key in pending:
            detail = f"「{last.name}」中未检查"
            link = Link(LinkKind.ROUND_TARGET, pending[key], last.round_id)
        elif key not in covered:
            detail = f"未列入「{last.name}」检查范围"
            kind = LinkKind.WEBSITE if r.kind is TargetType.WEBSITE else LinkKind.ACCOUNT
            link = Link(kind, r.id)
        else:
            continue
        lines.append(
            AttentionLine(
                Attention.NOT_INSPECTED, r.name, r.kind_text, r.unit_name, r.region, detail, link
            )
        )
    return lines


def _kind_text(kind: TargetType | None, subtype: str) -> str:
    return TargetType.WEBSITE.label if kind is TargetType.WEBSITE else subtype
