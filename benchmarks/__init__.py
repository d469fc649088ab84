"""``make bench``: server time, SQL queries, import, export, memory and throughput at 10,000 and
100,000 cases.

Run ``python -m benchmarks --help``. The data sets are built once by ``cases/demo/generator.py`` and cached
(SQLite files under ``.bench-cache/``, PostgreSQL databases ``bench_10k``/``bench_100k``).
"""
