"""The choices of lists and filters that several pages offer, for the signed-in user."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from cases.accounts import permissions
from cases.enums import Role
from cases.geography import places as geography
from cases.models import User
from inspect_app.extensions import db


def commune_choices() -> list[tuple[str, str]]:
    """The communes the current user may pick: a liaison's own, everyone else's all."""
    choices = geography.commune_choices()
    scope = permissions.commune_scope(current_user)
    return choices if scope is None else [c for c in choices if c[0] in scope]


def person_label(user: User) -> str:
    """A name in a list of inspectors; someone who no longer inspects says so (role or deactivated)."""
    from inspect_app.labels.codes import role_label

    if not user.active:
        return f"{user.full_name} ({_('Deactivated').lower()})"
    if user.role != Role.INSPECTOR:
        return f"{user.full_name} ({role_label(user.role)})"
    return user.full_name


def inspector_filter_choices(selected: int | None = None) -> list[tuple[int, str]]:
    """The lists' "inspector" filter: every inspector (the deactivated ones too, whose cases remain,
    marked), and the person filtered on if the URL names somebody else."""
    condition = User.role == Role.INSPECTOR
    if selected:
        condition = or_(condition, User.id == selected)
    users = db.session.scalars(select(User).where(condition).order_by(User.active.desc(), User.full_name_key))
    return [(u.id, person_label(u)) for u in users]
