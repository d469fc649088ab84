"""HTML to PDF with WeasyPrint, for the views and the CLI alike.

WeasyPrint is imported when a PDF is made (it is slow to import). Its URL fetcher is restricted: a print
template may use the app's own static files (``static/...``) and nothing else — no ``file://`` elsewhere
on the disk, no network — so a document can never pull in a local file or call out.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import current_app


class FetchRefused(ValueError):
    """A print template asked for a resource outside the app's static folder."""


def static_only_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    static = Path(current_app.static_folder or "").resolve()
    path: Path | None = None
    if url.startswith("file://"):
        path = Path(url[len("file://") :]).resolve()
    if path is None or not path.is_relative_to(static) or not path.is_file():
        raise FetchRefused(f"refused: {url[:200]}")
    from weasyprint import default_url_fetcher

    return default_url_fetcher(path.as_uri())


def html_to_pdf(html: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # importing WeasyPrint switches Pillow to accepting truncated images, process-wide; evidence uploads
    # must keep refusing them (cases/evidence.py), and a report embeds no photos
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per page otherwise

    static = Path(current_app.static_folder or "").resolve()
    return HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=static_only_fetcher).write_pdf()
