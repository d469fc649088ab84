"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from cases import geography
from cases.case_queries import my_open_cases

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    summary = geography.reference_summary()
    return render_template(
        "main/index.html", summary=summary, user=current_user, open_cases=my_open_cases(current_user)
    )
