"""A WeasyPrint URL fetcher that serves the app's own static files and nothing else.

A print template may use ``static/...`` (relative to the base URL :func:`static_base_url`), ``/static/...``
(as ``url_for('static', ...)`` writes it) or a ``file://`` URL inside the static folder, and ``data:`` URLs
(they carry their own bytes and reach nothing). Everything else is refused: ``file://`` anywhere else on the
disk (``/etc/passwd``, the instance folder, evidence files), ``http(s)://`` and every other scheme, so a PDF
can neither pull in a local file nor call out to the network. Refused resources are simply left out of the
PDF (WeasyPrint logs a warning and carries on).

    from weasyprint import HTML
    from inspect_app.url_fetcher import static_base_url, static_only_fetcher

    HTML(string=html, base_url=static_base_url(), url_fetcher=static_only_fetcher()).write_pdf()
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_FOLDER = Path(__file__).resolve().parent / "static"
STATIC_URL_PATH = "/static/"


class FetchRefused(ValueError):
    """A print template asked for something outside the app's static folder."""


def static_base_url(static_folder: str | Path = STATIC_FOLDER) -> str:
    """The base URL to give WeasyPrint, so that ``static/css/print.css`` resolves to the static folder."""
    return Path(static_folder).resolve().parent.as_uri() + "/"


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to the files under ``static_folder`` (and ``data:`` URLs)."""

    def __init__(self, static_folder: str | Path = STATIC_FOLDER, **kwargs: Any) -> None:
        kwargs.setdefault("allowed_protocols", {"file", "data"})
        kwargs.setdefault("allow_redirects", False)
        super().__init__(**kwargs)
        self.static_folder = Path(static_folder).resolve()

    def resolve(self, url: str) -> Path:
        """The static file ``url`` names; :class:`FetchRefused` for anything else."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
            raise FetchRefused(f"only the app's static files may be used in a PDF, not {url[:200]!r}")
        raw = url2pathname(unquote(parts.path))
        candidates = [Path(raw)]
        if parts.path.startswith(STATIC_URL_PATH):  # url_for('static', ...) against a file:// base URL
            candidates.append(self.static_folder / unquote(parts.path[len(STATIC_URL_PATH) :]))
        for candidate in candidates:
            path = candidate.resolve()  # follows symbolic links: a link out of the folder is refused
            if path.is_relative_to(self.static_folder) and path.is_file():
                return path
        raise FetchRefused(f"not a static file of the app: {url[:200]!r}")

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = self.resolve(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def static_only_fetcher(static_folder: str | Path = STATIC_FOLDER) -> StaticOnlyFetcher:
    return StaticOnlyFetcher(static_folder)
