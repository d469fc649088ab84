"""The login rate limit holds across every gunicorn worker (issue 15 item 8; docs/security.md).

gunicorn serves the test database with several worker processes, as ``make run`` does; bad passwords are
sent at once (so that several workers answer, which the access log's process ids show) and then one by
one. The 11th bad password within a minute is refused whichever worker answers. With counters kept per
process (Flask-Limiter's memory storage, before), each worker counted only its own share.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from cases.db import db
from cases.models import User
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WORKERS = 3
BAD = {"username": "nannhan", "password": "doan-mo-12345"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, form: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = urllib.parse.urlencode(form) if form else None
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"} if form else {}
        conn.request(method, path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def gunicorn(app, tmp_path):
    """gunicorn with WORKERS processes on the test database (CSRF off, as in the other web tests)."""
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key",
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
    }
    config = tmp_path / "limit_test_app.py"
    # the same app as in production, but without CSRF: these requests post the form directly
    config.write_text(
        "from inspect_app import create_app\n"
        "def app_factory():\n"
        "    return create_app({'WTF_CSRF_ENABLED': False})\n"
    )
    errors = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(p)s %(s)s %(m)s %(U)s",
            "--pythonpath",
            f"{tmp_path},{ROOT}",
            "limit_test_app:app_factory()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    try:
        deadline = time.monotonic() + 90
        ready = 0
        while ready < WORKERS * 2:  # every worker has imported the app: the login page answers quickly
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError((tmp_path / "gunicorn.log").read_text()[-3000:])
            try:
                ready = ready + 1 if _request(port, "GET", "/login") == 200 else 0
            except OSError:
                time.sleep(0.3)
        yield port, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        errors.close()


def _answers(log: Path) -> list[tuple[str, str]]:
    """(worker pid, status) of each POST /login in the access log, in order."""
    lines = log.read_text().splitlines()
    return [
        (m.group(1), m.group(2)) for line in lines if (m := re.match(r"<(\d+)> (\d{3}) POST /login", line))
    ]


def test_the_eleventh_bad_password_is_refused_whichever_worker_answers(app, gunicorn, make_user):
    port, log = gunicorn
    user = make_user("nannhan")
    with app.app_context():  # a real password hash (the suite's is cheap): each answer takes a while, so
        # the attempts sent together are answered by several workers at once
        db.session.get(User, user.id).password_hash = generate_password_hash(TEST_PASSWORD, method="scrypt")
        db.session.commit()
    with ThreadPoolExecutor(max_workers=10) as pool:
        first = list(pool.map(lambda _: _request(port, "POST", "/login", BAD), range(10)))
    assert first == [400] * 10  # ten wrong passwords, each answered as such
    later = [_request(port, "POST", "/login", BAD) for _ in range(6)]
    assert later == [429] * 6
    # the right password waits too, from this address; the minute is counted by the database
    assert _request(port, "POST", "/login", {"username": "nannhan", "password": TEST_PASSWORD}) == 429
    for _ in range(50):  # the access log is written after the answer
        if len(_answers(log)) >= 17:
            break
        time.sleep(0.1)
    answers = _answers(log)
    assert len({pid for pid, _ in answers}) >= 2, answers  # several workers really answered
    refusing = {pid for pid, status in answers if status == "429"}
    assert len(refusing) >= 1 and all(status == "429" for _, status in answers[10:]), answers
