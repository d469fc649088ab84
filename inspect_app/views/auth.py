"""Sign in, sign out, language switch, the user's own account (password change)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.accounts import security_log
from cases.accounts import users as accounts
from cases.accounts.sessions import utcnow
from cases.enums import SecurityEventKind as Kind
from forms.auth import ChangePasswordForm, LoginForm
from inspect_app.auth import client_address, safe_next_url, sign_in, sign_out, user_agent
from inspect_app.extensions import db
from inspect_app.views.support import save_form

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        # the attempt is written (as a failure) and committed before the password is checked, so that
        # every worker counts it, even attempts sent at the same moment (cases/accounts/security_log.py)
        now = utcnow()
        attempt = security_log.begin_attempt(
            username=form.username.data, address=client_address(), user_agent=user_agent(), now=now
        )
        db.session.commit()
        per_name, per_address = security_log.recent_failures(client_address(), form.username.data, now=now)
        if (
            per_name > current_app.config["LOGIN_FAILURES_PER_MINUTE"]
            or per_address > current_app.config["LOGIN_FAILURES_PER_MINUTE_PER_ADDRESS"]
        ):
            over_name = per_name > current_app.config["LOGIN_FAILURES_PER_MINUTE"]
            security_log.finish_attempt(
                attempt, Kind.RATE_LIMITED, detail="per_user_name" if over_name else "per_address"
            )
            db.session.commit()
            form.password.errors.append(
                _("Too many failed sign-in attempts. Wait a minute, then try again with the right password.")
            )
            return render_template("auth/login.html", form=form), 429
        outcome = accounts.authenticate(username=form.username.data, password=form.password.data)
        if outcome.user is not None:
            security_log.finish_attempt(attempt, Kind.SIGN_IN, user=outcome.user)
            sign_in(outcome.user, remember=bool(form.remember.data))
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=outcome.user.full_name), "success")
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.index"))
        security_log.finish_attempt(attempt, Kind.SIGN_IN_FAILED, user=outcome.account, detail=outcome.reason)
        db.session.commit()
        if outcome.reason == "inactive":
            form.username.errors.append(_("This account has been deactivated. Contact an administrator."))
        else:
            form.password.errors.append(_("Wrong user name or password."))
    return render_template("auth/login.html", form=form), (200 if not form.errors else 400)


@bp.post("/logout")
@login_required
def logout():
    security_log.record(Kind.SIGN_OUT, user=current_user, address=client_address(), user_agent=user_agent())
    sign_out()
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next_url(request.form.get("next")) or url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    user = current_user._get_current_object()

    def save() -> None:
        accounts.change_own_password(
            user, current_password=form.current_password.data, new_password=form.new_password.data
        )
        # every session of the account ended with the old password; this browser gets a new one
        security_log.record(
            Kind.PASSWORD_CHANGED, user=user, address=client_address(), user_agent=user_agent()
        )
        sign_in(user, remember=bool(session.permanent))

    def done(_result: None):
        flash(_("Your password was changed."), "success")
        return redirect(url_for("auth.account"))

    return save_form(
        form,
        save,
        done=done,
        again=lambda status: (render_template("auth/account.html", form=form), status),
        # every error at once: the password rules too, on what the form could read
        problems=lambda: accounts.own_password_problems(
            user,
            current_password=None if form.current_password.errors else form.current_password.data,
            new_password=None if form.new_password.errors else form.new_password.data,
        ),
        fallback=lambda message: form.new_password.errors.append(message),  # a list once validated
    )
