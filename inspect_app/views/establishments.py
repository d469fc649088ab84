"""Establishments: list, page with case history, create and edit."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("establishments", __name__, url_prefix="/establishments")
