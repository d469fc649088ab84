"""WeasyPrint may read the app's static files and nothing else: no file elsewhere, no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from weasyprint import HTML

from inspect_app.url_fetcher import STATIC_FOLDER, FetchRefused, static_base_url, static_only_fetcher

APP_CSS = (STATIC_FOLDER / "css" / "app.css").read_text(encoding="utf-8")
#: A print template that tries to pull in a local file and call out, as attachments, images and styles.
HOSTILE = """<html><head>
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="stylesheet" href="http://example.com/print.css">
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="static/../../pyproject.toml">
<link rel="attachment" href="https://example.com/secret.txt">
<link rel="attachment" href="static/css/app.css">
</head><body><p>Báo cáo</p>
<img src="file:///etc/passwd"><img src="http://example.com/logo.png"><img src="/static/favicon.svg">
</body></html>"""


def _pdf(html: str, **kwargs) -> bytes:
    return HTML(string=html, base_url=static_base_url(), **kwargs).write_pdf(uncompressed_pdf=True)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file:///etc/hostname?x=/static/",
        Path(__file__).resolve().as_uri(),  # a file of the project outside the static folder
        (STATIC_FOLDER / ".." / "config.py").as_uri(),
        (STATIC_FOLDER / "css" / "..%2F..%2Fconfig.py").as_uri(),
        "file:///static/../../etc/passwd",
        "file://evil.example/static/css/app.css",
        "http://example.com/static/css/app.css",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "javascript:alert(1)",
        (STATIC_FOLDER / "css").as_uri(),  # a folder, not a file
    ],
)
def test_anything_outside_the_static_folder_is_refused(url):
    with pytest.raises((FetchRefused, ValueError)):
        static_only_fetcher().fetch(url)


def test_a_symbolic_link_out_of_the_static_folder_is_refused(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.txt").write_text("mật khẩu")
    (static / "link.css").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(FetchRefused):
        static_only_fetcher(static).fetch((static / "link.css").as_uri())


@pytest.mark.parametrize(
    "url",
    [
        static_base_url() + "static/css/app.css",
        "file:///static/css/app.css",  # url_for('static', filename=...) against the file:// base URL
        (STATIC_FOLDER / "css" / "app.css").as_uri(),
    ],
)
def test_the_apps_own_static_files_are_served(url):
    response = static_only_fetcher().fetch(url)
    try:
        assert response.read().decode("utf-8") == APP_CSS
        assert response.content_type == "text/css"
    finally:
        response.close()


def test_a_hostile_template_gets_nothing_but_static_files(monkeypatch):
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    pdf = _pdf(HOSTILE, url_fetcher=static_only_fetcher())
    assert pdf.startswith(b"%PDF")
    assert b"root:x:0:0" not in pdf and b"[project]" not in pdf  # neither /etc/passwd nor pyproject.toml
    assert APP_CSS[:200].encode() in pdf  # the static stylesheet was attached: allowed files do come through
    assert attempts == []  # and nothing tried to reach the network


def test_without_the_fetcher_the_same_template_would_leak_a_local_file():
    """What the restriction prevents (and proof that the test above can fail)."""
    leaked = _pdf('<html><head><link rel="attachment" href="file:///etc/passwd"></head><body></body></html>')
    assert b"root:x:0:0" in leaked


def test_the_apps_pdfs_use_the_restricted_fetcher(app):
    """inspect_app.pdf.html_to_pdf (the annual report) gets a static file, but nothing from elsewhere."""
    from inspect_app.pdf import html_to_pdf

    with app.app_context():
        pdf = html_to_pdf(HOSTILE)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    with app.app_context():
        leaked = html_to_pdf('<link rel="attachment" href="file:///etc/passwd"><p>x</p>')
        kept = html_to_pdf('<link rel="attachment" href="static/css/app.css"><p>x</p>')
    assert len(kept) > len(leaked) + 1000  # the static stylesheet was attached, /etc/passwd was not
