"""HTML to PDF with WeasyPrint, for the views and the CLI alike.

WeasyPrint is imported when a PDF is made (it is slow to import). Its URL fetcher is restricted
(``inspect_app/url_fetcher.py``): a print template may use the app's own static files (``static/...``) and
nothing else — no ``file://`` elsewhere on the disk, no network — so a document can never pull in a local
file or call out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app


def html_to_pdf(html: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    from inspect_app.url_fetcher import static_base_url, static_only_fetcher

    # importing WeasyPrint switches Pillow to accepting truncated images, process-wide; evidence uploads
    # must keep refusing them (cases/evidence.py), and a report embeds no photos
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per page otherwise

    static = Path(current_app.static_folder or "")
    return HTML(
        string=html, base_url=static_base_url(static), url_fetcher=static_only_fetcher(static)
    ).write_pdf()
