"""通报: draft a round's notice from its data, export it, issue it (which finalises the round),
and per-unit 整改通知书. Office profile, templates and the last draft are saved settings."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.dates import local_time
from app.domain.deadlines import deadline_after
from app.domain.notice_document import (
    AttachmentTable,
    Block,
    BlockKind,
    NoticeDocument,
    TableColumn,
    chinese_date,
)
from app.domain.notice_facts import NoticeTemplates, OfficeProfile, RoundFacts
from app.domain.notice_text import NoticeDraft, compose, make_draft
from app.domain.registry_rules import check_email
from app.domain.text import tidy_text
from app.errors import ConflictError, FileAccessError, NotFoundError, ValidationError
from app.paths import resource_path
from app.services.file_store import sha256_of
from app.services.indicators import IndicatorService
from app.services.notice_data import gather, previous_round_id
from app.services.rectification import RectificationService, mark_round_notified
from app.services.rectification_sync import default_term
from app.services.settings import read_setting, write_setting
from app.services.units import find_unit
from db.enums import NoticeKind, RoundAction, RoundStatus
from db.models import (
    AppSetting,
    IssuedNotice,
    RectificationItem,
    RectificationUnit,
    Round,
    RoundEvent,
)

_ISSUED_TEXT = (
    "该轮次的通报已印发，文字以印发稿为准，不能再修改或重新生成。如需修改，请先重新打开该轮次。"
)
PROFILE_KEY = "notice.profile"
TEMPLATES_KEY = "notice.templates"
DRAFT_KEY = "notice.draft.{round_id}"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class IssuedRow:
    id: int
    kind: NoticeKind
    round_name: str
    unit_name: str
    title: str
    doc_number: str
    issued_on: date
    path: Path
    sha256: str
    size: int
    issued_by: str
    issued_at: datetime | None
    intact: bool  # the kept file still exists and matches its recorded SHA-256 (checked once)


@dataclass(frozen=True)
class RoundEventRow:
    action: str
    reason: str
    recorded_by: str
    recorded_at: datetime | None


class NoticeService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        user: str,
        indicators: IndicatorService,
        rectification: RectificationService,
        notice_dir: Path,
    ) -> None:
        self._sf = session_factory
        self._user = user
        self._indicators = indicators
        self._rectification = rectification
        self.notice_dir = notice_dir

    # -- office profile and templates ------------------------------------------------------
    def profile(self) -> OfficeProfile:
        with self._sf() as s:
            data = read_setting(s, PROFILE_KEY)
        return OfficeProfile.from_dict(data) if data else OfficeProfile()

    def save_profile(self, profile: OfficeProfile) -> None:
        profile = OfficeProfile(
            **{k: tidy_text(v) if isinstance(v, str) else v for k, v in asdict(profile).items()}
        )
        if not profile.issuer:
            raise ValidationError("请填写发文机关（如 某某县人民政府办公室）。", "issuer")
        if not profile.area:
            raise ValidationError("请填写通报范围的称谓（全市 / 全县 / 全区）。", "area")
        if profile.email:
            check_email(profile.email)
        if profile.doc_number_pattern and "{n}" not in profile.doc_number_pattern:
            raise ValidationError(
                "文号格式中需要包含 {n}（序号），可包含 {year}（年份），如：某政办〔{year}〕{n}号。",
                "doc_number_pattern",
            )
        if profile.next_number < 1:
            raise ValidationError("下一个文号序号应从 1 开始。", "next_number")
        with self._sf.begin() as s:
            write_setting(s, PROFILE_KEY, asdict(profile))

    def templates(self) -> NoticeTemplates:
        with self._sf() as s:
            data = read_setting(s, TEMPLATES_KEY)
        return NoticeTemplates.from_dict(data) if data else default_templates()

    def save_templates(self, templates: NoticeTemplates) -> None:
        if not templates.title.strip():
            raise ValidationError("标题模板不能为空。", "title")
        with self._sf.begin() as s:
            write_setting(s, TEMPLATES_KEY, asdict(templates))

    def reset_templates(self) -> NoticeTemplates:
        with self._sf.begin() as s:
            row = s.get(AppSetting, TEMPLATES_KEY)
            if row is not None:
                s.delete(row)
        return default_templates()

    # -- drafting ---------------------------------------------------------------------------
    def facts(self, round_id: int) -> RoundFacts:
        with self._sf() as s:
            previous_id = previous_round_id(s, round_id)
        previous = self._rectification.round_summary(previous_id) if previous_id else None
        with self._sf() as s:
            facts = gather(s, round_id, self._indicators, previous)
        if (
            facts.site_tally.passed
            + facts.site_tally.failed
            + facts.account_tally.passed
            + (facts.account_tally.failed)
            == 0
        ):
            raise ConflictError(
                f"检查轮次「{facts.round_name}」还没有任何检查结果，无法生成通报。"
                "请先在「检查」页录入检查结果。"
            )
        return facts

    def draft(
        self, round_id: int, *, today: date | None = None, regenerate: bool = False
    ) -> tuple[NoticeDraft, RoundFacts]:
        """The round's draft: the clerk's last saved edits, or freshly generated texts.

        Once the round's notice is issued the draft is the issued text and cannot be
        regenerated (ConflictError) until the round is re-opened.
        """
        facts = self.facts(round_id)
        if self._finalized(round_id):
            if regenerate:
                raise ConflictError(_ISSUED_TEXT)
            regenerate = False
        if not regenerate:
            with self._sf() as s:
                saved = read_setting(s, DRAFT_KEY.format(round_id=round_id))
            if saved:
                return _draft_from_dict(saved), facts
        today = today or date.today()
        deadline = facts.report_deadline
        if deadline is None:
            with self._sf() as s:
                term = default_term(s)
            deadline = deadline_after(today, term.days, working_days=term.working_days).day
        return (
            make_draft(
                facts, self.profile(), self.templates(), issue_date=today, report_deadline=deadline
            ),
            facts,
        )

    def save_draft(self, round_id: int, draft: NoticeDraft) -> None:
        """Remember the clerk's edits; refused once the notice is issued (ConflictError)."""
        with self._sf.begin() as s:
            if _round(s, round_id).status is RoundStatus.FINALIZED:
                raise ConflictError(_ISSUED_TEXT)
            write_setting(s, DRAFT_KEY.format(round_id=round_id), _draft_to_dict(draft))

    def _finalized(self, round_id: int) -> bool:
        with self._sf() as s:
            return _round(s, round_id).status is RoundStatus.FINALIZED

    def document(self, draft: NoticeDraft, facts: RoundFacts) -> NoticeDocument:
        _check_draft(draft)
        return compose(draft, facts, self.profile().area)

    # -- output -------------------------------------------------------------------------
    @staticmethod
    def export(
        doc: NoticeDocument,
        *,
        pdf: Path | None = None,
        docx: Path | None = None,
        xlsx: Path | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> list[Path]:
        """Write the requested files (each through a temp file and rename)."""
        from app.io.notice_docx import write_notice_docx
        from app.io.notice_pdf import write_notice_pdf
        from app.io.notice_xlsx import write_attachments_xlsx

        written = []
        if pdf is not None:
            written.append(write_notice_pdf(doc, pdf, progress=progress, cancelled=cancelled))
        if docx is not None:
            written.append(write_notice_docx(doc, docx))
        if xlsx is not None:
            if not doc.attachments:
                raise ConflictError("该通报没有附件表格，无需导出 Excel。")
            written.append(write_attachments_xlsx(doc, xlsx))
        return written

    def issue(
        self,
        round_id: int,
        draft: NoticeDraft,
        pdf: Path,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> IssuedRow:
        """印发: write the PDF, keep a copy with its SHA-256, finalise the round — all or nothing."""
        facts = self.facts(round_id)
        pending = facts.site_tally.pending + facts.account_tally.pending
        if pending:
            raise ConflictError(
                f"本轮还有 {pending} 个检查对象未检查，不能印发。请先完成检查，或把它们移出本轮。"
            )
        with self._sf() as s:
            round_ = _round(s, round_id)
            if round_.status is RoundStatus.FINALIZED:
                raise ConflictError(
                    f"检查轮次「{round_.name}」的通报已印发（已定稿）。如需重新印发，请先重新打开该轮次。"
                )
        doc = self.document(draft, facts)
        written = self.export(doc, pdf=pdf, progress=progress, cancelled=cancelled)[0]
        kept = self._keep(written, draft.issue_date, facts.round_name)
        try:
            with self._sf.begin() as s:
                round_ = _round(s, round_id)
                round_.status = RoundStatus.FINALIZED
                notice = IssuedNotice(
                    kind=NoticeKind.ROUND,
                    round_id=round_id,
                    title=doc.title,
                    doc_number=doc.doc_number,
                    issued_on=draft.issue_date,
                    stored_name=kept.name,
                    sha256=sha256_of(kept),
                    size=kept.stat().st_size,
                    issued_by=self._user,
                )
                s.add(notice)
                s.add(
                    RoundEvent(
                        round_id=round_id,
                        action=RoundAction.FINALIZED,
                        reason=f"印发通报《{doc.title}》",
                        recorded_by=self._user,
                    )
                )
                mark_round_notified(s, round_id, draft.issue_date, self._user)
                write_setting(s, DRAFT_KEY.format(round_id=round_id), _draft_to_dict(draft))
                profile = read_setting(s, PROFILE_KEY)
                if profile and doc.doc_number and profile.get("doc_number_pattern"):
                    profile["next_number"] = int(profile.get("next_number", 1)) + 1
                    write_setting(s, PROFILE_KEY, profile)
                s.flush()
                notice_id = notice.id
        except Exception:
            kept.unlink(missing_ok=True)
            raise
        return next(r for r in self.history() if r.id == notice_id)

    def reopen_round(self, round_id: int, reason: str) -> None:
        """重新打开 a finalised round (recorded with the reason); issued files stay on record."""
        reason = tidy_text(reason)
        if not reason:
            raise ValidationError("请填写重新打开的原因（将记入轮次记录）。", "reason")
        with self._sf.begin() as s:
            round_ = _round(s, round_id)
            if round_.status is not RoundStatus.FINALIZED:
                raise ConflictError(f"检查轮次「{round_.name}」没有定稿，无需重新打开。")
            round_.status = RoundStatus.OPEN
            s.add(
                RoundEvent(
                    round_id=round_id,
                    action=RoundAction.REOPENED,
                    reason=reason,
                    recorded_by=self._user,
                )
            )

    def round_events(self, round_id: int) -> list[RoundEventRow]:
        with self._sf() as s:
            events = s.scalars(
                select(RoundEvent).where(RoundEvent.round_id == round_id).order_by(RoundEvent.id)
            )
            return [
                RoundEventRow(e.action.label, e.reason, e.recorded_by, local_time(e.recorded_at))
                for e in events
            ]

    def history(self, round_id: int | None = None) -> list[IssuedRow]:
        """Every issued file, newest first."""
        with self._sf() as s:
            query = select(IssuedNotice).order_by(IssuedNotice.id.desc())
            if round_id is not None:
                query = query.where(IssuedNotice.round_id == round_id)
            return [
                IssuedRow(
                    id=n.id,
                    kind=n.kind,
                    round_name=n.round.name if n.round else "",
                    unit_name=n.unit.name if n.unit else "",
                    title=n.title,
                    doc_number=n.doc_number,
                    issued_on=n.issued_on,
                    path=self.notice_dir / n.stored_name,
                    sha256=n.sha256,
                    size=n.size,
                    issued_by=n.issued_by,
                    issued_at=local_time(n.issued_at),
                    intact=_intact(self.notice_dir / n.stored_name, n.sha256),
                )
                for n in s.scalars(query)
            ]

    # -- 整改通知书 ------------------------------------------------------------------------
    def unit_notice(
        self, round_id: int, unit_name: str, *, today: date | None = None
    ) -> NoticeDocument:
        """One unit's problems of the round with their deadlines, ready to send."""
        today = today or date.today()
        profile = self.profile()
        with self._sf() as s:
            round_ = _round(s, round_id)
            unit = find_unit(s, unit_name)
            if unit is None:
                raise NotFoundError(f"单位「{unit_name}」不在台账中。")
            items = s.scalars(
                select(RectificationItem)
                .join(RectificationUnit, RectificationUnit.item_id == RectificationItem.id)
                .where(
                    RectificationItem.round_id == round_id,
                    RectificationUnit.unit_id == unit.id,
                    RectificationItem.closed_on.is_(None),
                )
                .order_by(RectificationItem.deadline, RectificationItem.id)
            ).all()
            if not items:
                raise ConflictError(f"单位「{unit.name}」在「{round_.name}」中没有需要整改的问题。")
            rows = []
            for n, item in enumerate(items, start=1):
                target = ""
                if item.website is not None:
                    target = item.website.name
                elif item.account is not None:
                    target = f"“{item.account.name}”{item.account.platform.label}"
                rows.append(
                    [
                        str(n),
                        target or "—",
                        item.problem_text,
                        chinese_date(item.deadline),
                        item.status.label,
                    ]
                )
            latest = max(item.deadline for item in items)
            unit_label, round_name = unit.name, round_.name
        contact = "，".join(
            x
            for x in (
                f"联系人：{profile.contact}" if profile.contact else "",
                f"电话：{profile.phone}" if profile.phone else "",
                f"邮箱：{profile.email}" if profile.email else "",
            )
            if x
        )
        body = [
            Block(
                BlockKind.PARAGRAPH,
                f"在{round_name}政府网站与政务新媒体检查中，你单位主管主办的政府网站和政务新媒体存在"
                f"{len(rows)}项问题（见附件）。请对照问题逐项整改，于{chinese_date(latest)}前"
                f"（各项期限见附件）将整改落实情况（含电子版）报{profile.issuer}。",
            ),
        ]
        if contact:
            body.append(Block(BlockKind.PARAGRAPH, contact + "。"))
        return NoticeDocument(
            title=f"关于督促{unit_label}整改政府网站与政务新媒体问题的通知",
            body=body,
            issuer=profile.issuer,
            issue_date=today,
            recipients=f"{unit_label}：",
            attachment_titles=[f"{unit_label}{round_name}检查问题整改清单"],
            attachments=[
                AttachmentTable(
                    number=1,
                    title=f"{unit_label}{round_name}检查问题整改清单",
                    columns=[
                        TableColumn("序号", 0.7),
                        TableColumn("网站/账号", 2.6, "left"),
                        TableColumn("问题", 3.6, "left"),
                        TableColumn("整改期限", 1.7),
                        TableColumn("状态", 1.4),
                    ],
                    rows=rows,
                )
            ],
        )

    def record_unit_notice(
        self, round_id: int, unit_name: str, doc: NoticeDocument, pdf: Path
    ) -> IssuedRow:
        """Keep a sent 整改通知书 in the notice history (the round is not affected)."""
        kept = self._keep(pdf, doc.issue_date, unit_name)
        with self._sf.begin() as s:
            unit = find_unit(s, unit_name)
            notice = IssuedNotice(
                kind=NoticeKind.UNIT,
                round_id=round_id,
                unit_id=unit.id if unit else None,
                title=doc.title,
                issued_on=doc.issue_date,
                stored_name=kept.name,
                sha256=sha256_of(kept),
                size=kept.stat().st_size,
                issued_by=self._user,
            )
            s.add(notice)
            s.flush()
            notice_id = notice.id
        return next(r for r in self.history() if r.id == notice_id)

    # -- helpers -------------------------------------------------------------------------
    def _keep(self, written: Path, on: date, label: str) -> Path:
        """Copy an issued file into the data folder under a name that never collides."""
        try:
            self.notice_dir.mkdir(parents=True, exist_ok=True)
            digest = sha256_of(written)
            safe = "".join(ch for ch in label if ch not in '\\/:*?"<>|').strip() or "通报"
            kept = self.notice_dir / f"{on.isoformat()}_{safe}_{digest[:8]}{written.suffix}"
            tmp = kept.with_suffix(kept.suffix + ".part")
            shutil.copyfile(written, tmp)
            tmp.replace(kept)
        except OSError as exc:
            raise FileAccessError(
                f"无法在数据文件夹中保存印发文件的副本：{exc.strerror or exc}"
            ) from exc
        return kept


def _intact(path: Path, sha256: str) -> bool:
    try:
        return sha256_of(path) == sha256
    except OSError:  # missing or unreadable
        return False


def default_templates() -> NoticeTemplates:
    data = json.loads(resource_path("notice", "templates.json").read_text(encoding="utf-8"))
    return NoticeTemplates.from_dict(data)


def _check_draft(draft: NoticeDraft) -> None:
    if not draft.title.strip():
        raise ValidationError("请填写通报标题。", "title")
    if not draft.issuer.strip():
        raise ValidationError("请填写发文机关。", "issuer")


def _round(s: Session, round_id: int) -> Round:
    found = s.get(Round, round_id)
    if found is None:
        raise NotFoundError("该检查轮次已不存在。")
    return found


def _draft_to_dict(draft: NoticeDraft) -> dict:
    data = asdict(draft)
    data["issue_date"] = draft.issue_date.isoformat()
    return data


def _draft_from_dict(data: dict) -> NoticeDraft:
    data = dict(data)
    data["issue_date"] = date.fromisoformat(data["issue_date"])
    return NoticeDraft(**data)
