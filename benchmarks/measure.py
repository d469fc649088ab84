"""Measurements: page server time and SQL queries, report figures, import, export (in a child process for
its peak memory) and throughput under gunicorn with wrk."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from sqlalchemy import event, select

from benchmarks import figures_sql
from benchmarks.datasets import ROOT, SECRET_KEY, Dataset, make_app
from benchmarks.pages import PAGES, Sample, pick_sample  # noqa: F401  (pick_sample: used by __main__)
from cases.db import db
from cases.models import User

MANAGER = ("lanhdao1", "LanhDao-2026")


@dataclass
class Result:
    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    note: str = ""
    cpu_ms: float | None = None  # median CPU time of this process (SQLite's work included, a server's not)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class QueryCounter:
    def __init__(self, engine: Any) -> None:
        self.count = 0
        self.engine = engine

    def _on(self, *args: Any) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on)


class Times(list):  # type: ignore[type-arg]
    """Wall-clock milliseconds, with the CPU milliseconds of the same calls in ``cpu``."""

    cpu: list[float]


def _timed(fn: Callable[[], Any], repeats: int, counter: QueryCounter) -> tuple[Times, int, Any]:
    fn()  # warm up (caches, compiled statements)
    times = Times()
    times.cpu = []
    queries = 0
    value = None
    for _ in range(repeats):
        before = counter.count
        started, cpu_started = time.perf_counter(), time.process_time()
        value = fn()
        times.append((time.perf_counter() - started) * 1000)
        times.cpu.append((time.process_time() - cpu_started) * 1000)
        queries = counter.count - before
    return times, queries, value


def _result(name: str, times: Times, queries: int, note: str = "") -> Result:
    return Result(
        name, statistics.median(times), _percentile(times, 95), queries, note, statistics.median(times.cpu)
    )


def pages(app: Flask, repeats: int) -> tuple[list[Result], Sample]:
    """Each page of :data:`PAGES`, requested ``repeats`` times as a signed-in manager.

    No app context is held around the requests: each request gets its own, as under a real server (an
    outer context would share ``g`` and the database session between requests and hide their queries).
    """
    results = []
    client = app.test_client()
    with app.app_context():
        sample = pick_sample()
        engine = db.engine
        urls = {}
        for page in PAGES:
            if page.endpoint in app.view_functions:
                with app.test_request_context():
                    urls[page.name] = [
                        url_for(page.endpoint, **page.args(sample, i))
                        for i in range((page.repeats or repeats) + 1)
                    ]
    response = client.post("/login", data={"username": MANAGER[0], "password": MANAGER[1]})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {MANAGER[0]}: {response.status_code}")
    with QueryCounter(engine) as counter:
        for page in PAGES:
            if page.name not in urls:
                results.append(Result(page.name, note="not merged yet"))
                continue
            calls = iter(urls[page.name])

            def get(page=page, calls=calls) -> Any:  # type: ignore[no-untyped-def]
                url = next(calls)
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{page.name}: {url} answered {response.status_code}")
                return response

            try:
                times, queries, _ = _timed(get, page.repeats or repeats, counter)
            except RuntimeError as exc:  # a page that fails is reported, and the others still measured
                results.append(Result(page.name, note=f"failed: {exc}"[:120]))
                continue
            results.append(_result(page.name, times, queries))
    return results, sample


def report_figures(app: Flask, year: int, repeats: int) -> list[Result]:
    from cases.reporting import figures as rf

    with app.app_context(), QueryCounter(db.engine) as counter:
        whole, whole_q, _ = _timed(lambda: rf.task_52(rf.Scope.of(year)), repeats, counter)
        orm, orm_q, orm_value = _timed(lambda: figures_sql.orm_figures(year), repeats, counter)
        hand, hand_q, hand_value = _timed(lambda: figures_sql.hand_figures(year), repeats, counter)
        db.session.rollback()
    same = figures_sql.same_numbers(orm_value, hand_value)
    ratio = statistics.median(orm) / statistics.median(hand)
    return [
        _result("report figures, task 5.2 (all)", whole, whole_q),
        _result("  main aggregates, ORM", orm, orm_q),
        _result(
            "  same, one hand-written SQL",
            hand,
            hand_q,
            f"ORM/SQL ratio {ratio:.2f}" + ("" if same else " (NUMBERS DIFFER)"),
        ),
    ]


def _export_actor() -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(is_authenticated=True, is_active=True, role="admin", id=None)


def import_rows(app: Flask, rows: int = 10_000) -> Result:
    """Import ``rows`` cases (an export of the data set under new references), then roll back."""
    from cases.recording.queries import CaseFilters
    from cases.transfer import exporter, importer

    with app.app_context():
        buffer = io.StringIO()
        source = exporter.export_rows(CaseFilters(), _export_actor())
        picked = []
        for n, row in enumerate(source):
            if n >= rows:
                break
            row = dict(row)
            row["ref"] = f"BENCH-{n:06d}"
            picked.append(row)
        exporter.write_csv(picked, buffer)
        data = buffer.getvalue().encode("utf-8")
        actor = db.session.scalar(select(User).where(User.username == MANAGER[0]))
        with QueryCounter(db.engine) as counter:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = importer.import_cases(data, filename="bench.csv", actor=actor, valid_only=True)
            db.session.flush()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        db.session.rollback()
    note = f"{report.created} created, {len(report.errors)} rows refused"
    return Result(f"import {len(picked):,} rows (CSV)", elapsed * 1000, None, counter.count, note, cpu * 1000)


def export_all(dataset: Dataset) -> Result:
    """Export every case to CSV in a child process; its peak resident memory comes back too.

    The peak is the kernel's high-water mark of the child's own memory (``VmHWM`` in
    ``/proc/self/status``), not ``getrusage``'s ``ru_maxrss``: that one survives ``exec`` on Linux, so a
    child started by a large benchmark process reported the parent's size.
    """
    out = Path(tempfile.mkdtemp()) / "export.csv"
    code = (
        "import json, re, sys, time\n"
        "def hwm():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
        "from benchmarks.datasets import make_app\n"
        "from benchmarks.measure import _export_actor, QueryCounter\n"
        "from cases.transfer import exporter\n"
        "from cases.recording.queries import CaseFilters\nfrom cases.db import db\n"
        "app = make_app(sys.argv[1])\n"
        "with app.app_context(), QueryCounter(db.engine) as c:\n"
        "    base = hwm()\n"
        "    t, cpu = time.perf_counter(), time.process_time()\n"
        "    with open(sys.argv[2], 'w', encoding='utf-8', newline='') as fh:\n"
        "        n = exporter.write_csv(exporter.export_rows(CaseFilters(), _export_actor()), fh)\n"
        "    t, cpu = time.perf_counter() - t, time.process_time() - cpu\n"
        "    peak = hwm()\n"
        "print(json.dumps({'rows': n, 'seconds': t, 'cpu': cpu, 'peak_kb': peak, 'base_kb': base,\n"
        "                  'queries': c.count}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, dataset.url, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    size_mb = out.stat().st_size / 1e6
    shutil.rmtree(out.parent, ignore_errors=True)
    note = (
        f"{data['rows']:,} rows; peak RSS {data['peak_kb'] / 1024:.0f} MB "
        f"(app loaded: {data['base_kb'] / 1024:.0f} MB), "
        f"file {size_mb:.0f} MB"
    )
    return Result(
        "export every case (CSV)",
        data["seconds"] * 1000,
        None,
        data["queries"],
        note,
        data["cpu"] * 1000,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _gunicorn(dataset: Dataset, workers: int = 2) -> Iterator[int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": dataset.url, "SECRET_KEY": SECRET_KEY}
    env["UPLOAD_FOLDER"] = str(Path(tempfile.gettempdir()) / "bench-uploads")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "inspect_app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _login_cookie(port: int) -> str:
    """Sign in through the real form (with its CSRF token) and return the session cookie header."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"username": MANAGER[0], "password": MANAGER[1]}
    if token:
        form["csrf_token"] = token.group(1)
    signed_in = opener.open(f"http://127.0.0.1:{port}/login", data=urllib.parse.urlencode(form).encode())
    if "/login" in signed_in.geturl():  # still on the form: a throughput of redirects would mean nothing
        raise RuntimeError(f"could not sign in as {MANAGER[0]} under gunicorn")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


