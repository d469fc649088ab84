"""JSON endpoints used by the forms (signed-in users only)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases.errors import ValidationFailed
from cases.geography import places as geography
from forms.validators import parse_coordinate
from inspect_app.geocoding import configured_geocoder
from inspect_app.labels.errors import domain_message
from inspect_app.params import db_int

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _error(message: str, status: int = 400):
    return jsonify(error=message, status=status), status


@bp.before_request
def _require_sign_in():
    """A script calling the API gets 401 JSON, not the login page that ``login_required`` redirects to."""
    if not current_user.is_authenticated:
        return _error(_("Please sign in to open this page."), 401)
    return None


@bp.get("/communes")
@login_required
def communes():
    return jsonify(communes=geography.list_communes())


@bp.get("/communes/suggest")
@login_required
def suggest_commune():
    address = request.args.get("address", "").strip()
    lat_raw, lon_raw = request.args.get("lat"), request.args.get("lon")
    if address and (lat_raw or lon_raw):
        return _error(_("Give either an address or coordinates, not both."))
    if address:
        try:
            geography.check_address_length(address)
        except ValidationFailed as exc:
            return _error(domain_message(exc))
        suggestion = geography.suggest_from_address(address)
        if suggestion is None and (geocoder := configured_geocoder()) is not None:
            suggestion = geography.geocode_address(address, geocoder)  # only where GEOCODER is set
        if suggestion is None:
            return _error(_("No commune of An Giang could be recognised in this address."), 404)
        return jsonify(suggestion.as_dict())
    if lat_raw is None and lon_raw is None:
        return _error(_("Give an address, or both lat and lon."))
    try:
        lat = parse_coordinate(lat_raw, kind="lat")
        lon = parse_coordinate(lon_raw, kind="lon")
    except ValueError as exc:
        return _error(str(exc))
    try:
        suggestion = geography.suggest_from_point(lat, lon)
    except ValidationFailed:
        return _error(_("These coordinates are outside An Giang province."), 404)
    return jsonify(suggestion.as_dict())


@bp.get("/communes/check")
@login_required
def check_commune():
    """Is the chosen commune plausible for the GPS point? ``{"warning": null}`` or the warning's details."""
    code = request.args.get("code", "").strip()
    try:
        lat = parse_coordinate(request.args.get("lat"), kind="lat")
        lon = parse_coordinate(request.args.get("lon"), kind="lon")
    except ValueError as exc:
        return _error(str(exc))
    try:
        warning = geography.check_commune_plausibility(code, lat, lon)
    except ValidationFailed as exc:
        if exc.code == "unknown_commune":
            return _error(_("Unknown commune code: %(codes)s.", codes=code[:20]), 404)
        return _error(_("These coordinates are outside An Giang province."), 404)
    return jsonify(warning=warning.as_dict() if warning else None)


@bp.get("/ecommerce/earlier")
@login_required
def earlier_ecommerce_checks():
    """Earlier checks of the same listing URL or seller, for the e-commerce form."""
    from cases.accounts.permissions import can_view_case
    from cases.recording.service import earlier_checks

    url = request.args.get("url", "").strip()[:2000] or None
    found = earlier_checks(
        listing_url=url,
        platform=request.args.get("platform") or None,
        seller_platform_id=(request.args.get("seller_id") or "").strip()[:200] or None,
        seller_name=(request.args.get("seller") or "").strip()[:300] or None,
        exclude_id=request.args.get("exclude", type=db_int),
    )
    return jsonify(
        checks=[
            {
                "id": c.id,
                "number": c.number,
                "opened_on": c.opened_on.strftime("%d/%m/%Y"),
                "status": c.status,
                "seller": c.seller_name,
                "url": url_for("cases.show", case_id=c.id),
            }
            for c in found
            if can_view_case(current_user, c)
        ]
    )


@bp.get("/violations")
@login_required
def violations():
    """Catalog entries (not retired) for the finding form's picker: ``?q=`` words or a code (with or
    without accents), ``&field=`` a field of inspection, ``&limit=`` up to 100 (20 by default)."""
    from cases.enums import InspectionField
    from cases.review.findings import search_violations, violation_as_dict

    q = request.args.get("q", "").strip()[:200]
    field = request.args.get("field", "").strip() or None
    if field is not None and field not in {f.value for f in InspectionField}:
        return _error(_("Unknown field of inspection: %(field)s.", field=field[:30]))
    limit = max(1, min(request.args.get("limit", 20, type=db_int) or 20, 100))
    found = search_violations(q, field=field, limit=limit)
    return jsonify(violations=[violation_as_dict(v) for v in found])
