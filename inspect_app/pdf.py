"""HTML to PDF with WeasyPrint, for the views and the CLI alike.

WeasyPrint is imported when a PDF is made (it is slow to import). Its URL fetcher is restricted
(``inspect_app/url_fetcher.py``): a print template may use the app's own static files (``static/...``) and
nothing else — no ``file://`` elsewhere on the disk, no network — so a document can never pull in a local
file or call out.

WeasyPrint's user-agent stylesheet is used a little trimmed (:func:`lean_user_agent_css`): its rules
``::marker {…}``, ``::footnote-call {…}``, ``::note-call {…}``… name no element, so they match every element,
and WeasyPrint computes those six pseudo-elements' styles for each of a document's elements — 9,000 of the
annual report's 10,000 computed styles, a tenth of the time its PDF takes. Here ``::marker`` applies to list
items only (the only elements with a marker), and the footnote and note rules are left out: a print template
that uses footnotes (``float: footnote``) must style its ``::footnote-call`` and ``::footnote-marker``
itself. Nothing else changes, so a document looks the same.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

from flask import current_app

#: The rules of WeasyPrint's user-agent stylesheet that match every element (a pseudo-element alone).
EVERY_ELEMENT_RULE = re.compile(
    r"^::(marker|footnote-call|footnote-marker|note-call|note-marker|note-callback)\b"
)


def lean_user_agent_css(ua: str) -> str:
    """WeasyPrint's user-agent stylesheet with ``::marker`` for ``li`` only and no footnote or note rules."""

    lines = []
    for line in ua.split("\n"):
        rule = EVERY_ELEMENT_RULE.match(line)
        if rule is None:
            lines.append(line)
        elif rule.group(1) == "marker":
            lines.append("li" + line)
    return "\n".join(lines)


@functools.cache
def _html_class() -> Any:
    """weasyprint.HTML with the lean user-agent stylesheet (made once per process)."""
    from weasyprint import CSS, HTML
    from weasyprint.html import UA, UA_FORM_STYLESHEET

    # its @counter-style rules are WeasyPrint's own, registered already (weasyprint.html.UA_COUNTER_STYLE)
    sheet = CSS(string=lean_user_agent_css(UA), counter_style={})

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet, UA_FORM_STYLESHEET] if forms else [sheet]

    return LeanHTML


def html_to_pdf(html: str) -> bytes:
    from PIL import ImageFile

    from inspect_app.url_fetcher import static_base_url, static_only_fetcher

    html_class = _html_class()
    # importing WeasyPrint switches Pillow to accepting truncated images, process-wide; evidence uploads
    # must keep refusing them (cases/recording/evidence.py), and a report embeds no photos
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per page otherwise

    static = Path(current_app.static_folder or "")
    return html_class(
        string=html, base_url=static_base_url(static), url_fetcher=static_only_fetcher(static)
    ).write_pdf()
