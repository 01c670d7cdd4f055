"""Closed vocabularies of the registry.

Values are stable English codes stored in the database; ``label`` is the Chinese term the
clerk sees. Adding a member needs no migration (columns are plain VARCHAR).
"""

from __future__ import annotations

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry a Chinese display label."""

    label: str

    def __new__(cls, value: str, label: str) -> LabeledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def from_label(cls, label: str) -> LabeledEnum | None:
        for member in cls:
            if member.label == label:
                return member
        return None


class UnitKind(LabeledEnum):
    COUNTY_GOV = "county_gov", "县区政府"
    TOWNSHIP = "township", "乡镇街道"
    DEPARTMENT = "department", "部门"
    OTHER = "other", "其他"


class WebsiteKind(LabeledEnum):
    PORTAL = "portal", "门户"
    DEPARTMENT = "department", "部门"
    OTHER = "other", "其他"


class WebsiteStatus(LabeledEnum):
    RUNNING = "running", "运行"
    CLOSED = "closed", "关停"
    MIGRATED = "migrated", "整合迁移"


class Platform(LabeledEnum):
    WECHAT = "wechat", "微信公众号"
    WECHAT_CHANNELS = "wechat_channels", "微信视频号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    KUAISHOU = "kuaishou", "快手"
    TOUTIAO = "toutiao", "今日头条"
    BAIJIAHAO = "baijiahao", "百家号"
    MINIPROGRAM = "miniprogram", "小程序"
    OTHER = "other", "其他"


class FilingStatus(LabeledEnum):
    FILED = "filed", "已备案"
    UNFILED = "unfiled", "未备案"
    LATE = "late", "未及时备案"


class AccountStatus(LabeledEnum):
    RUNNING = "running", "运行"
    CHANGED = "changed", "变更"
    CLOSED = "closed", "关停"


class TargetType(LabeledEnum):
    WEBSITE = "website", "政府网站"
    ACCOUNT = "account", "政务新媒体"


class EventKind(LabeledEnum):
    """Lifecycle events kept in a site's or account's history (台账变更记录)."""

    OPENED = "opened", "开设"
    REGISTERED = "registered", "登记入台账"  # opening date unknown: the day it was entered
    RENAMED = "renamed", "更名"
    OWNER_CHANGED = "owner_changed", "变更主办单位"
    CHANGED = "changed", "信息变更"
    CLOSED = "closed", "关停"
    MIGRATED = "migrated", "整合迁移"
    REOPENED = "reopened", "恢复运行"

    @classmethod
    def first(cls, opened_on: object) -> EventKind:
        """First history line of a new record: 开设 when its opening date is known."""
        return cls.OPENED if opened_on else cls.REGISTERED


class RoundKind(LabeledEnum):
    QUARTERLY = "quarterly", "季度"
    MONTHLY = "monthly", "月度"
    SPECIAL = "special", "专项"
    SPOT_CHECK = "spot_check", "上级抽查"


class RoundStatus(LabeledEnum):
    OPEN = "open", "进行中"
    FINALIZED = "finalized", "已定稿"


class TargetState(LabeledEnum):
    """Where one site/account stands in a round."""

    PENDING = "pending", "未检"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class RectificationSource(LabeledEnum):
    """Who found the problem a rectification item follows."""

    SELF = "self", "本级检查"
    PROVINCE = "province", "上级抽查（省）"
    CITY = "city", "上级抽查（市）"
    OTHER = "other", "其他"


class RectificationStatus(LabeledEnum):
    """整改 status: 待整改 → 已报送整改情况 → 复查通过 / 复查未通过."""

    OPEN = "open", "待整改"
    REPORTED = "reported", "已报送整改情况"
    PASSED = "passed", "复查通过"
    FAILED = "failed", "复查未通过"


class NoticeKind(LabeledEnum):
    ROUND = "round", "检查情况通报"
    UNIT = "unit", "整改通知书"


class RoundAction(LabeledEnum):
    """Recorded changes of a round's status."""

    FINALIZED = "finalized", "定稿"
    REOPENED = "reopened", "重新打开"
