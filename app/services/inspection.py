"""The checklist (检查表) of one site or account in a round: findings, score, verdict, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload, sessionmaker

from app.domain import scoring
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.file_store import copy_in, fingerprint
from app.services.indicators import IndicatorService
from app.services.rectification_sync import sync_target
from db.enums import RoundStatus, TargetState, TargetType, WebsiteKind
from db.models import Account, Evidence, Round, RoundTarget, Website
from db.models import Finding as FindingRecord


@dataclass(frozen=True)
class TargetRow:
    """One line of the round's target list."""

    id: int
    round_id: int
    kind: TargetType
    record_id: int
    name: str
    subtype: str  # platform for accounts, 门户/部门 for websites
    unit_name: str
    region: str
    portal: bool
    state: TargetState
    score: Decimal | None
    problem_text: str
    checked_by: str
    checked_at: datetime | None

    @property
    def score_text(self) -> str:
        if self.state is TargetState.PENDING:
            return ""
        return scoring.format_score(self.score) if self.score is not None else self.state.label


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    indicator_code: str
    file_name: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class Checklist:
    target: TargetRow
    rules: scoring.RuleSet
    findings: dict[str, scoring.Finding]
    no_services: bool
    problem_text_manual: bool
    note: str
    evidence: list[EvidenceRow]
    round_open: bool


class InspectionService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        user: str,
        indicators: IndicatorService,
        evidence_dir: Path,
    ) -> None:
        self._sf = session_factory
        self._user = user
        self._indicators = indicators
        self.evidence_dir = evidence_dir

    # -- queries ---------------------------------------------------------------------------
    def targets(self, round_id: int) -> list[TargetRow]:
        with self._sf() as s:
            rows = s.scalars(
                select(RoundTarget)
                .where(RoundTarget.round_id == round_id)
                .options(
                    joinedload(RoundTarget.website).joinedload(Website.unit),
                    joinedload(RoundTarget.account).joinedload(Account.unit),
                )
                .order_by(RoundTarget.account_id.is_not(None), RoundTarget.id)
            )
            return [_target_row(t) for t in rows]

    def target(self, target_id: int) -> TargetRow:
        with self._sf() as s:
            return _target_row(_load(s, target_id))

    def checklist(self, target_id: int) -> Checklist:
        with self._sf() as s:
            t = s.get(
                RoundTarget,
                target_id,
                options=[selectinload(RoundTarget.findings), selectinload(RoundTarget.evidence)],
            )
            if t is None:
                raise NotFoundError("该检查对象已不在本轮中，请刷新。")
            round_ = t.round
            set_id = round_.website_set_id if t.website_id else round_.account_set_id
            return Checklist(
                target=_target_row(t),
                rules=self._indicators.rules(set_id),
                findings={
                    f.indicator_code: scoring.Finding(f.indicator_code, f.count, f.points, f.note)
                    for f in t.findings
                },
                no_services=t.no_services,
                problem_text_manual=t.problem_text_manual,
                note=t.note,
                evidence=[self._evidence_row(e) for e in t.evidence],
                round_open=round_.status is RoundStatus.OPEN,
            )

    # -- commands --------------------------------------------------------------------------
    def save(
        self,
        target_id: int,
        findings: list[scoring.Finding],
        *,
        no_services: bool = False,
        problem_text: str | None = None,
        note: str = "",
    ) -> TargetRow:
        """Score and store the checklist in one transaction; ``problem_text`` None = composed.

        Raises ValidationError (Chinese, naming the indicator) for a bad count or points.
        """
        with self._sf.begin() as s:
            t = _load(s, target_id)
            _ensure_open(t.round)
            rules = self._rules_for(t)
            present = [f for f in findings if f.count or f.points]
            try:
                result = scoring.score(
                    rules, present, portal=_is_portal(t), no_services=no_services
                )
            except scoring.ScoringError as exc:
                raise ValidationError(str(exc), "findings") from exc
            by_code = {f.indicator_code: f for f in t.findings}
            wanted = {f.code for f in present}
            for code, old in by_code.items():
                if code not in wanted:
                    t.findings.remove(old)
            s.flush()
            for f in present:
                row = by_code.get(f.code)
                if row is None:
                    t.findings.append(_finding(f))
                else:
                    row.count, row.points, row.note = f.count, f.points, f.note.strip()
            t.state = TargetState.PASSED if result.passed else TargetState.FAILED
            t.score = result.score
            manual = problem_text is not None and problem_text.strip() != result.problem_text
            t.problem_text = (
                problem_text.strip() if manual and problem_text else result.problem_text
            )
            t.problem_text_manual = manual
            t.no_services = no_services
            t.note = note.strip()
            t.checked_at = datetime.now()
            t.checked_by = self._user
            sync_target(s, t, rules, result, self._user)
            return _target_row(t)

    def mark_passed(self, target_ids: list[int]) -> tuple[int, list[str]]:
        """批量合格: pending targets without findings become 合格 with a clean score.

        Returns how many were marked and the names skipped because they already have
        findings or a verdict (those must be handled one by one).
        """
        marked, skipped = 0, []
        with self._sf.begin() as s:
            for target_id in target_ids:
                t = _load(s, target_id)
                _ensure_open(t.round)
                if t.findings or t.state is TargetState.FAILED:
                    skipped.append(_target_row(t).name)
                    continue
                rules = self._rules_for(t)
                result = scoring.score(rules, [], portal=_is_portal(t))
                t.state = TargetState.PASSED
                t.score = result.score
                t.problem_text, t.problem_text_manual = result.problem_text, False
                t.checked_at, t.checked_by = datetime.now(), self._user
                sync_target(s, t, rules, result, self._user)
                marked += 1
        return marked, skipped

    def reset(self, target_id: int) -> TargetRow:
        """Back to 未检, dropping findings (evidence files stay attached)."""
        with self._sf.begin() as s:
            t = _load(s, target_id)
            _ensure_open(t.round)
            t.findings.clear()
            t.state, t.score, t.problem_text, t.problem_text_manual = (
                TargetState.PENDING,
                None,
                "",
                False,
            )
            t.checked_at, t.checked_by = None, ""
            sync_target(s, t, None, None, self._user)
            return _target_row(t)

    def attach_evidence(self, target_id: int, indicator_code: str, source: Path) -> EvidenceRow:
        """Copy a screenshot/file into the evidence folder (named by SHA-256) and record it."""
        source = Path(source)
        stored = fingerprint(source, "evidence")
        with self._sf.begin() as s:
            t = _load(s, target_id)
            _ensure_open(t.round)
            copy_in(source, self.evidence_dir, stored)
            evidence = Evidence(
                indicator_code=indicator_code,
                file_name=stored.file_name,
                stored_name=stored.stored_name,
                sha256=stored.sha256,
                size=stored.size,
                added_by=self._user,
            )
            t.evidence.append(evidence)
            s.flush()
            return self._evidence_row(evidence)

    def remove_evidence(self, evidence_id: int) -> None:
        """Forget an attachment; the stored file stays if another record still uses it."""
        with self._sf.begin() as s:
            evidence = s.get(Evidence, evidence_id)
            if evidence is None:
                return
            _ensure_open(evidence.target.round)
            stored = evidence.stored_name
            s.delete(evidence)
            s.flush()
            still_used = s.scalar(select(Evidence.id).where(Evidence.stored_name == stored))
        if still_used is None:
            (self.evidence_dir / stored).unlink(missing_ok=True)

    # -- helpers ---------------------------------------------------------------------------
    def _rules_for(self, t: RoundTarget) -> scoring.RuleSet:
        return self._indicators.rules(
            t.round.website_set_id if t.website_id else t.round.account_set_id
        )

    def _evidence_row(self, e: Evidence) -> EvidenceRow:
        return EvidenceRow(
            e.id, e.indicator_code, e.file_name, self.evidence_dir / e.stored_name, e.sha256, e.size
        )


