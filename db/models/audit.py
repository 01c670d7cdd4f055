"""Audit trail (修改记录): who changed which field of which record, when, from what to what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class AuditEntry(Base):
    """One changed field (action 'update') or one whole record ('insert' / 'delete').

    ``owner_table``/``owner_id`` name the record a clerk looks at: a finding is listed under
    its round target, a responsible unit under its rectification item, anything else under
    itself. For 'insert' and 'delete' ``field`` is empty and ``new_value``/``old_value`` hold
    the record's non-empty values as a JSON object. No foreign keys: entries outlive records.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_owner", "owner_table", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int] = mapped_column(Integer)
    owner_table: Mapped[str] = mapped_column(String(50))
    owner_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))  # insert | update | delete
    field: Mapped[str] = mapped_column(String(100), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
