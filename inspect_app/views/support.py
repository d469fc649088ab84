"""The one way a view loads what it shows and saves what a form sent.

``load`` finds a row (404 if there is none) and checks the user's right to it (403 otherwise);
``load_case`` does so for a case with everything its page shows. ``save_form`` runs "the form → the
domain's operation → commit", or rolls back and shows the form again with every error beside its field:
the form's own, the domain's rules, a stale edit. The domain's ``PermissionDenied`` and ``NotFound`` become
403 and 404 in ``inspect_app/errors.py``, so a view does not catch them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from cases.accounts import permissions
from cases.errors import DomainError, ValidationFailed, all_problems
from cases.models import Case
from cases.recording.queries import case_detail_query
from inspect_app.extensions import db
from inspect_app.labels.errors import domain_message

T = TypeVar("T")


def require(allowed: bool) -> None:
    """403 unless ``allowed``."""
    if not allowed:
        abort(403)


def load(get: type[T] | Callable[[Any], T | None], key: Any, allowed: Callable[..., bool] | None = None) -> T:
    """The row ``key`` of the model ``get`` (or what the callable ``get`` returns for it): 404 when there
    is none, 403 when ``allowed(current_user, row)`` says no."""
    row = db.session.get(get, key) if isinstance(get, type) else get(key)
    if row is None:
        abort(404)
    if allowed is not None:
        require(allowed(current_user, row))
    return row


def load_case(case_id: int, allowed: Callable[..., bool] = permissions.can_view_case) -> Case:
    """A case with what its pages show, if the user may see it (and do what ``allowed`` asks)."""
    case = db.session.scalar(case_detail_query(case_id))
    if case is None:
        abort(404)
    if allowed is not permissions.can_view_case:
        require(permissions.can_view_case(current_user, case))
    require(allowed(current_user, case))
    return case


def _same_moment() -> str:
    return _("Somebody else saved this record at the same moment. Please try again.")


def save_form(
    form: Any,
    save: Callable[[], T],
    *,
    done: Callable[[T], Any],
    again: Callable[[int], Any],
    problems: Callable[[], list[DomainError]] | None = None,
    fallback: Callable[[str], Any] | None = None,
    show: Callable[[Any, DomainError], Any] | None = None,
    stale: str | None = None,
    valid: bool | None = None,
    hold: bool = False,
) -> Any:
    """Save a submitted form, or show it again with every error beside its field (status 400).

    - not submitted: ``again(200)``, the form as it is;
    - the form's own checks fail (``valid``, by default ``form.validate_on_submit()``): the domain's
      ``problems()`` too, beside the fields that have no error yet, all at once, then ``again(400)``;
    - ``hold``: the form is shown again unsaved (e.g. a proposal the user must confirm);
    - otherwise ``save()`` runs, the session commits, and ``done(result)`` answers. A domain
      ``ValidationFailed`` rolls back and goes beside its field (or to ``fallback``, by default a flashed
      message; ``show(form, error)`` replaces how an error is shown); a stale edit (an error on the field
      ``version``, or SQLAlchemy's ``StaleDataError``) rolls back and says ``stale``: the form keeps what
      was typed.
    """
    if not form.is_submitted():
        return again(200)
    if valid is None:
        valid = form.validate_on_submit()
    if not valid:
        if problems is not None:
            try:
                found = problems()
            except Exception:  # noqa: BLE001 - a half-parsed form must never turn into a 500
                db.session.rollback()
                found = []
            add_rule_problems(form, found, fallback=fallback, show=show)
        return again(400)
    if hold:
        return again(400)
    try:
        result = save()
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        if exc.field == "version" and stale is not None:
            (fallback or _flash_danger)(stale)
        elif show is not None:
            show(form, exc)
        else:
            show_beside_field(form, exc, fallback=fallback)
        return again(400)
    except StaleDataError:
        db.session.rollback()
        (fallback or _flash_danger)(stale or _same_moment())
        return again(400)
    return done(result)


def _flash_danger(message: str) -> None:
    flash(message, "danger")


# --- errors beside the fields -------------------------------------------------------------------------


def show_beside_field(
    form: Any,
    exc: DomainError,
    message: str | None = None,
    *,
    fallback: Callable[[str], Any] | None = None,
) -> None:
    """Put a domain error's words beside the form field it names (``exc.field``).

    Without such a field the words go to ``fallback`` (by default a flashed message), so nothing the user
    should read is lost. ``message`` replaces the default wording of ``exc``. An error carrying several
    problems (``cases.errors.Problems``, a case's rules) shows each beside its own field, all at once.
    """
    problems = all_problems(exc)
    if problems != [exc]:
        for problem in problems:
            _show_one(form, problem, domain_message(problem), fallback)
        return
    _show_one(form, exc, message if message is not None else domain_message(exc), fallback)


def _field_of(form: Any, name: str | None) -> Any:
    """The visible field of ``form`` that the domain's field ``name`` is (``form.field_aliases`` renames);
    None for none, or for a hidden field (nobody would see its message)."""
    name = getattr(form, "field_aliases", {}).get(name, name)
    field = getattr(form, name or "", None)
    if field is None or not hasattr(field, "errors") or getattr(field, "type", "") == "HiddenField":
        return None
    return field


def _show_one(form: Any, exc: DomainError, message: str, fallback: Callable[[str], Any] | None) -> None:
    field = _field_of(form, exc.field)
    if field is not None:
        field.errors = [*field.errors, message]
    elif fallback is not None:
        fallback(message)
    else:
        flash(message, "danger")


def add_rule_problems(
    form: Any,
    problems: list[DomainError],
    *,
    fallback: Callable[[str], Any] | None = None,
    show: Callable[[Any, DomainError], Any] | None = None,
) -> None:
    """After a form failed its own checks, also show the domain's rule problems (all at once), except on
    the fields that already carry an error (a value that could not be read is not checked again).
    ``show(form, problem)`` replaces the default way of showing one."""
    for problem in problems:
        field = _field_of(form, problem.field)
        if field is not None and field.errors:
            continue
        if show is not None:
            show(form, problem)
        else:
            show_beside_field(form, problem, fallback=fallback)
