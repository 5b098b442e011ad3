"""The page budget of the theme issue, measured in headless Chromium (a benchmark, not a test).

Run from the repository root (needs Debian's chromium and requirements-dev.txt):

    .venv/bin/python bench/page_budget.py [--dir DIR] [--requests 30] [--runs 3] [--append]

It starts the demo server (tests/services/demo_server.py: its own SQLite file and media in DIR,
migrated and loaded with `load_demo_data` when DIR is new; DEBUG off; a temporary DIR by default)
and measures the home, listing, product, search and statistics pages:

- HTML: bytes of the page as served, and gzipped (level 6, as a front server would send it);
- first load: bytes on the wire for the page and everything it loads, with an empty cache
  (Chromium's encodedDataLength per request, headers included; the demo server does not
  compress, so this is an upper bound), and the number of requests;
- third-party requests (any host but the server's) and, of those, render-blocking ones
  (Resource Timing's renderBlockingStatus);
- LCP and CLS from PerformanceObserver (largest-contentful-paint, layout-shift without recent
  input), read 1 s after the load event; the median of --runs fresh loads at 1280×900;
- server time: p50/p95 over --requests sequential GETs of the HTML on loopback (after one
  warm-up request), from the request being sent to the last byte read;
- SQL queries per page, counted in this process with Django's test client on the same database.

--append adds the table to bench/RESULTS.md with the command and the date.
"""

import argparse
import datetime
import gzip
import os
import platform
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.services import chromium, demo_server  # noqa: E402

TARGETS = {  # the theme issue's budget
    "html_gzip_kb": 60,
    "transfer_kb": 500,
    "blocking_third_party": 0,
    "lcp_ms": 1500,
    "cls": 0.05,
    "p95_ms": 100,
    "queries": 15,
}
PAGES = [  # (name, path); the product page is found on the listing
    ("home", "/"),
    ("listing", "/san-pham/"),
    ("product", None),
    ("search", "/search/?q=ca+phe"),
    ("statistics", "/thong-ke/"),
]
OBSERVERS = """
window.__budget = {lcp: null, cls: 0};
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__budget.lcp = e.renderTime || e.loadTime || e.startTime;
}).observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__budget.cls += e.value;
}).observe({type: 'layout-shift', buffered: true});
"""
RESOURCES = """() => performance.getEntriesByType('resource').map(e => ({
  url: e.name, blocking: e.renderBlockingStatus === 'blocking'}))"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def first_product_path(base):
    """The first product linked from the listing page (a path under the producer pages)."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.hrefs.append(dict(attrs).get("href") or "")

    with urllib.request.urlopen(base + "/san-pham/") as response:
        parser = Links()
        parser.feed(response.read().decode())
    products = [h for h in parser.hrefs if h.startswith("/chu-the/") and h.count("/") == 4]
    if not products:
        raise SystemExit("no product link on /san-pham/: is the demo data loaded?")
    return products[0]


