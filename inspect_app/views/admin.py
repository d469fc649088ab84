"""Administration: user accounts, their sessions, and the security log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
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
from inspect_app.messages import add_rule_problems, domain_message, show_beside_field
from inspect_app.pagination import requested_page

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@role_required(Role.ADMIN)
def users():  # type: ignore[no-untyped-def]
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
def user_new():  # type: ignore[no-untyped-def]
    form = UserCreateForm(commune_choices=geography.commune_choices())
    if form.is_submitted() and not form.validate():
        # every error at once: the account rules too, on what could be read
        add_rule_problems(
            form,
            accounts.new_account_problems(
                username=form.username.data or "",
                role=form.role.data or "",
                password=form.password.data or None,
                commune_codes=form.communes.data or [],
            ),
        )
    elif form.is_submitted():
        try:
            user, password = accounts.create_user(
                username=form.username.data,
                full_name=form.full_name.data,
                role=form.role.data,
                password=form.password.data or None,
                email=form.email.data,
                phone=form.phone.data,
                commune_codes=form.communes.data or [],
                actor=current_user,
            )
        except ValidationFailed as exc:
            db.session.rollback()
            show_beside_field(form, exc)
        else:
            db.session.commit()
            flash(_("Account %(username)s created.", username=user.username), "success")
            if not form.password.data:
                return render_template("admin/password_shown.html", user=user, password=password)
            return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_edit(user_id: int):  # type: ignore[no-untyped-def]
    user = _get_user(user_id)
    form = UserEditForm(obj=user, commune_choices=geography.commune_choices())
    if request.method == "GET":
        form.communes.data = [c.code for c in user.communes]
    if form.is_submitted() and not form.validate():
        add_rule_problems(
            form,
            accounts.account_update_problems(
                user,
                role=form.role.data or "",
                active=bool(form.active.data),
                commune_codes=form.communes.data or [],
                actor=current_user,
            ),
        )
    elif form.is_submitted():
        try:
            accounts.update_user(
                user,
                full_name=form.full_name.data,
                role=form.role.data,
                active=form.active.data,
                email=form.email.data,
                phone=form.phone.data,
                commune_codes=form.communes.data or [],
                actor=current_user,
            )
        except ValidationFailed as exc:
            db.session.rollback()
            show_beside_field(form, exc)
        else:
            db.session.commit()
            flash(_("Account %(username)s saved.", username=user.username), "success")
            return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return _render_edit(user, form, PasswordResetForm(), status)


def _render_edit(user: User, form: UserEditForm, reset_form: PasswordResetForm, status: int):  # type: ignore[no-untyped-def]
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
def user_reset_password(user_id: int):  # type: ignore[no-untyped-def]
    user = _get_user(user_id)
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
def user_set_active(user_id: int):  # type: ignore[no-untyped-def]
    user = _get_user(user_id)
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
def user_end_sessions(user_id: int):  # type: ignore[no-untyped-def]
    """Sign a user out everywhere: every session of the account ends (a lost phone, a shared computer)."""
    user = _get_user(user_id)
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


@bp.app_template_global()
def account_field_label(field: str) -> str:
    return {
        "username": lambda: _("User name"),
        "full_name": lambda: _("Full name"),
        "role": lambda: _("Role"),
        "email": lambda: _("Email"),
        "phone": lambda: _("Phone"),
        "active": lambda: _("Active"),
        "communes": lambda: _("Communes"),
        "must_change_password": lambda: _("Must change the password at the next sign-in"),
    }.get(field, lambda: field)()


@bp.app_template_global()
def account_value(value: object, field: str) -> str:
    from inspect_app.formatting import role_label

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "role":
        return role_label(str(value))
    if field == "communes" and isinstance(value, list):
        names = dict(geography.commune_choices())
        return ", ".join(names.get(str(code), str(code)) for code in value)
    return str(value)


def _security_kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, security_kind_label(kind.value)) for kind in Kind]


@bp.app_template_global()
def security_kind_label(kind: str) -> str:
    return {
        Kind.SIGN_IN: lambda: _("Signed in"),
        Kind.SIGN_IN_FAILED: lambda: _("Failed sign-in"),
        Kind.RATE_LIMITED: lambda: _("Sign-in refused: too many failures"),
        Kind.SIGN_OUT: lambda: _("Signed out"),
        Kind.SIGN_OUT_EVERYWHERE: lambda: _("Signed out everywhere by an administrator"),
        Kind.PASSWORD_CHANGED: lambda: _("Password changed"),
        Kind.PASSWORD_RESET: lambda: _("Password reset"),
        Kind.SESSION_REFUSED: lambda: _("Session refused: its cookie came from elsewhere"),
    }.get(kind, lambda: kind)()


@bp.app_template_global()
def security_detail_label(kind: str, detail: str | None) -> str:
    if not detail:
        return ""
    if kind == Kind.SIGN_OUT_EVERYWHERE:
        return _("%(count)s sessions ended", count=detail)
    return {
        "wrong_password": lambda: _("wrong password"),
        "unknown": lambda: _("no such user name"),
        "inactive": lambda: _("account deactivated"),
        "checking": lambda: _("unfinished (the server stopped answering)"),
        "per_user_name": lambda: _("limit per user name and address"),
        "per_address": lambda: _("limit per address"),
        "user_agent_changed": lambda: _("the session cookie came from another browser"),
        "client_changed": lambda: _("the session cookie came from another address or browser"),
        "cli": lambda: _("from the command line (flask reset-password)"),
    }.get(detail, lambda: detail)()


@bp.get("/security-log")
@role_required(Role.ADMIN)
def security_events():  # type: ignore[no-untyped-def]
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
