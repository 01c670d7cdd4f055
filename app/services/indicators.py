"""Indicator sets (指标体系) as versioned data: shipped JSON loaded into the database.

A version is never edited in place: saving changes creates the next version, so a round
keeps the rules it was scored with.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.dates import local_time
from app.domain.indicator_sets import rules_from_dict, rules_to_dict
from app.domain.scoring import RuleSet
from app.errors import DuplicateError, NotFoundError, ValidationError
from app.paths import resource_path
from db.enums import TargetType
from db.models import IndicatorSet

BUILTIN_DIR = resource_path("indicators")
NATIONAL = {
    TargetType.WEBSITE: "national-2019-website",
    TargetType.ACCOUNT: "national-2019-account",
}
LOCAL_PREFIX = "local-"
_LOCAL_CODE = re.compile(r"local-[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class IndicatorSetRow:
    id: int
    code: str
    version: int
    name: str
    target_type: TargetType
    source: str
    created_at: datetime | None
    is_latest: bool

    @property
    def title(self) -> str:
        return f"{self.name}（第{self.version}版）"


class IndicatorService:
    def __init__(self, session_factory: sessionmaker[Session], user: str) -> None:
        self._sf = session_factory
        self._user = user

    def ensure_builtin(self, folder: Path = BUILTIN_DIR) -> int:
        """Load every shipped set whose (code, version) is not in the database yet."""
        added = 0
        with self._sf.begin() as s:
            existing = set(s.execute(select(IndicatorSet.code, IndicatorSet.version)).all())
            for path in sorted(folder.glob("*.json")):
                doc = json.loads(path.read_text(encoding="utf-8"))
                if (doc["code"], doc["version"]) in existing:
                    continue
                rules_from_dict(doc["rules"])  # refuse a malformed shipped file loudly
                s.add(
                    IndicatorSet(
                        code=doc["code"],
                        version=doc["version"],
                        name=doc["name"],
                        target_type=TargetType(doc["target_type"]),
                        source=doc.get("source", ""),
                        rules_json=json.dumps(doc["rules"], ensure_ascii=False),
                        created_by="内置",
                    )
                )
                added += 1
        return added

    def list(self, target_type: TargetType | None = None) -> list[IndicatorSetRow]:
        with self._sf() as s:
            latest = dict(
                s.execute(
                    select(IndicatorSet.code, func.max(IndicatorSet.version)).group_by(
                        IndicatorSet.code
                    )
                ).all()
            )
            query = select(IndicatorSet).order_by(IndicatorSet.code, IndicatorSet.version)
            if target_type is not None:
                query = query.where(IndicatorSet.target_type == target_type)
            return [_row(x, latest[x.code] == x.version) for x in s.scalars(query)]

    def get(self, set_id: int) -> IndicatorSetRow:
        with self._sf() as s:
            found = s.get(IndicatorSet, set_id)
            if found is None:
                raise NotFoundError("该指标体系不存在。")
            latest = s.scalar(
                select(func.max(IndicatorSet.version)).where(IndicatorSet.code == found.code)
            )
            return _row(found, latest == found.version)

    def default_id(self, target_type: TargetType) -> int:
        """Latest version of the national set for websites or accounts."""
        with self._sf() as s:
            found = s.scalar(
                select(IndicatorSet.id)
                .where(IndicatorSet.code == NATIONAL[target_type])
                .order_by(IndicatorSet.version.desc())
            )
        if found is None:
            raise NotFoundError("数据库中没有全国指标体系，请重新启动程序以载入内置指标。")
        return found

    def rules(self, set_id: int) -> RuleSet:
        with self._sf() as s:
            found = s.get(IndicatorSet, set_id)
            if found is None:
                raise NotFoundError("该指标体系不存在。")
            return _parse(found.rules_json)

    def save_new_version(self, base_id: int, rules: RuleSet, name: str | None = None) -> int:
        """Store edited rules as the next version of ``base_id``'s set; returns the new id."""
        data = rules_to_dict(rules)
        try:
            rules_from_dict(data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        with self._sf.begin() as s:
            base = s.get(IndicatorSet, base_id)
            if base is None:
                raise NotFoundError("该指标体系不存在。")
            latest = s.scalar(
                select(func.max(IndicatorSet.version)).where(IndicatorSet.code == base.code)
            )
            new = IndicatorSet(
                code=base.code,
                version=(latest or 0) + 1,
                name=(name or base.name).strip() or base.name,
                target_type=base.target_type,
                source=base.source,
                rules_json=json.dumps(data, ensure_ascii=False),
                created_by=self._user,
            )
            s.add(new)
            s.flush()
            return new.id

    def save_as_new_set(self, base_id: int, rules: RuleSet, name: str, code: str) -> int:
        """Store ``rules`` as version 1 of a new local set ``code`` (复制为本地规则).

        ``code`` must look like ``local-<slug>`` and be unused; target type and source
        come from ``base_id``. Returns the new id.
        """
        name = (name or "").strip()
        code = (code or "").strip()
        if not name:
            raise ValidationError("请填写本地指标体系的名称。", "name")
        if len(code) > 100 or not _LOCAL_CODE.fullmatch(code):
            raise ValidationError(
                f"本地指标体系的代码「{code}」无效：应以 {LOCAL_PREFIX} 开头，"
                "只含小写字母、数字和连字符，如 local-tongcheng-website。",
                "code",
            )
        data = rules_to_dict(rules)
        try:
            rules_from_dict(data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        with self._sf.begin() as s:
            base = s.get(IndicatorSet, base_id)
            if base is None:
                raise NotFoundError("该指标体系不存在。")
            taken = s.scalar(select(IndicatorSet.id).where(IndicatorSet.code == code))
            if taken is not None:
                raise DuplicateError(f"指标体系代码「{code}」已被使用，请换一个。", "code")
            new = IndicatorSet(
                code=code,
                version=1,
                name=name,
                target_type=base.target_type,
                source=f"本地规则，复制自「{base.name}（第{base.version}版）」。{base.source}",
                rules_json=json.dumps(data, ensure_ascii=False),
                created_by=self._user,
            )
            s.add(new)
            s.flush()
            return new.id


@lru_cache(maxsize=64)
def _parse(rules_json: str) -> RuleSet:
    return rules_from_dict(json.loads(rules_json))


def _row(x: IndicatorSet, is_latest: bool) -> IndicatorSetRow:
    return IndicatorSetRow(
        x.id,
        x.code,
        x.version,
        x.name,
        x.target_type,
        x.source,
        local_time(x.created_at),
        is_latest,
    )
