"""``python -m benchmarks`` (``make bench``, ``make bench-quick``): measure, print one table, write
``docs/performance.md``'s generated section."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict

from benchmarks import datasets, measure, report
from benchmarks.measure import Result


def run_dataset(ds: datasets.Dataset, *, repeats: int, load_seconds: int, skip: set[str]) -> list[Result]:
    app = datasets.make_app(ds.url)
    if "pages" in skip:
        with app.app_context():
            sample = measure.pick_sample()
        results: list[Result] = []
    else:
        results, sample = measure.pages(app, repeats)
    if "figures" not in skip:
        results += measure.report_figures(app, sample.year, max(5, repeats // 4))
    if "import" not in skip:
        results.append(measure.import_rows(app))
    if "export" not in skip:
        results.append(measure.export_all(ds))
    if "load" not in skip:
        results.append(measure.throughput(ds, sample.case_ids, seconds=load_seconds))
    if ds.build_seconds is not None:
        results.append(
            Result("demo-data, the whole data set", ds.build_seconds * 1000, None, None, "generation")
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated case counts")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--repeats", type=int, default=30, help="requests per page (after one warm-up)")
    parser.add_argument("--load-seconds", type=int, default=15)
    parser.add_argument("--skip", default="", help="comma-separated: pages, figures, import, export, load")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the data sets")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    engines = [e for e in args.engines.split(",") if e]
    if "postgresql" in engines and datasets.postgres_base_url() is None:
        print("PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL")
        engines.remove("postgresql")
    skip = {s for s in args.skip.split(",") if s}
    stored = report.load_results()
    versions = dict(stored.get("machine", {}))
    versions.update(measure.machine())
    for engine in engines:
        for size in sizes:
            ds = datasets.prepare(engine, size, rebuild=args.rebuild)
            if engine == "postgresql":
                versions["PostgreSQL"] = measure.postgres_version(datasets.make_app(ds.url))
            print(f"== {ds.label} ==", flush=True)
            results = run_dataset(ds, repeats=args.repeats, load_seconds=args.load_seconds, skip=skip)
            # a partial run (--skip) replaces the measurements it made and keeps the others
            run = stored.setdefault("runs", {}).setdefault(ds.label, {"results": []})
            fresh = {r.name for r in results}
            run["results"] = [r for r in run["results"] if r["name"] not in fresh] + [
                asdict(r) for r in results
            ]
            run["at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            for r in results:
                print(report.line(r), flush=True)
            if not args.no_write:
                report.save_results(stored)
    stored["machine"] = versions
    print()
    print(report.table(stored))
    if not args.no_write:
        report.save_results(stored)
        report.write_markdown(stored)
        print(f"\nwrote {report.DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
