"""Search quality on the demo data: nDCG@10 and recall@20 per backend, from judged queries.

    .venv/bin/python bench/search_quality.py [--dir DIR] [--engine-url URL --engine opensearch]
                                             [--scope product|all] [--append] [--verbose]
    OCOP_DATABASE_URL=postgres://... .venv/bin/python bench/search_quality.py

bench/search_queries.csv holds the judged queries: what a shopper types (with and without
diacritics, everyday spellings and loanwords, places before and after the 2025 merger,
product kinds, English, one-edit typos), each with the products it should find keyed by
product slug (fixtures/products.csv) and graded: 2 = exactly what was asked, 1 = related,
unlisted = not relevant. Rows with typo=1 need the engine's one-edit retry: they are
left out of the database's figures (the database matches whole words only).

The demo data is loaded once into DIR/db.sqlite3 (default: a temporary directory; give --dir
to reuse it between runs) or into a fresh test database on the PostgreSQL server of
OCOP_DATABASE_URL. The search index of each backend is rebuilt from search.documents before
measuring, so a change of documents or vocabulary is always measured.

Metrics, per query, over the products the search returns (scope `product`: the product
listing's search, kind=product; scope `all`: the site search, where producers and
announcements count as not relevant):
- nDCG@10: DCG = Σ (2^grade − 1) / log2(rank + 1) over the first 10 hits, divided by the DCG
  of the ideal order of the judged products;
- recall@20: judged products (grade ≥ 1) among the first 20 hits / min(20, judged products).
Judged products that the demo does not show today (a certificate expired since the fixtures
were written, one revoked) cannot be found: they are left out of the ideal, and a query
with none left is skipped. Means are over queries, per category and overall.
"""

import argparse
import csv
import datetime
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUERIES_CSV = REPO / "bench" / "search_queries.csv"
RESULTS_MD = REPO / "bench" / "RESULTS.md"
NDCG_AT = 10
RECALL_AT = 20


@dataclass(frozen=True)
class JudgedQuery:
    query: str
    category: str
    typo: bool
    grades: dict  # product slug → 2 (exactly what was asked) or 1 (related)
    note: str = ""


