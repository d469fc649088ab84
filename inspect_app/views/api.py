"""JSON endpoints used by the forms (signed-in users only)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cases import geography
from cases.errors import ValidationFailed
from forms.validators import parse_coordinate
from inspect_app.geocoding import configured_geocoder

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _error(message: str, status: int = 400):  # type: ignore[no-untyped-def]
    return jsonify(error=message, status=status), status


@bp.before_request
def _require_sign_in():  # type: ignore[no-untyped-def]
    """A script calling the API gets 401 JSON, not the login page that ``login_required`` redirects to."""
    if not current_user.is_authenticated:
        return _error(_("Please sign in to open this page."), 401)
    return None


@bp.get("/communes")
@login_required
def communes():  # type: ignore[no-untyped-def]
    return jsonify(communes=geography.list_communes())


@bp.get("/communes/suggest")
@login_required
def suggest_commune():  # type: ignore[no-untyped-def]
    address = request.args.get("address", "").strip()
    lat_raw, lon_raw = request.args.get("lat"), request.args.get("lon")
    if address and (lat_raw or lon_raw):
        return _error(_("Give either an address or coordinates, not both."))
    if address:
        if len(address) > 500:
            return _error(_("The address is too long (at most 500 characters)."))
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
