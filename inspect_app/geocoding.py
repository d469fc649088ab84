"""The optional network geocoder, built from configuration (off unless GEOCODER is set)."""

from __future__ import annotations

from typing import Any

from flask import current_app


def configured_geocoder() -> Any | None:
    """A geopy geocoder for ``GEOCODER`` = ``nominatim`` or ``arcgis``; ``None`` when geocoding is off."""
    name = current_app.config.get("GEOCODER") or ""
    if name == "nominatim":
        from geopy.geocoders import Nominatim

        return Nominatim(user_agent=current_app.config["GEOCODER_USER_AGENT"], timeout=5)
    if name == "arcgis":
        from geopy.geocoders import ArcGIS

        return ArcGIS(timeout=5)
    return None
