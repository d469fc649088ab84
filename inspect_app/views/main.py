"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from cases import geography

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    summary = geography.reference_summary()
    return render_template("main/index.html", summary=summary, user=current_user)
