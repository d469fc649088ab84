"""Sign in, sign out, language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from cases import accounts
from cases.errors import ValidationFailed
from forms.auth import ChangePasswordForm, LoginForm
from inspect_app.auth import safe_next_url
from inspect_app.extensions import db, limiter
from inspect_app.messages import domain_message
from inspect_app.security import address_key, login_failed, login_limit_key

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=login_limit_key,
    methods=["POST"],
    deduct_when=login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"],
    key_func=address_key,
    methods=["POST"],
    deduct_when=login_failed,
    scope="login-address",
)
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = accounts.authenticate(username=form.username.data, password=form.password.data)
        if outcome.user is not None:
            db.session.commit()
            login_user(outcome.user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=outcome.user.full_name), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.index"))
        db.session.rollback()
        if outcome.reason == "inactive":
            form.username.errors.append(_("This account has been deactivated. Contact an administrator."))
        else:
            form.password.errors.append(_("Wrong user name or password."))
    return render_template("auth/login.html", form=form), (200 if not form.errors else 400)


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next_url(request.form.get("next")) or url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():  # type: ignore[no-untyped-def]
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(
                current_user, current_password=form.current_password.data, new_password=form.new_password.data
            )
        except ValidationFailed as exc:
            db.session.rollback()
            getattr(form, exc.field or "new_password").errors.append(domain_message(exc))
        else:
            db.session.commit()
            flash(_("Your password was changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), (400 if form.errors else 200)
