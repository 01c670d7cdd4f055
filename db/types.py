"""Column types shared by the models."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from sqlalchemy import Dialect, String, TypeDecorator
from sqlalchemy import Enum as SAEnum


def enum_column(enum_cls: type[Enum]) -> SAEnum:
    """Store an enum by its value as VARCHAR (no native enum, no CHECK: new members need no migration)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class DecimalText(TypeDecorator[Decimal]):
    """An exact Decimal stored as text (SQLite has no decimal type; floats would round)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
