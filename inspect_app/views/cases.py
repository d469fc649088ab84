"""Cases: list, search, create, edit and show the three kinds."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
