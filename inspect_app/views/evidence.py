"""Evidence files: upload to a case or finding, download, thumbnails."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evidence", __name__, url_prefix="/evidence")