def browser_load(browser, url, host):
    """One cold load in a fresh context: bytes, requests, third parties, LCP, CLS."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(OBSERVERS)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    wire = {"bytes": 0, "requests": 0}

    def finished(event):
        wire["bytes"] += event["encodedDataLength"]
        wire["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    metrics = page.evaluate("() => window.__budget")
    resources = page.evaluate(RESOURCES)
    context.close()
    third = [r for r in resources if urlsplit(r["url"]).netloc not in (host, "")]
    return {
        "transfer": wire["bytes"],
        "requests": wire["requests"],
        "third_party": len(third),
        "blocking_third_party": sum(r["blocking"] for r in third),
        "lcp": metrics["lcp"],
        "cls": metrics["cls"],
    }


def server_times(url, count):
    with urllib.request.urlopen(url) as response:  # warm-up
        response.read()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def count_queries(path):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)  # warm caches like the server's
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def measure(base, browser, args):
    host = urlsplit(base).netloc
    rows = []
    for name, path in PAGES:
        path = path or first_product_path(base)
        url = base + path
        with urllib.request.urlopen(url) as response:
            html = response.read()
        loads = [browser_load(browser, url, host) for _ in range(args.runs)]
        times = server_times(url, args.requests)
        rows.append(
            {
                "page": name,
                "path": path,
                "html_kb": len(html) / 1024,
                "html_gzip_kb": len(gzip.compress(html, compresslevel=6)) / 1024,
                "transfer_kb": statistics.median(load["transfer"] for load in loads) / 1024,
                "requests": max(load["requests"] for load in loads),
                "third_party": max(load["third_party"] for load in loads),
                "blocking_third_party": max(load["blocking_third_party"] for load in loads),
                "lcp_ms": statistics.median((load["lcp"] or 0) for load in loads),
                "cls": statistics.median(load["cls"] for load in loads),
                "p50_ms": statistics.median(times),
                "p95_ms": percentile(times, 0.95),
                "queries": count_queries(path),
            }
        )
        print(f"measured {name}: {path}", file=sys.stderr)
    return rows


COLUMNS = [
    # (key, heading, format)
    ("page", "page", "{}"),
    ("html_kb", "HTML KB", "{:.1f}"),
    ("html_gzip_kb", "HTML gzip KB (≤ 60)", "{:.1f}"),
    ("transfer_kb", "first load KB (≤ 500)", "{:.1f}"),
    ("requests", "requests", "{}"),
    ("blocking_third_party", "render-blocking 3rd-party (0)", "{}"),
    ("lcp_ms", "LCP ms (≤ 1500)", "{:.0f}"),
    ("cls", "CLS (≤ 0.05)", "{:.3f}"),
    ("p50_ms", "server p50 ms", "{:.1f}"),
    ("p95_ms", "server p95 ms (≤ 100)", "{:.1f}"),
    ("queries", "SQL queries (≤ 15)", "{}"),
]


def misses(rows):
    found = []
    for row in rows:
        for key, limit in TARGETS.items():
            if row[key] > limit:
                found.append(f"{row['page']}: {key} {row[key]:.3g} > {limit}")
    return found


def table(rows):
    lines = ["| " + " | ".join(h for _, h, _ in COLUMNS) + " |", "|---" + "|---:" * (len(COLUMNS) - 1) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(fmt.format(row[key]) for key, _, fmt in COLUMNS) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="the demo site's folder (kept; reused when it exists)")
    parser.add_argument("--requests", type=int, default=30, help="server-time requests per page")
    parser.add_argument("--runs", type=int, default=3, help="cold browser loads per page")
    parser.add_argument("--append", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()

    reason = chromium.missing()
    if reason:
        raise SystemExit(reason)
    directory = args.dir or Path(tempfile.mkdtemp(prefix="ocop-page-budget-"))
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["OCOP_DEMO_DIR"] = str(directory.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.services.demo_settings"

    with open(directory / "server.log", "a") as log:
        print(f"starting the demo server in {directory} (a new one migrates and loads the demo data)", file=sys.stderr)
        started = time.monotonic()
        proc, base = demo_server.start(directory, log)
        print(f"demo server ready at {base} in {time.monotonic() - started:.0f}s", file=sys.stderr)
        try:
            import django

            django.setup()
            from django.conf import settings

            settings.ALLOWED_HOSTS = ["*"]
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                version = browser.version
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"  # the ORM runs beside Playwright's loop
                rows = measure(base, browser, args)
                browser.close()
        finally:
            demo_server.stop(proc)

    print(table(rows))
    missed = misses(rows)
    print("\nTargets: " + ("all met" if not missed else "missed: " + "; ".join(missed)))
    if args.append:
        command = "`.venv/bin/python bench/page_budget.py " + " ".join(sys.argv[1:]) + "`"
        today = datetime.date.today().isoformat()
        with open(REPO / "bench" / "RESULTS.md", "a") as results:
            results.write(
                f"\n## Page budget in headless Chromium (theme issue, {today})\n\n"
                f"Command: {command}\n"
                f"Machine: {platform.machine()}, {os.cpu_count()} cores, shared with other work; "
                f"Chromium {version} headless at 1280×900; the demo server (Django's threaded WSGI "
                f"server, DEBUG off, SQLite, no compression) on loopback; demo data. "
                f"Medians of {args.runs} cold loads; server time over {args.requests} requests.\n\n"
                + table(rows)
                + "\n\nProduct page: `"
                + rows[2]["path"]
                + "`. "
                + ("All targets met.\n" if not missed else "Missed: " + "; ".join(missed) + ".\n")
            )
        print("appended to bench/RESULTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
