"""Load and fault soak: simulated users against gunicorn, on PostgreSQL and on SQLite (``make soak``).

Loopback only, bounded in time and count. What it does:

1. PostgreSQL: starts its own throwaway server (``scripts/test-postgres.sh`` in its own folder), builds the
   database (migrations, reference data, accounts, establishments), starts gunicorn (``--workers``, gthread),
   then runs ``--users`` simulated users for ``--duration`` seconds, each logging in through the real form
   (CSRF token parsed from the page): inspectors create inspection cases and submit them, managers return
   or approve submitted cases, readers browse lists and case pages. Faults: one gunicorn worker is killed
   (SIGKILL) at 25 % of the run, PostgreSQL is restarted at 50 %.
2. SQLite: gunicorn with several worker processes on one SQLite file, inspectors and managers writing at
   once for ``--sqlite-duration`` seconds.

Then it checks: no 5xx outside the PostgreSQL restart window, every 5xx page is the app's own error page
(no stack trace, no SQL), no "database is locked" anywhere, every acknowledged write present in the
database, case numbers unique, requests served again after the restart without restarting the app, and
``flask audit verify`` says the hash chain is intact. Prints a summary; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PASSWORD = "Soak-Matkhau-2026"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r"/cases/(\d+)\b")
REVIEW_LINK = re.compile(r"/review/(\d+)\b")
REVIEW_POST = re.compile(r"^/cases/\d+/(approve|return)$")
ERROR_PAGE = "Đã xảy ra lỗi"  # the title of the app's own 500 page (Vietnamese, the default locale)
LEAKS = ("Traceback", "sqlalchemy", "psycopg", "OperationalError", "database is locked")


# --- a tiny HTTP client (stdlib only): one keep-alive connection and a cookie jar per user ----------


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(form or {}, doseq=True) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                # a kept-alive connection closed by the server before this request: reconnect once for a
                # GET; a POST is not repeated (it may have been done)
                if attempt == 2 or method != "GET":
                    raise
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, resp.getheader("Location") or "", text


# --- the record of what happened --------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    by_status: collections.Counter = field(default_factory=collections.Counter)
    errors: collections.Counter = field(default_factory=collections.Counter)  # kind -> count
    unexpected: list[str] = field(default_factory=list)
    created: dict[int, str] = field(default_factory=dict)  # case id -> product marker
    submitted: set[int] = field(default_factory=set)
    approved: set[int] = field(default_factory=set)
    returned: set[int] = field(default_factory=set)
    faults: list[str] = field(default_factory=list)
    restart_window: tuple[float, float] | None = None
    first_ok_after_restart: float | None = None
    restart_done_at: float | None = None

    def note(self, method: str, path: str, status: int, text: str, at: float) -> None:
        with self.lock:
            self.requests += 1
            self.by_status[status // 100 * 100] += 1
            if status >= 500:
                in_window = self.restart_window is not None and (
                    self.restart_window[0] <= at <= self.restart_window[1]
                )
                self.errors["5xx during PostgreSQL restart" if in_window else "5xx"] += 1
                if not in_window:
                    self.unexpected.append(f"{status} on {method} {path}")
                if ERROR_PAGE not in text:
                    self.unexpected.append(f"{status} on {method} {path} is not the app's error page")
            elif status in (400, 409) or (status == 403 and REVIEW_POST.search(path) and method == "POST"):
                # two managers acting on one case at once: the second is told the case moved on
                self.errors[f"{status} (expected: concurrent review of one case)"] += 1
            elif status == 429 and path == "/login":
                # the login rate limit per address: every simulated user comes from 127.0.0.1 (retried)
                self.errors["429 login rate limit (retried)"] += 1
            elif status >= 400:
                self.errors[str(status)] += 1
                self.unexpected.append(f"{status} on {method} {path}")
            for leak in LEAKS:
                if leak in text:
                    self.unexpected.append(f"'{leak}' shown to a user on {method} {path}")
            if (
                status < 500
                and self.restart_done_at is not None
                and self.first_ok_after_restart is None
                and at >= self.restart_done_at
            ):
                self.first_ok_after_restart = at

    def dropped(self, method: str, path: str, exc: Exception, at: float) -> None:
        with self.lock:
            self.requests += 1
            kind = "connection dropped (worker killed)" if self.faults else "connection error"
            self.errors[f"{kind}: {type(exc).__name__}"] += 1
            if not self.faults:
                self.unexpected.append(f"{type(exc).__name__} on {method} {path} before any fault")


class User(threading.Thread):
    def __init__(self, role: str, username: str, port: int, stats: Stats, stop_at: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.role, self.username, self.stats, self.stop_at = role, username, stats, stop_at
        self.client = Client(port)
        self.rng = random.Random(seed)
        self.token = ""

    def call(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str] | None:
        if form is not None:
            form = {**form, "csrf_token": self.token}
        try:
            status, location, text = self.client.request(method, path, form)
        except (OSError, http.client.HTTPException) as exc:
            self.client.conn = None
            self.stats.dropped(method, path, exc, time.monotonic())
            time.sleep(0.2)
            return None
        self.stats.note(method, path, status, text, time.monotonic())
        if match := TOKEN.search(text):
            self.token = match.group(1)
        return status, location, text

    def login(self) -> bool:
        while time.monotonic() < self.stop_at:
            got = self.call("GET", "/login")
            if got and got[0] == 200:
                done = self.call("POST", "/login", {"username": self.username, "password": PASSWORD})
                if done and done[0] == 302:
                    return True
            time.sleep(self.rng.uniform(0.5, 3))
        return False

    def run(self) -> None:
        if not self.login():
            return
        action = {"inspector": self.inspect, "manager": self.review, "reader": self.browse}[self.role]
        while time.monotonic() < self.stop_at:
            action()
            time.sleep(self.rng.uniform(0.05, 0.3))

    def inspect(self) -> None:
        if not self.call("GET", "/cases/new/inspection"):
            return
        marker = f"Soak {self.username} {self.rng.randrange(10**9)}"
        today = time.strftime("%d/%m/%Y")
        got = self.call(
            "POST",
            "/cases/new/inspection",
            {
                "opened_on": today,
                "commune_code": "30742",
                "mode": "unscheduled",
                "fields": ["fuel"],
                "establishment_id": str(self.rng.randint(1, 20)),
                "product": marker,
                "decision_number": "15/QĐ-SKHCN",
                "decision_date": today,
                "start_date": today,
                "end_date": today,
                "conclusion": "Không phát hiện vi phạm.",
                "address": "12 Nguyễn Trung Trực, Phường Rạch Giá",
            },
        )
        if not got or got[0] != 302 or not (m := CASE_LINK.search(got[1])):
            return
        case_id = int(m.group(1))
        with self.stats.lock:
            self.stats.created[case_id] = marker
        if not self.call("GET", f"/cases/{case_id}"):
            return
        got = self.call("POST", f"/cases/{case_id}/submit", {})
        if got and got[0] == 302:
            with self.stats.lock:
                self.stats.submitted.add(case_id)

    def review(self) -> None:
        got = self.call("GET", "/review/")
        if not got or got[0] != 200:
            return
        ids = sorted({int(i) for i in REVIEW_LINK.findall(got[2])})
        if not ids:
            return
        case_id = self.rng.choice(ids)
        if not self.call("GET", f"/review/{case_id}"):
            return
        if self.rng.random() < 0.7:
            got = self.call("POST", f"/cases/{case_id}/approve", {})
            target = self.stats.approved
        else:
            got = self.call("POST", f"/cases/{case_id}/return", {"note": "Bổ sung ảnh tem kiểm định."})
            target = self.stats.returned
        # acknowledged: redirected to the review queue (a conflict redirects to the case or answers 400)
        if got and got[0] == 302 and "/review" in got[1]:
            with self.stats.lock:
                target.add(case_id)

    def browse(self) -> None:
        page = self.rng.choice(["/", "/cases/", "/cases/?page=2", "/cases/?q=soak", "/review/"])
        got = self.call("GET", page)
        if got and got[0] == 200:
            ids = CASE_LINK.findall(got[2])
            if ids:
                self.call("GET", f"/cases/{self.rng.choice(ids)}")


# --- set-up ---------------------------------------------------------------------------------------------

SETUP = """
import sys
from flask_migrate import upgrade
from cases.accounts import users as accounts
from cases.recording import establishments
from cases.geography import reference
from cases.db import db
from cases.models import user as user_model
from inspect_app import create_app
user_model.PASSWORD_HASH_METHOD = "pbkdf2:sha256:100000"  # quicker to create; checked the same way
app = create_app()
with app.app_context():
    upgrade()
    reference.load_all()
    for line in sys.stdin.read().split():
        role, name = line.split(":")
        accounts.create_user(username=name, full_name="Cán bộ " + name, role=role, password=sys.argv[1])
    for n in range(20):
        establishments.create_establishment(
            actor=None, name=f"Cửa hàng xăng dầu số {n + 1}", commune_code="30742"
        )
    db.session.commit()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accounts_for(users: int) -> list[tuple[str, str]]:
    """(role to act as, username): half inspectors, a fifth managers, the rest readers (managers too)."""
    inspectors = max(1, users // 2)
    managers = max(1, users // 5)
    people = [("inspector", f"soak-kt{i}") for i in range(inspectors)]
    people += [("manager", f"soak-ld{i}") for i in range(managers)]
    people += [("reader", f"soak-xem{i}") for i in range(users - inspectors - managers)]
    return people


def build(env: dict[str, str], people: list[tuple[str, str]]) -> None:
    lines = "\n".join(f"{'inspector' if r == 'inspector' else 'manager'}:{n}" for r, n in people)
    done = subprocess.run(
        [str(PY), "-c", SETUP, PASSWORD], input=lines, text=True, env=env, cwd=ROOT, capture_output=True
    )
    if done.returncode != 0:
        raise SystemExit(f"setting up the database failed:\n{done.stderr[-3000:]}")


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            "--timeout",
            "60",
            "inspect_app:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    # ready when every worker has imported the app: the login page answers quickly a few times in a row
    deadline, quick = time.monotonic() + 120, 0
    while time.monotonic() < deadline and quick < workers * 2:
        began = time.monotonic()
        try:
            status = Client(port).request("GET", "/login")[0]
        except OSError:
            status = 0
            time.sleep(0.3)
        quick = quick + 1 if status == 200 and time.monotonic() - began < 1 else 0
    if quick < workers * 2:
        proc.terminate()
        raise SystemExit(f"gunicorn did not start; see {log}")
    return proc


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def run_users(port: int, people: list[tuple[str, str]], duration: float, stats: Stats, faults=None) -> None:
    stop_at = time.monotonic() + duration
    threads = [User(role, name, port, stats, stop_at, seed=i) for i, (role, name) in enumerate(people)]
    for t in threads:
        t.start()
    if faults:
        faults(time.monotonic(), stop_at)
    for t in threads:
        t.join(timeout=duration + 90)


def check_database(env: dict[str, str], stats: Stats) -> list[str]:
    """Every acknowledged write is in the database; numbers are unique; the audit chain is intact."""
    check = """
import json, sys
from sqlalchemy import func, select
from cases.db import db
from cases.models import Case
from inspect_app import create_app
wanted = json.load(sys.stdin)
with create_app().app_context():
    rows = {c.id: (c.product, c.status, c.number) for c in db.session.scalars(select(Case))}
    dup = db.session.execute(select(Case.number).group_by(Case.number).having(func.count() > 1)).all()
problems = []
for cid, marker in wanted["created"].items():
    row = rows.get(int(cid))
    if row is None or row[0] != marker:
        problems.append(f"acknowledged case {cid} missing or changed")
for cid in wanted["submitted"]:
    if rows.get(cid, (0, None))[1] not in {"submitted", "approved", "returned"}:
        problems.append(f"acknowledged submission of case {cid} lost: {rows.get(cid)}")
for cid in wanted["approved"]:
    if rows.get(cid, (0, None))[1] != "approved":
        problems.append(f"acknowledged approval of case {cid} lost: {rows.get(cid)}")
for cid in wanted["returned"]:
    if rows.get(cid, (0, None))[1] != "returned":
        problems.append(f"acknowledged return of case {cid} lost: {rows.get(cid)}")
if dup:
    problems.append(f"duplicate case numbers: {dup}")
print(json.dumps({"problems": problems, "cases": len(rows)}))
"""
    import json

    wanted = {
        "created": stats.created,
        "submitted": sorted(stats.submitted),
        "approved": sorted(stats.approved),
        "returned": sorted(stats.returned),
    }
    out = subprocess.run(
        [str(PY), "-c", check], input=json.dumps(wanted), text=True, capture_output=True, env=env, cwd=ROOT
    )
    if out.returncode != 0:
        return [f"database check failed: {out.stderr[-1500:]}"]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    verify = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "inspect_app", "audit", "verify"],
        text=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    problems = result["problems"]
    if verify.returncode != 0:
        problems.append("audit verify: " + (verify.stdout + verify.stderr)[-1500:])
    stats.faults.append(f"(checked {result['cases']} cases in the database; {verify.stdout.strip()})")
    return problems


def summary(title: str, stats: Stats, problems: list[str]) -> None:
    writes = len(stats.created) + len(stats.submitted) + len(stats.approved) + len(stats.returned)
    print(f"\n=== {title} ===")
    print(f"requests served: {stats.requests}  by status: {dict(sorted(stats.by_status.items()))}")
    print(f"errors by kind: {dict(stats.errors) or 'none'}")
    print(
        f"acknowledged writes checked: {writes} (cases created {len(stats.created)}, submitted "
        f"{len(stats.submitted)}, approved {len(stats.approved)}, returned {len(stats.returned)})"
    )
    print("faults injected: " + ("; ".join(stats.faults) if stats.faults else "none"))
    for problem in (stats.unexpected + problems)[:30]:
        print(f"  PROBLEM: {problem}")
    print("result: " + ("OK" if not (stats.unexpected or problems) else "FAILED"))


# --- the two runs ---------------------------------------------------------------------------------------


def postgres_run(args: argparse.Namespace, work: Path) -> bool:
    pg_env = dict(os.environ, TEST_PG_DIR=str(work / "pg"), TEST_PG_DB="inspect_soak")
    pg_env.pop("TEST_PG_PORT", None)
    script = ROOT / "scripts" / "test-postgres.sh"
    started = subprocess.run([str(script), "start"], env=pg_env, text=True, capture_output=True, check=True)
    url = started.stdout.strip().split("=", 1)[1]
    gunicorn = None
    try:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            UPLOAD_FOLDER=str(work / "pg-uploads"),
            SECRET_KEY="soak-secret",
            LOG_LEVEL="WARNING",
        )
        people = accounts_for(args.users)
        build(env, people)
        port = free_port()
        gunicorn = start_gunicorn(env, port, args.workers, args.threads, work / "gunicorn-pg.log")
        stats = Stats()

        def faults(start: float, stop_at: float) -> None:
            duration = stop_at - start
            time.sleep(duration * 0.25)
            victims = worker_pids(gunicorn.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                stats.faults.append(f"gunicorn worker {victims[0]} killed at {duration * 0.25:.0f} s")
            time.sleep(duration * 0.25)
            began = time.monotonic()
            stats.restart_window = (began, began + 3600)
            subprocess.run([str(script), "restart"], env=pg_env, check=True, capture_output=True)
            done = time.monotonic()
            # 5xx answers are expected while the server is down and for requests already in flight
            stats.restart_window = (began, done + args.grace)
            stats.restart_done_at = done
            stats.faults.append(f"PostgreSQL restarted at {began - start:.0f} s (down {done - began:.1f} s)")

        print(
            f"PostgreSQL run: {len(people)} users, {args.duration} s, gunicorn {args.workers} workers x "
            f"{args.threads} threads on 127.0.0.1:{port}",
            flush=True,
        )
        run_users(port, people, args.duration, stats, faults)
        problems = check_database(env, stats)
        if stats.restart_done_at is None:
            problems.append("PostgreSQL was not restarted")
        elif stats.first_ok_after_restart is None:
            problems.append("no request succeeded after the PostgreSQL restart")
        else:
            stats.faults.append(
                f"first request served {stats.first_ok_after_restart - stats.restart_done_at:.1f} s after "
                "the restart (same gunicorn, no app restart)"
            )
        if gunicorn.poll() is not None:
            problems.append("gunicorn exited during the run")
        summary("PostgreSQL soak", stats, problems)
        return not (stats.unexpected or problems)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        subprocess.run([str(script), "stop"], env=pg_env, capture_output=True)


def sqlite_run(args: argparse.Namespace, work: Path) -> bool:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{work / 'soak.db'}",
        UPLOAD_FOLDER=str(work / "sq-uploads"),
        SECRET_KEY="soak-secret",
        LOG_LEVEL="WARNING",
    )
    people = [p for p in accounts_for(args.sqlite_users) if p[0] != "reader"]
    build(env, people)
    port = free_port()
    gunicorn = start_gunicorn(env, port, args.workers, args.threads, work / "gunicorn-sqlite.log")
    try:
        stats = Stats()
        print(
            f"SQLite run: {len(people)} writing users, {args.sqlite_duration} s, {args.workers} worker "
            "processes on one database file",
            flush=True,
        )
        run_users(port, people, args.sqlite_duration, stats)
        stats.faults.append(f"{args.workers} processes writing to one SQLite file")
        problems = check_database(env, stats)
        summary("SQLite concurrent writers", stats, problems)
        return not (stats.unexpected or problems)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--grace", type=float, default=5, help="seconds after the restart when 5xx may still occur"
    )
    parser.add_argument("--sqlite-users", type=int, default=12)
    parser.add_argument("--sqlite-duration", type=float, default=15)
    parser.add_argument("--only", choices=["postgres", "sqlite"])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="inspect-soak-"))
    os.chmod(work, 0o755)
    started = time.monotonic()
    ok = True
    try:
        if args.only != "sqlite":
            ok &= postgres_run(args, work)
        if args.only != "postgres":
            ok &= sqlite_run(args, work)
    finally:
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(logs kept in {work})")
    print(f"\nsoak {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
