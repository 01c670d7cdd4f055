"""Saved settings (app_setting rows holding JSON), read and written inside a caller's session."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from db.models import AppSetting


def read_setting(s: Session, key: str) -> object | None:
    """The value saved under ``key``, or None when nothing is saved."""
    row = s.get(AppSetting, key)
    return json.loads(row.value_json) if row is not None else None


def write_setting(s: Session, key: str, value: object) -> None:
    """Save ``value`` (JSON-serialisable) under ``key``, replacing what was there."""
    text = json.dumps(value, ensure_ascii=False)
    row = s.get(AppSetting, key)
    if row is None:
        s.add(AppSetting(key=key, value_json=text))
    else:
        row.value_json = text