def _finding(f: scoring.Finding) -> FindingRecord:
    return FindingRecord(indicator_code=f.code, count=f.count, points=f.points, note=f.note.strip())


def _load(s: Session, target_id: int) -> RoundTarget:
    found = s.get(RoundTarget, target_id)
    if found is None:
        raise NotFoundError("该检查对象已不在本轮中，请刷新。")
    return found


def _ensure_open(round_: Round) -> None:
    if round_.status is RoundStatus.FINALIZED:
        raise ConflictError(f"检查轮次「{round_.name}」已定稿，不能再修改检查结果。")


def _is_portal(t: RoundTarget) -> bool:
    return t.website is not None and t.website.kind is WebsiteKind.PORTAL


def _target_row(t: RoundTarget) -> TargetRow:
    if t.website is not None:
        w = t.website
        kind, record_id, name, subtype, unit, region = (
            TargetType.WEBSITE,
            w.id,
            w.name,
            w.kind.label,
            w.unit,
            w.unit.region,
        )
    else:
        a = t.account
        assert a is not None
        kind, record_id, name, subtype, unit, region = (
            TargetType.ACCOUNT,
            a.id,
            a.name,
            a.platform.label,
            a.unit,
            a.region or a.unit.region,
        )
    return TargetRow(
        id=t.id,
        round_id=t.round_id,
        kind=kind,
        record_id=record_id,
        name=name,
        subtype=subtype,
        unit_name=unit.name,
        region=region,
        portal=_is_portal(t),
        state=t.state,
        score=t.score,
        problem_text=t.problem_text,
        checked_by=t.checked_by,
        checked_at=t.checked_at,
    )
