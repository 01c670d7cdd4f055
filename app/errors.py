"""Errors a user can cause. Each carries a Chinese message fit to show as is."""

from __future__ import annotations


class AppError(Exception):
    """Base for every error the UI or CLI shows to the clerk instead of a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(AppError):
    """A field value is missing or malformed. ``field`` names the input (English key)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class DuplicateError(ValidationError):
    """The record would duplicate an existing one (same URL, same platform + name …)."""


class NotFoundError(AppError):
    """A referenced record does not exist (any more)."""


class UnitNotFoundError(NotFoundError):
    """A unit name that matches no unit or alias; the caller may offer to create it."""

    def __init__(self, name: str) -> None:
        super().__init__(f"单位「{name}」不在台账中。")
        self.name = name


class ConflictError(AppError):
    """The action is not allowed in the record's current state (e.g. delete with history)."""


class ImportFormatError(AppError):
    """A file to import cannot be read as the expected kind of table."""


class FileAccessError(AppError):
    """A file cannot be read or written (locked by another program, no permission …)."""
