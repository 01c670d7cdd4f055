"""Shape rules for registry fields: URLs, 网站标识码, phone numbers, e-mail, dates.

Pure functions raising :class:`ValidationError` with a Chinese message naming the field.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from app.errors import ValidationError

_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9\u4e00-\u9fff]([a-z0-9\u4e00-\u9fff-]{0,61}[a-z0-9\u4e00-\u9fff])?\.)+[a-z\u4e00-\u9fff]{2,63}$"
)
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_SITE_CODE = re.compile(r"^[A-Za-z0-9]{10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-\s,，、/转]{5,40}$")


def require(value: str, field: str, label: str) -> str:
    """Return the trimmed value or raise if it is empty."""
    value = value.strip()
    if not value:
        raise ValidationError(f"请填写「{label}」。", field)
    return value


def url_key(url: str) -> str | None:
    """Comparison key of a URL: no scheme, lower-case host, no default port or trailing '/'."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"


def check_url(url: str, field: str = "url", label: str = "网址") -> str:
    """Validate a website address; ``www.example.gov.cn`` and ``https://…`` are both fine."""
    url = url.strip()
    if not url:
        return ""
    if any(ch.isspace() for ch in url):
        raise ValidationError(f"「{label}」不能包含空格：{url}", field)
    candidate = url if "://" in url else f"http://{url}"
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValidationError(f"「{label}」格式不正确：{url}", field) from exc
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not (_HOST.match(host) or _IPV4.match(host)):
        raise ValidationError(
            f"「{label}」格式不正确：{url}（示例：https://www.example.gov.cn）", field
        )
    return url


def site_code_key(code: str) -> str | None:
    code = code.strip()
    return code.upper() if code else None


def check_site_code(code: str) -> str:
    """网站标识码: 10 letters/digits as issued by the national registry (e.g. 4107000001)."""
    code = code.strip()
    if code and not _SITE_CODE.match(code):
        raise ValidationError(
            f"「网站标识码」应为 10 位字母或数字（如 4107000001），现为「{code}」。", "site_code"
        )
    return code


def check_email(value: str, field: str = "email") -> str:
    value = value.strip()
    if value and not _EMAIL.match(value):
        raise ValidationError(f"「电子邮箱」格式不正确：{value}", field)
    return value


def check_phone(value: str, field: str, label: str) -> str:
    value = value.strip()
    if value and not _PHONE.match(value):
        raise ValidationError(f"「{label}」只能包含数字、空格和 - ( ) + 等符号：{value}", field)
    return value


def check_dates(opened_on: date | None, closed_on: date | None, today: date) -> None:
    """Opening may not lie in the future; closing may not precede opening."""
    if opened_on and opened_on > today:
        raise ValidationError(
            f"「开设日期」{opened_on.isoformat()} 晚于今天，请检查。", "opened_on"
        )
    if closed_on and closed_on > today:
        raise ValidationError(
            f"「关停日期」{closed_on.isoformat()} 晚于今天，请检查。", "closed_on"
        )
    if opened_on and closed_on and closed_on < opened_on:
        raise ValidationError(
            f"「关停日期」{closed_on.isoformat()} 早于「开设日期」{opened_on.isoformat()}。",
            "closed_on",
        )
