"""Import of historical cases (upload page) and export of filtered case lists."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("transfer", __name__, url_prefix="/cases")
