"""Administration: user accounts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import accounts, geography
from cases.enums import Role
from cases.errors import ValidationFailed
from cases.models import User
from forms.users import PasswordResetForm, UserCreateForm, UserEditForm, role_choices
from inspect_app.auth import role_required
from inspect_app.extensions import db
from inspect_app.messages import domain_message, show_beside_field
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
    if form.validate_on_submit():
        try:
            user, password = accounts.create_user(
                username=form.username.data,
                full_name=form.full_name.data,
                role=form.role.data,
                password=form.password.data or None,
                email=form.email.data,
                phone=form.phone.data,
                commune_codes=form.communes.data or [],
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
    if form.validate_on_submit():
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
    reset_form = PasswordResetForm()
    return render_template("admin/user_form.html", form=form, user=user, reset_form=reset_form), status


@bp.post("/users/<int:user_id>/password")
@role_required(Role.ADMIN)
def user_reset_password(user_id: int):  # type: ignore[no-untyped-def]
    user = _get_user(user_id)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    try:
        password = accounts.reset_password(user, password=form.password.data or None)
    except ValidationFailed as exc:
        db.session.rollback()
        show_beside_field(form, exc)
        edit_form = UserEditForm(obj=user, commune_choices=geography.commune_choices())
        edit_form.communes.data = [c.code for c in user.communes]
        return render_template("admin/user_form.html", form=edit_form, user=user, reset_form=form), 400
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
