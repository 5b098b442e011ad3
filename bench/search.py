"""Search backends at 10,000 and 100,000 products (a benchmark, not a test).

    .venv/bin/python bench/search.py --sizes 10000 100000 [--engine-url http://127.0.0.1:9250]
    OCOP_DATABASE_URL=postgres://... .venv/bin/python bench/search.py --sizes 10000
    .venv/bin/python bench/search.py --sizes 100000 --skip-database --engine elasticsearch \
        --engine-url http://127.0.0.1:9400,http://127.0.0.1:9402,http://127.0.0.1:9404 \
        --label "Elasticsearch 8.19.3, 3 nodes" --append bench/RESULTS.md

Generates N synthetic product documents in the shape search.documents makes (names and
stories from Vietnamese OCOP vocabulary, 12 provinces, 60 historical districts, 6 groups
with sub-groups, 3-5 stars, 5 producer types), so that the backends, not the page tree,
are measured. For each backend it reports indexing throughput (documents/s, a full
rebuild), index size, and p50/p95 over 20 representative queries, with and without facets
(each query run 5 times after one warm-up run). The database is a throwaway SQLite file
(or the PostgreSQL server of OCOP_DATABASE_URL, in a fresh database); the engine index is
deleted afterwards.
"""

import argparse
import datetime
import os
import random
import shlex
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "cà phê bột rang xay mật ong rừng hoa tiêu hồ hữu cơ chè shan tuyết trà atiso bơ sầu riêng "
    "mắc ca hạt điều gạo nếp nương rượu cần đông trùng hạ thảo nấm linh chi măng khô thịt trâu "
    "gác bếp miến dong bánh tráng nước mắm muối tôm sả chanh dây gừng nghệ quế hồi sim "
    "thổ cẩm mây tre đan gốm sứ du lịch cộng đồng homestay đặc sản sấy dẻo túi lọc hòa tan nguyên chất"
).split()
PROVINCES = [
    (f"tinh-{i}", f"Tỉnh {n}")
    for i, n in enumerate(
        [
            "Lâm Đồng",
            "Gia Lai",
            "Đắk Lắk",
            "Khánh Hòa",
            "Quảng Ngãi",
            "Huế",
            "Đà Nẵng",
            "Cần Thơ",
            "An Giang",
            "Lào Cai",
            "Sơn La",
            "Điện Biên",
        ]
    )
]
DISTRICTS = [
    (f"huyen-{i}", f"Huyện {w.title()} {i}", i % len(PROVINCES))
    for i, w in enumerate(random.Random(1).choices(WORDS, k=60))
]
GROUPS = [str(g) for g in range(1, 7)]
SUBGROUPS = {g: [f"{g}.{s}" for s in range(1, 4)] for g in GROUPS}
TYPES = ["cooperative", "cooperative_group", "enterprise", "farm", "household"]

QUERIES = [
    {"q": "ca phe"},
    {"q": "mat ong rung"},
    {"q": "cà phê bột"},
    {"q": "tra atiso"},
    {"q": "ho tieu huu co"},
    {"q": "dong trung ha thao"},
    {"q": "banh trang"},
    {"q": "nam linh chi"},
    {"q": "ca phe", "province": "tinh-1"},
    {"q": "mat ong", "stars": "5"},
    {"q": "gao", "group": "1"},
    {"q": "tho cam", "district": "huyen-3"},
    {"group": "2", "sort": "price"},
    {"province": "tinh-0", "sort": "stars"},
    {"stars": "4", "producer_type": "enterprise"},
    {"sort": "newest"},
    {"q": "du lich cong dong", "page": "3"},
    {"q": "sấy dẻo", "sort": "price"},
    {"q": "muoi tom tay ninh khong co"},
    {},
]