def load_queries(path=QUERIES_CSV):
    queries = []
    with open(path, newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            grades = {}
            for item in row["relevant"].split():
                slug, _, grade = item.rpartition(":")
                if not slug or grade not in ("1", "2"):
                    raise ValueError(f"{path}:{line}: {item!r} is not slug:1 or slug:2")
                grades[slug] = int(grade)
            if not grades or row["typo"] not in ("0", "1"):
                raise ValueError(f"{path}:{line}: a query needs judged products and typo 0 or 1")
            queries.append(JudgedQuery(row["query"], row["category"], row["typo"] == "1", grades, row.get("note", "")))
    return queries


def dcg(grades):
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg(found, grades, k=NDCG_AT):
    """nDCG@k of the ranked slugs `found` against {slug: grade}."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(slug, 0) for slug in found[:k]]) / ideal if ideal else 0.0


def recall(found, grades, k=RECALL_AT):
    """Judged products among the first k hits, over as many as k hits can hold."""
    if not grades:
        return 0.0
    return len(set(found[:k]) & set(grades)) / min(k, len(grades))


def slug_of(hit):
    """A product hit's page slug (its URL's last segment: the fixtures' product slug)."""
    return hit.url.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class QueryResult:
    query: JudgedQuery
    found: list  # the slugs of the first RECALL_AT hits (products; others as "")
    grades: dict  # the judged products the index holds
    ndcg: float = 0.0
    recall: float = 0.0


@dataclass
class Report:
    backend: str
    results: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # queries whose judged products are all absent
    missing: set = field(default_factory=set)  # judged slugs not in the index today

    def mean(self, attr, category=None, typo=None):
        values = [
            getattr(r, attr)
            for r in self.results
            if (category is None or r.query.category == category) and (typo is None or r.query.typo == typo)
        ]
        return sum(values) / len(values) if values else None

    def categories(self):
        return list(dict.fromkeys(r.query.category for r in self.results))

    def worst(self, n=10):
        return sorted(self.results, key=lambda r: (r.ndcg, r.recall))[:n]


def searchable_products(documents):
    """The product slugs that the index holds (from search.documents' product documents)."""
    return {d["url"].rstrip("/").rsplit("/", 1)[-1] for d in documents if d["kind"] == "product"}


def evaluate(backend, queries, indexed, scope="product", name="", with_typos=True):
    """Run every judged query on `backend` (a search.backends.base.SearchBackend)."""
    from search.backends.base import SearchQuery

    report = Report(backend=name or type(backend).__name__)
    for judged in queries:
        if judged.typo and not with_typos:
            continue
        grades = {slug: g for slug, g in judged.grades.items() if slug in indexed}
        report.missing |= set(judged.grades) - indexed
        if not grades:
            report.skipped.append(judged)
            continue
        query = SearchQuery(
            q=judged.query, kind="product" if scope == "product" else "", page_size=RECALL_AT, facets=False
        )
        hits = backend.search(query).hits
        found = [slug_of(h) if h.kind == "product" else "" for h in hits]
        report.results.append(
            QueryResult(judged, found, grades, ndcg=ndcg(found, grades), recall=recall(found, grades))
        )
    return report


def fmt(value):
    return "–" if value is None else f"{value:.3f}"


def table(reports):
    """A Markdown table: one row per category and an overall row, one column pair per backend."""
    head = "| category | queries | " + " | ".join(f"{r.backend} nDCG@10 | {r.backend} recall@20" for r in reports)
    lines = [head + " |", "|---|---:|" + "---:|---:|" * len(reports)]
    categories = list(dict.fromkeys(c for r in reports for c in r.categories()))
    for category in categories:
        n = max(sum(1 for x in r.results if x.query.category == category) for r in reports)
        cells = [f"{fmt(r.mean('ndcg', category))} | {fmt(r.mean('recall', category))}" for r in reports]
        lines.append(f"| {category} | {n} | " + " | ".join(cells) + " |")
    for label, typo in (("all but typos", False), ("**all**", None)):
        n = max(sum(1 for x in r.results if typo is None or x.query.typo == typo) for r in reports)
        cells = [f"**{fmt(r.mean('ndcg', typo=typo))}** | **{fmt(r.mean('recall', typo=typo))}**" for r in reports]
        lines.append(f"| {label} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def details(report, n=10):
    lines = [f"{report.backend}: the {n} weakest queries (nDCG@10, recall@20, first hits)"]
    for r in report.worst(n):
        first = ", ".join(s or "(not a product)" for s in r.found[:5]) or "nothing"
        lines.append(f"  {r.ndcg:.2f} {r.recall:.2f}  {r.query.query!r} [{r.query.category}] → {first}")
    if report.missing:
        lines.append(f"  judged but not shown today: {', '.join(sorted(report.missing))}")
    if report.skipped:
        lines.append(f"  skipped (no judged product shown today): {', '.join(q.query for q in report.skipped)}")
    return "\n".join(lines)


# --- the command ---------------------------------------------------------------------


def setup(directory):
    """Django on the demo data: DIR's SQLite file, or a fresh test database on OCOP_DATABASE_URL."""
    if os.environ.get("OCOP_DATABASE_URL"):
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.search_settings"
    else:
        os.environ["OCOP_DEMO_DIR"] = str(directory)
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.services.demo_settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cms.models import HomePage
    from tests.factories import restore_migration_rows

    started = time.monotonic()
    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        setup_databases(verbosity=0, interactive=False)  # a fresh test_ database
    else:
        call_command("migrate", verbosity=0)
    restore_migration_rows()
    if not HomePage.objects.exists():
        print("loading the demo data…", flush=True)
        call_command("load_demo_data", "--quiet-accounts", "--without-evaluation")
    print(f"demo data ready on {connection.vendor} in {time.monotonic() - started:.1f}s", flush=True)
    return connection.vendor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="keep the SQLite demo database here (reused when present)")
    parser.add_argument("--engine-url", default="", help="also measure the engine at this URL")
    parser.add_argument("--engine", default=os.environ.get("OCOP_SEARCH_ENGINE") or "opensearch")
    parser.add_argument("--engine-label", default="", help="the engine's name in the table (e.g. 'ES 8.19.3')")
    parser.add_argument("--skip-database", action="store_true")
    parser.add_argument("--scope", choices=["product", "all"], default="product")
    parser.add_argument("--append", action="store_true", help=f"append the table to {RESULTS_MD.name}")
    parser.add_argument("--verbose", action="store_true", help="list each backend's weakest queries")
    args = parser.parse_args()

    directory = args.dir or Path(tempfile.mkdtemp(prefix="ocop-bench-quality-"))
    directory.mkdir(parents=True, exist_ok=True)
    vendor = setup(directory.resolve())
    from search import documents
    from search.backends.database import DatabaseBackend

    queries = load_queries()
    docs = list(documents.all_documents())
    indexed = searchable_products(docs)
    print(f"{len(queries)} judged queries; {len(indexed)} products in the index", flush=True)
    reports = []
    if not args.skip_database:
        database = DatabaseBackend()
        database.rebuild(docs)
        label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)
        reports.append(evaluate(database, queries, indexed, args.scope, name=label, with_typos=False))
    if args.engine_url:
        from search.backends.engine import EngineBackend

        engine = EngineBackend(args.engine, args.engine_url, index=f"ocop-quality-{os.getpid()}", timeout=30)
        try:
            engine.rebuild(docs)
            reports.append(evaluate(engine, queries, indexed, args.scope, name=args.engine_label or args.engine))
        finally:
            engine.drop()
    output = table(reports)
    print(output)
    if args.verbose:
        for report in reports:
            print(details(report))
    if args.append:
        command = "python " + " ".join([os.path.relpath(__file__, REPO), *sys.argv[1:]])
        with open(RESULTS_MD, "a", encoding="utf-8") as f:
            f.write(
                f"\n### Search quality, {datetime.date.today().isoformat()} (scope: {args.scope})\n\n"
                f"Command: `{command}`\n\n{output}\n"
            )
        print(f"appended to {RESULTS_MD}")


if __name__ == "__main__":
    main()
