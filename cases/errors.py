"""Domain exceptions. They carry a code and parameters, not sentences; the web layer words them."""

from __future__ import annotations

from typing import Any, TypeVar


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, code: str | None = None, *, field: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.field = field
        self.params = params
        super().__init__(f"{self.code} {params}" if params else self.code)


class ValidationFailed(DomainError):
    code = "invalid"

    #: Set by :meth:`Problems.raise_any` on the problem it raises: every problem of the input.
    all_problems: list[ValidationFailed]


class NotFound(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class Problems:
    """The problems of one input, gathered so that a form shows them all at once.

    ``check(func, ...)`` runs a check that raises :class:`ValidationFailed` and records the failure instead
    (returning ``None``); ``add`` records one directly. ``raise_any()`` raises the first problem with every
    problem in its ``all_problems``, so a caller that reads one code still works.
    """

    def __init__(self) -> None:
        self.found: list[ValidationFailed] = []

    def add(self, code: str, *, field: str | None = None, **params: Any) -> None:
        self.found.append(ValidationFailed(code, field=field, **params))

    def check(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            self.found.extend(all_problems(exc))
            return None

    def on(self, field: str) -> bool:
        """A problem was recorded for ``field``."""
        return any(p.field == field for p in self.found)

    def raise_any(self) -> None:
        if self.found:
            first = self.found[0]
            first.all_problems = list(self.found)
            raise first


_Error = TypeVar("_Error", bound=DomainError)


def all_problems(exc: _Error) -> list[_Error]:
    """Every problem an error carries (see :class:`Problems`), or the error alone."""
    return list(getattr(exc, "all_problems", None) or [exc])
