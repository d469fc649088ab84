"""Administration: user accounts, their sessions, and the security log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.accounts import security_log, sessions
from cases.accounts import users as accounts
from cases.audit import trail as audit
from cases.enums import Role, SessionEndReason
from cases.enums import SecurityEventKind as Kind
from cases.errors import ValidationFailed
from cases.geography import places as geography
from cases.models import User
from cases.rendering.formatting import LOCAL_TZ, parse_date
from forms.users import PasswordResetForm, UserCreateForm, UserEditForm, role_choices
from inspect_app.auth import client_address, idle_limit, role_required, sign_in, user_agent
from inspect_app.extensions import db
from inspect_app.labels.accounts import security_kind_label
from inspect_app.labels.errors import domain_message
from inspect_app.pagination import requested_page
from inspect_app.views.support import load, save_form, show_beside_field

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    active = {"active": True, "inactive": False}.get(status)
    stmt = accounts.user_list_query(q=q or None, role=role or None, active=active)
    page = db.paginate(stmt, page=requested_page(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "admin/users.html",
        page=page,
        filters={"q": q, "role": role, "status": status},
        role_choices=role_choices(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_new():
    form = UserCreateForm(commune_choices=geography.commune_choices())

    def done(created: tuple[User, str | None]):
        user, password = created
        flash(_("Account %(username)s created.", username=user.username), "success")
        if not form.password.data:
            return render_template("admin/password_shown.html", user=user, password=password)
        return redirect(url_for("admin.users"))

    return save_form(
        form,
        lambda: accounts.create_user(
            username=form.username.data,
            full_name=form.full_name.data,
            role=form.role.data,
            password=form.password.data or None,
            email=form.email.data,
            phone=form.phone.data,
            commune_codes=form.communes.data or [],
            actor=current_user,
        ),
        done=done,
        again=lambda status: (render_template("admin/user_form.html", form=form, user=None), status),
        # every error at once: the account rules too, on what could be read
        problems=lambda: accounts.new_account_problems(
            username=form.username.data or "",
            role=form.role.data or "",
            password=form.password.data or None,
            commune_codes=form.communes.data or [],
        ),
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_edit(user_id: int):
    user = load(User, user_id)
    form = UserEditForm(obj=user, commune_choices=geography.commune_choices())
    if request.method == "GET":
        form.communes.data = [c.code for c in user.communes]

    def done(_result: Any):
        flash(_("Account %(username)s saved.", username=user.username), "success")
        return redirect(url_for("admin.users"))

    return save_form(
        form,
        lambda: accounts.update_user(
            user,
            full_name=form.full_name.data,
            role=form.role.data,
            active=form.active.data,
            email=form.email.data,
            phone=form.phone.data,
            commune_codes=form.communes.data or [],
            actor=current_user,
        ),
        done=done,
        again=lambda status: _render_edit(user, form, PasswordResetForm(), status),
        problems=lambda: accounts.account_update_problems(
            user,
            role=form.role.data or "",
            active=bool(form.active.data),
            commune_codes=form.communes.data or [],
            actor=current_user,
        ),
    )


def _render_edit(user: User, form: UserEditForm, reset_form: PasswordResetForm, status: int):
    return (
        render_template(
            "admin/user_form.html",
            form=form,
            user=user,
            reset_form=reset_form,
            open_sessions=sessions.open_sessions(user.id, now=sessions.utcnow(), idle_limit=idle_limit()),
            history=audit.entity_timeline("account", user.id, limit=30),
        ),
        status,
    )


@bp.post("/users/<int:user_id>/password")
@role_required(Role.ADMIN)
def user_reset_password(user_id: int):
    user = load(User, user_id)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    try:
        password = accounts.reset_password(user, password=form.password.data or None, actor=current_user)
    except ValidationFailed as exc:
        db.session.rollback()
        show_beside_field(form, exc)
        edit_form = UserEditForm(obj=user, commune_choices=geography.commune_choices())
        edit_form.communes.data = [c.code for c in user.communes]
        return _render_edit(user, edit_form, form, 400)
    security_log.record(
        Kind.PASSWORD_RESET, user=user, actor=current_user, address=client_address(), user_agent=user_agent()
    )
    if user.id == current_user.id:  # the administrator's own sessions ended too: this browser starts anew
        sign_in(user, remember=False)
    db.session.commit()
    if form.password.data:
        flash(_("The password of %(username)s was changed.", username=user.username), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/password_shown.html", user=user, password=password)


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def user_set_active(user_id: int):
    user = load(User, user_id)
    make_active = request.form.get("active") == "1"
    try:
        accounts.set_active(user, active=make_active, actor=current_user)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(domain_message(exc), "danger")
    else:
        db.session.commit()
        if make_active:
            flash(_("Account %(username)s reactivated.", username=user.username), "success")
        else:
            flash(_("Account %(username)s deactivated.", username=user.username), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/sessions/end")
@role_required(Role.ADMIN)
def user_end_sessions(user_id: int):
    """Sign a user out everywhere: every session of the account ends (a lost phone, a shared computer)."""
    user = load(User, user_id)
    ended = sessions.end_all(user.id, SessionEndReason.SIGN_OUT_EVERYWHERE)
    security_log.record(
        Kind.SIGN_OUT_EVERYWHERE,
        user=user,
        actor=current_user,
        address=client_address(),
        user_agent=user_agent(),
        detail=str(ended),
    )
    db.session.commit()
    flash(
        _(
            "%(username)s was signed out everywhere (%(count)d sessions ended).",
            username=user.username,
            count=ended,
        ),
        "success",
    )
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _security_kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, security_kind_label(kind.value)) for kind in Kind]


@bp.get("/security-log")
@role_required(Role.ADMIN)
def security_events():
    kind = request.args.get("kind", "")
    kind = kind if kind in {k.value for k in Kind} else ""
    q = request.args.get("q", "").strip()[:64]
    address = request.args.get("address", "").strip()[:64]
    date_from = parse_date(request.args.get("date_from"))
    date_to = parse_date(request.args.get("date_to"))
    stmt = security_log.event_list_query(
        kind=kind or None,
        q=q or None,
        address=address or None,
        date_from=date_from,
        date_to=date_to,
        tz=LOCAL_TZ,
    )
    page = db.paginate(stmt, page=requested_page(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "admin/security_log.html",
        page=page,
        filters={"kind": kind, "q": q, "address": address, "date_from": date_from, "date_to": date_to},
        kind_choices=_security_kind_choices(),
    )
