"""The commune page: a commune's cases, establishments, confirmed findings and former units."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from cases.accounts import permissions
from cases.reporting import commune_page
from inspect_app.params import db_int

bp = Blueprint("communes", __name__, url_prefix="/communes")


@bp.get("/<code>")
@login_required
def show(code: str):
    commune = commune_page.get_commune(code) if code.isdigit() and len(code) <= 10 else None
    if commune is None:
        abort(404)
    if not permissions.can_see_commune(current_user, commune.code):
        abort(403)
    today = dt.date.today()
    year = request.args.get("year", type=db_int) or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    return render_template(
        "communes/show.html", commune=commune, page=commune_page.overview(commune.code, year), year=year
    )