#: The User-Agent of the benchmark's sign-in and of every wrk request: the session is bound to it
#: (Flask-Login's "strong" session protection), and wrk sends none of its own.
USER_AGENT = "inspect-bench"

_WRK_SCRIPT = """
ids = {%s}
threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  n = 0
  not_ok = 0
end
request = function()
  n = n + 1
  return wrk.format("GET", "/cases/" .. ids[(n %% #ids) + 1],
    {["Cookie"] = "%s", ["User-Agent"] = "%s"})
end
response = function(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
done = function(summary, latency, requests)
  local total_not_ok = 0
  for _, thread in ipairs(threads) do total_not_ok = total_not_ok + thread:get("not_ok") end
  io.write(string.format("JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"not_ok\\": %%d, "
    .. "\\"errors\\": %%d, \\"p50_ms\\": %%.1f, \\"p99_ms\\": %%.1f}\\n",
    summary.requests, summary.duration, total_not_ok,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def throughput(dataset: Dataset, case_ids: list[int], seconds: int = 15, connections: int = 8) -> Result:
    """Case pages under gunicorn (2 workers) with ``wrk`` (2 threads, ``connections`` connections)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return Result("throughput, case pages", note="wrk not installed (apt-get install wrk)")
    with _gunicorn(dataset) as port:
        cookie = _login_cookie(port)
        script = Path(tempfile.mkdtemp()) / "cases.lua"
        script.write_text(_WRK_SCRIPT % (", ".join(str(i) for i in case_ids), cookie, USER_AGENT))
        proc = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            check=True,
        )
        shutil.rmtree(script.parent, ignore_errors=True)
    line = next(line for line in proc.stdout.splitlines() if line.startswith("JSON "))
    data = json.loads(line[5:])
    rate = data["requests"] / (data["duration_us"] / 1e6)
    note = (
        f"{rate:.0f} req/s; {data['not_ok']} answers other than 200, {data['errors']} socket errors; "
        f"latency p50 {data['p50_ms']:.0f} ms, p99 {data['p99_ms']:.0f} ms; {connections} connections"
    )
    return Result("throughput, case pages (gunicorn ×2, wrk)", data["p50_ms"], data["p99_ms"], None, note)


def machine() -> dict[str, str]:
    import platform
    import sqlite3

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
    }


def postgres_version(app: Flask) -> str:
    with app.app_context():
        return db.session.execute(db.text("SHOW server_version")).scalar_one()


__all__ = [
    "Result",
    "export_all",
    "import_rows",
    "machine",
    "make_app",
    "pages",
    "report_figures",
    "throughput",
]
