"""Domain errors: a stable code for programs and a Chinese message for people."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the operation.

    ``code`` is stable (an enum member of the app's ``errors.py``); ``message`` is the
    sentence shown to the user; ``field`` names the form field it belongs to, if any.
    Views turn it into a form error or a 4xx response, never a 500.
    """

    def __init__(self, code: StrEnum | str, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(code))
        self.code = str(code)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class CoreError(StrEnum):
    NOT_FOUND = "not_found"
    READ_ONLY = "read_only"
    OUT_OF_SCOPE = "out_of_scope"
    PII_FORBIDDEN = "pii_forbidden"


def violated_constraint(err: Exception) -> str | None:
    """The name of the constraint a database ``IntegrityError`` reports, where the database
    says it (PostgreSQL's error fields); None where it does not (SQLite names only columns),
    and the caller must then look at the data to know."""
    diag = getattr(err.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return name if isinstance(name, str) and name else None
