"""Configuration, read from environment variables when the app is created (never at import)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ["vi", "en"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # "Keep me signed in" makes the session cookie outlive the browser for this many days; the session it
    # names (on the server) ends after SESSION_IDLE_MINUTES without use all the same.
    "REMEMBER_DAYS": 30,
    "WTF_CSRF_TIME_LIMIT": None,
    "PAGE_SIZE": 25,
    # Geocoding through a network service is off by default (the app works offline).
    # Set GEOCODER=nominatim (or arcgis) on a deployment with internet access.
    "GEOCODER": "",
    "GEOCODER_USER_AGENT": "inspect-app-an-giang",
    # A chosen commune further than this from the GPS point gets a plausibility warning.
    "COMMUNE_DISTANCE_WARNING_KM": 10.0,
    # The cap on a whole request (several evidence files at once); larger requests get a 413.
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    # The cap on one evidence file (photo or PDF).
    "EVIDENCE_MAX_BYTES": 20 * 1024 * 1024,
    # The most pixels an evidence photo may have (checked from its header, before decoding): 64 MP takes
    # every phone's normal photos and refuses 108/200 MP full-resolution ones (docs/security.md).
    "EVIDENCE_MAX_PIXELS": 64_000_000,
    # The most case rows one import may hold (a larger file is refused at once, before its rows are checked):
    # 10,000 valid rows take a worker about 5 s and 224 MB in all (docs/security.md).
    "IMPORT_MAX_ROWS": 10_000,
    # A signed-in user idle for longer than this is signed out (the next request goes to the login page).
    "SESSION_IDLE_MINUTES": 60,
    # Failed sign-ins allowed in a minute per client address and user name, and per client address alone:
    # counted in the database (the security log), so every gunicorn worker and machine shares the counts.
    "LOGIN_FAILURES_PER_MINUTE": 10,
    "LOGIN_FAILURES_PER_MINUTE_PER_ADDRESS": 50,
    # A manager may approve a case they wrote or whose team they are in (a department with one manager);
    # such an approval is marked as self-approved in the case's history. Off: another manager must.
    "ALLOW_SELF_APPROVAL": False,
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto to believe (0: none, direct).
    "TRUSTED_PROXY_COUNT": 0,
}

STATIC_FOLDER = Path(__file__).resolve().parent / "static"


def normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` / ``postgresql://`` URLs and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path) -> str:
    """A secret key kept in the instance folder, generated on first use."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_config(
    instance_path: Path,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the configuration from ``environ`` (``os.environ`` by default), then ``overrides``."""
    env = os.environ if environ is None else environ
    overrides = overrides or {}
    config = dict(DEFAULTS)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'inspect.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(database_url)
    config["SECRET_KEY"] = overrides.get("SECRET_KEY") or env.get("SECRET_KEY") or _secret_key(instance_path)
    config["GEOCODER"] = env.get("GEOCODER", "").strip().lower()
    config["SESSION_COOKIE_SECURE"] = env.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes"}
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if env.get("SESSION_IDLE_MINUTES"):
        config["SESSION_IDLE_MINUTES"] = _positive_int("SESSION_IDLE_MINUTES", env["SESSION_IDLE_MINUTES"])
    if env.get("TRUSTED_PROXY_COUNT"):
        config["TRUSTED_PROXY_COUNT"] = int(env["TRUSTED_PROXY_COUNT"].strip() or 0)
    config["ALLOW_SELF_APPROVAL"] = env.get("ALLOW_SELF_APPROVAL", "").strip().lower() in {"1", "true", "yes"}
    if env.get("LOG_LEVEL"):
        config["LOG_LEVEL"] = env["LOG_LEVEL"].upper()
    config["UPLOAD_FOLDER"] = env.get("UPLOAD_FOLDER") or str(instance_path / "evidence")
    # an uploaded sheet waits here between the steps of the import (mapping, preview), at most 2 hours
    config["IMPORT_STAGING_FOLDER"] = env.get("IMPORT_STAGING_FOLDER") or str(
        instance_path / "import-staging"
    )
    for name in ("EVIDENCE_MAX_BYTES", "EVIDENCE_MAX_PIXELS", "IMPORT_MAX_ROWS"):
        if env.get(name):
            config[name] = _positive_int(name, env[name])
    config.update(overrides)
    # the session cookie of a "keep me signed in" sign-in (a permanent session) lasts REMEMBER_DAYS
    config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(days=int(config["REMEMBER_DAYS"]))
    _check_upload_folder(config["UPLOAD_FOLDER"])
    return config


def _positive_int(name: str, value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return number


def _check_upload_folder(folder: str) -> None:
    """Evidence is served only through permission checks: never let it land in the static folder."""
    resolved = Path(folder).resolve()
    if resolved == STATIC_FOLDER or resolved.is_relative_to(STATIC_FOLDER):
        raise ValueError(f"UPLOAD_FOLDER must be outside the static folder ({STATIC_FOLDER})")
