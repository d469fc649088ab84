"""The benchmark table: printed, kept in ``docs/performance-results.json`` and written into
``docs/performance.md`` between the ``<!-- bench:begin -->`` and ``<!-- bench:end -->`` markers."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.datasets import ROOT
from benchmarks.measure import Result

DOC = ROOT / "docs" / "performance.md"
RESULTS = ROOT / "docs" / "performance-results.json"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
ORDER = ("SQLite 10k", "SQLite 100k", "PostgreSQL 10k", "PostgreSQL 100k")


def load_results() -> dict[str, Any]:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def save_results(data: dict[str, Any]) -> None:
    RESULTS.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.1f} s" if value >= 10_000 else f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def line(r: Result) -> str:
    q = "" if r.queries is None else f" {r.queries} q"
    q += "" if r.cpu_ms is None else f"  cpu {_ms(r.cpu_ms)}"
    p95 = "" if r.p95_ms is None else f" / {_ms(r.p95_ms)}"
    return f"  {r.name:<44} {_ms(r.median_ms):>8}{p95:<10}{q:<8} {r.note}"


def _cell(r: dict[str, Any] | None) -> str:
    if r is None:
        return ""
    if r["median_ms"] is None:
        return r["note"]
    text = _ms(r["median_ms"])
    if r["p95_ms"] is not None:
        text += f" / {_ms(r['p95_ms'])}"
    if r.get("cpu_ms") is not None:
        text += f" (CPU {_ms(r['cpu_ms'])})"
    if r["queries"] is not None:
        text += f" · {r['queries']} q"
    if r["note"]:
        text += f" ({r['note']})"
    return text


def _growth(small: dict[str, Any] | None, large: dict[str, Any] | None) -> str:
    """100k over 10k, of the CPU time when both have one (steadier on a shared machine), else wall time."""
    if not small or not large:
        return ""
    for key, suffix in (("cpu_ms", " CPU"), ("median_ms", "")):
        if small.get(key) and large.get(key):
            return f"×{large[key] / small[key]:.1f}{suffix}"
    return ""


def _rows(data: dict[str, Any]) -> tuple[list[str], list[str], dict[str, dict[str, Any]]]:
    runs = data.get("runs", {})
    labels = [label for label in ORDER if label in runs]
    by_label = {label: {r["name"]: r for r in runs[label]["results"]} for label in labels}
    names: list[str] = []
    kinds: set[str] = set()
    for label in labels:
        for r in runs[label]["results"]:
            kind = r["name"].split(" ")[0]
            if kind in ("export", "demo-data"):  # "export 10,000 rows" and "export 100,000 rows": one row
                if kind in kinds:
                    continue
                kinds.add(kind)
            if r["name"] not in names:
                names.append(r["name"])
    return labels, sorted(names, key=_position), by_label


#: The order of the table's rows after the pages (in ``benchmarks/pages.py``'s order): a partial run
#: (``--skip``) must not move the rows it measured again to the end.
_LATER_ROWS = ("report figures", "  main aggregates", "  same", "import", "export", "throughput", "demo-data")


def _position(name: str) -> tuple[int, int]:
    from benchmarks.pages import PAGES

    pages = [page.name for page in PAGES]
    if name in pages:
        return (0, pages.index(name))
    for index, prefix in enumerate(_LATER_ROWS):
        if name.startswith(prefix):
            return (1, index)
    return (2, 0)


def _find(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    if name in results:
        return results[name]
    for other, r in results.items():  # "export 10,000 rows" and "export 100,000 rows" are one row
        same_kind = other.split(" ")[0] == name.split(" ")[0]
        if same_kind and other.startswith(("export", "demo-data")):
            return r
    return None


def table(data: dict[str, Any]) -> str:
    """The Markdown table: one row per measurement, one column per data set, and the growth 10k → 100k."""
    labels, names, by_label = _rows(data)
    growth = [(s, b) for s, b in (("SQLite 10k", "SQLite 100k"), ("PostgreSQL 10k", "PostgreSQL 100k"))]
    growth = [(s, b) for s, b in growth if s in labels and b in labels]
    head = [
        "measurement (median / p95 ms (CPU median) · SQL queries)",
        *labels,
        *(f"growth {b.split()[0]}" for _, b in growth),
    ]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        cells = [_cell(_find(by_label[label], name)) for label in labels]
        cells += [_growth(_find(by_label[s], name), _find(by_label[b], name)) for s, b in growth]
        out.append("| " + " | ".join([name, *cells]) + " |")
    runs = data.get("runs", {})
    out.append("")
    out.append("Measured: " + "; ".join(f"{label} {runs[label]['at']}" for label in labels) + ".")
    return "\n".join(out)


def machine_text(data: dict[str, Any]) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in data.get("machine", {}).items())


def write_markdown(data: dict[str, Any]) -> None:
    generated = f"{BEGIN}\n### Machine\n\n{machine_text(data)}\n\n### Results\n\n{table(data)}\n{END}"
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + generated + text[end:])
