"""Error pages (Vietnamese, no stack traces) and JSON errors for the API."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from cases.db import db
from cases.errors import NotFound, PermissionDenied

logger = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please check what you entered.")),
        403: (_("Access denied"), _("You do not have permission to open this page.")),
        404: (_("Page not found"), _("The page you asked for does not exist or has been moved.")),
        405: (_("Not allowed"), _("This action is not allowed here.")),
        413: (_("File too large"), _("The file you sent is larger than the limit.")),
        429: (_("Too many requests"), _("Please wait a moment and try again.")),
        500: (
            _("Something went wrong"),
            # never "nothing was lost": the form is not shown again, so what was typed is not on this page
            _(
                "An unexpected error occurred. What you just sent may not have been saved: go back to the "
                "previous page, check it and try again."
            ),
        ),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


#: The error page when even the error page cannot be made (the database is down: loading the signed-in
#: user for the language, or the navigation's counts, fails). Vietnamese, the default locale; no database.
_FALLBACK_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đã xảy ra lỗi</title></head>
<body><main><p>{code}</p><h1>Đã xảy ra lỗi</h1>
<p>Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Những gì bạn vừa gửi có thể chưa được lưu: vui lòng
quay lại trang trước và thử lại sau ít phút.</p><p><a href="/">Về trang chủ</a></p></main></body></html>
"""


def _render(code: int, description: str | None = None):
    try:
        title, message = _messages().get(code, (_("Error"), description or ""))
        if _wants_json():
            return jsonify(error=description or message, status=code), code
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception:
        logger.exception("The error page for %s could not be rendered", code)
        db.session.rollback()
        status = 503 if code >= 500 else code
        if _wants_json():
            return jsonify(error="Đã xảy ra lỗi", status=status), status
        return _FALLBACK_PAGE.format(code=status), status, {"Content-Type": "text/html; charset=utf-8"}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        title = _("Form expired")
        message = _(
            "The form has expired or was sent from elsewhere. Go back, reload the page and try again."
        )
        if _wants_json():
            return jsonify(error=message, status=400), 400
        return render_template("errors/error.html", code=400, title=title, message=message), 400

    @app.errorhandler(StaleDataError)
    def stale_data(exc: StaleDataError):
        db.session.rollback()
        title = _("Saved by somebody else")
        message = _(
            "Somebody else saved this record at the same moment, so your changes were not saved. "
            "Go back, reload the page and enter them again."
        )
        if _wants_json():
            return jsonify(error=message, status=409), 409
        return render_template("errors/error.html", code=409, title=title, message=message), 409

    @app.errorhandler(PermissionDenied)
    def permission_denied(exc: PermissionDenied):
        """The domain refused the user (``cases/accounts/permissions.py``): nothing of the attempt stays."""
        db.session.rollback()
        return _render(403)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        db.session.rollback()
        return _render(404)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError):
            return server_error(exc)
        code = exc.code or 500
        return _render(code, exc.description if _wants_json() and code == 400 else None)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        db.session.rollback()
        original = getattr(exc, "original_exception", None) or exc
        logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=original)
        return _render(500)