def synthetic_documents(n, seed=42):
    rng = random.Random(seed)
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for i in range(1, n + 1):
        name = " ".join(rng.choices(WORDS, k=rng.randint(2, 5))).capitalize()
        story = " ".join(rng.choices(WORDS, k=40))
        district, district_name, province_index = rng.choice(DISTRICTS)
        province, province_name = PROVINCES[province_index]
        group = rng.choice(GROUPS)
        subgroup = rng.choice(SUBGROUPS[group] + [""])
        producer = f"HTX {rng.choice(WORDS).title()} {i % 997}"
        yield {
            "id": f"product-{i}",
            "kind": "product",
            "kind_order": 2,
            "object_id": i,
            "url": f"/chu-the/p/{i}/",
            "name": name,
            "stars": rng.choice([3, 3, 3, 4, 4, 5]),
            "price": rng.randrange(20, 2000) * 1000,
            "producer": producer,
            "producer_type": rng.choice(TYPES),
            "province": province,
            "province_name": province_name,
            "district": district,
            "district_name": district_name,
            "group": group,
            "subgroup": subgroup,
            "published_at": start + datetime.timedelta(minutes=i),
            "text": " ".join([name, story, producer, province_name, district_name]),
        }


def with_folded(docs):
    """The folded fields, made as search.documents makes them for real pages."""
    from search import documents

    for doc in docs:
        yield documents.finish(doc, doc.pop("text"))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(backend, facets):
    from search.backends.base import SearchQuery

    timings = []
    for params in QUERIES:
        query = SearchQuery.from_params(params)
        query = SearchQuery(**{**query.__dict__, "facets": facets})
        backend.search(query)  # warm-up
        for _ in range(5):
            t = time.perf_counter()
            backend.search(query)
            timings.append((time.perf_counter() - t) * 1000)
    return percentile(timings, 0.5), percentile(timings, 0.95)


def run(name, backend, n, rows):
    from tqdm import tqdm

    docs = list(with_folded(synthetic_documents(n)))
    with tqdm(total=n, desc=f"indexing into {name}", unit="doc", file=sys.stderr, leave=False) as bar:
        t = time.perf_counter()
        backend.rebuild(iter(docs), total=n, progress=bar.update)
        elapsed = time.perf_counter() - t
    assert backend.count() == n, (backend.count(), n)
    size = backend.size_bytes()
    p50f, p95f = measure(backend, facets=True)
    p50, p95 = measure(backend, facets=False)
    row = (
        name,
        n,
        round(n / elapsed),
        f"{size / 2**20:.1f}" if size else "?",
        f"{p50f:.1f}",
        f"{p95f:.1f}",
        f"{p50:.1f}",
        f"{p95:.1f}",
    )
    rows.append(row)
    print("| " + " | ".join(str(c) for c in row) + " |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--engine-url", default=os.environ.get("OCOP_ELASTICSEARCH_URL", ""))
    parser.add_argument("--engine", default="opensearch", choices=["opensearch", "elasticsearch"])
    parser.add_argument("--skip-database", action="store_true")
    parser.add_argument("--label", default="", help="the engine's name in the table (default: --engine)")
    parser.add_argument("--append", metavar="RESULTS.md", help="append the table and the command to this file")
    parser.add_argument(
        "--request-cache",
        action="store_true",
        help="let the node cache facet-only requests (off: every search is computed)",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="ocop-bench-search-")
    if not os.environ.get("OCOP_DATABASE_URL"):
        os.environ["OCOP_BENCH_SQLITE"] = os.path.join(tmp, "bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search.backends.database import DatabaseBackend
    from search.backends.engine import EngineBackend

    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        setup_databases(verbosity=0, interactive=False)  # a fresh test_ database
    else:
        call_command("migrate", verbosity=0)  # every app: post_migrate hooks (the scheduler) need theirs
    print(f"database: {connection.vendor}; engine: {args.engine_url or 'none'}")
    header = [
        "| backend | documents | indexing docs/s | index MiB | p50 ms (facets) | p95 ms (facets) | p50 ms (no facets) | p95 ms (no facets) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(header))
    rows = []
    for n in args.sizes:
        if not args.skip_database:
            run(f"database ({connection.vendor})", DatabaseBackend(), n, rows)
        if args.engine_url:
            engine = EngineBackend(
                args.engine,
                args.engine_url,
                index=f"ocop-bench-{os.getpid()}",
                timeout=120,
                request_cache=None if args.request_cache else False,
            )
            try:
                run(f"engine ({args.label or args.engine})", engine, n, rows)
            finally:
                engine.drop()
    if args.append:
        command = " ".join(["python", *map(shlex.quote, sys.argv)])
        lines = [f"`{command}` ({datetime.date.today()}):", "", *header]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        with open(args.append, "a", encoding="utf-8") as out:
            out.write("\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
