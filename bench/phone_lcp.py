"""Largest contentful paint on a phone: every public page, cold, throttled (a benchmark, not a test).

Run from the repository root against a running site (needs Debian's chromium and
requirements-dev.txt), e.g. the demo server:

    .venv/bin/python tests/services/demo_server.py --dir /tmp/phone --port 8010 &
    .venv/bin/python bench/phone_lcp.py http://127.0.0.1:8010 [--runs 3] [--append bench/RESULTS.md]
    .venv/bin/python bench/phone_lcp.py before=http://127.0.0.1:8010 after=http://127.0.0.1:8011

Several sites (LABEL=URL) are measured alternately, load by load, so that a shared machine's
load falls on each alike; the pages are found on the first.

The pages: home, product list, producer list, a product page and its producer's page, the
announcement list and one announcement, a search with a query, the sales-point map and one
sales point, the statistics (the register in numbers), and the English home and product page.
The product, producer, announcement and sales point are the first of their kind in the site's
/sitemap.xml. --page PATH (repeatable) measures those paths instead.

Each load is cold: a fresh browser context (no cache, no open connection), Chromium at 390×844
CSS pixels, device scale factor 3, touch, a phone. Through the DevTools protocol: the HTTP cache
off, every request delayed by a 150 ms round trip, 1.6 Mbit/s down and 750 kbit/s up
(Network.emulateNetworkConditions: the throttle is per request, there is no TCP or TLS
handshake to emulate), and the CPU slowed 4× (Emulation.setCPUThrottlingRate).

Measured per load: LCP (the last largest-contentful-paint entry, observed from the start with
buffered entries, read 1.5 s after the load event), FCP, the LCP element (tag, image URL or the
start of its text), CLS (layout shifts without recent input, the same 1.5 s later; the table
gives the largest of the loads), and the bytes on the wire (encodedDataLength of every request,
headers included) and the number of requests. Pages are measured round-robin, --runs rounds; the
table gives the median LCP and FCP and the LCP element of the median load. --waterfall prints each
request of the last round (start and end in ms after navigation, bytes, render-blocking).
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.services import chromium  # noqa: E402

TARGET_MS = 1000
LATENCY_MS = 150
DOWN_BPS = 1.6e6
UP_BPS = 750e3
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 390, "height": 844}
SCALE = 3
SETTLE_MS = 1500

OBSERVER = """
window.__lcp = null;
window.__cls = 0;
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({type: 'layout-shift', buffered: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    const el = e.element;
    window.__lcp = {
      time: e.renderTime || e.loadTime || e.startTime,
      size: e.size,
      url: e.url || '',
      tag: el ? el.tagName.toLowerCase() : '(removed)',
      text: el && !e.url ? (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) : '',
      loading: el && el.getAttribute ? (el.getAttribute('loading') || '') : '',
      fetchpriority: el && el.getAttribute ? (el.getAttribute('fetchpriority') || '') : '',
    };
  }
}).observe({type: 'largest-contentful-paint', buffered: true});
"""
READ = """() => ({
  lcp: window.__lcp,
  cls: window.__cls,
  fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null,
  navigation: (e => e && {start: e.requestStart, first: e.responseStart, end: e.responseEnd,
    bytes: e.encodedBodySize})(performance.getEntriesByType('navigation')[0]),
  resources: performance.getEntriesByType('resource').map(e => ({
    url: e.name, start: e.startTime, end: e.responseEnd, blocking: e.renderBlockingStatus === 'blocking'})),
})"""


def sitemap_paths(base):
    """The paths of the site's /sitemap.xml, in its order (the host is the site's, not ours)."""
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=60) as response:
        root = ElementTree.fromstring(response.read())
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [urlsplit(loc.text.strip()).path for loc in root.findall("s:url/s:loc", namespace)]


def public_pages(base):
    """(name, path) of each public page to measure, found in the sitemap."""
    paths = sitemap_paths(base)

    def first(prefix, depth):
        for path in paths:
            if path.startswith(prefix) and path.strip("/").count("/") == depth - 1:
                return path
        raise SystemExit(f"no page under {prefix} at depth {depth} in /sitemap.xml: is the demo data loaded?")

    product = first("/chu-the/", 3)
    producer = "/".join(product.split("/")[:3]) + "/"
    pages = [
        ("home", "/"),
        ("product list", "/san-pham/"),
        ("product", product),
        ("producer", producer),
        ("producer list", "/chu-the/"),
        ("announcements", "/tin-tuc/"),
        ("announcement", first("/tin-tuc/", 2)),
        ("search", "/search/?q=ca+phe"),
        ("map (sales points)", "/diem-ban/"),
        ("sales point", first("/diem-ban/", 2)),
        ("statistics (register)", "/thong-ke/"),
        ("home (en)", "/en/"),
        ("product (en)", "/en" + product),
    ]
    return [(name, path) for name, path in pages if path in paths or _answers(base, path)]


def _answers(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            return response.status == 200
    except OSError:
        return False


def load(browser, url):
    """One cold, throttled phone load: LCP, FCP, the LCP element, bytes and requests."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=SCALE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.add_init_script(OBSERVER)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": DOWN_BPS / 8,
            "uploadThroughput": UP_BPS / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    wire = {"bytes": 0, "requests": 0, "sizes": {}}
    urls = {}

    def sent(event):
        urls[event["requestId"]] = event["request"]["url"]

    def finished(event):
        wire["bytes"] += event["encodedDataLength"]
        wire["requests"] += 1
        wire["sizes"][urls.get(event["requestId"], "?")] = event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_timeout(SETTLE_MS)
    result = page.evaluate(READ)
    context.close()
    for resource in result["resources"]:
        resource["bytes"] = wire["sizes"].get(resource["url"], 0)
    return {
        "lcp": result["lcp"],
        "fcp": result["fcp"],
        "cls": result["cls"],
        "bytes": wire["bytes"],
        "requests": wire["requests"],
        "resources": result["resources"],
        "navigation": result["navigation"],
    }


def element(lcp):
    if not lcp:
        return "(none)"
    if lcp["url"]:
        attrs = ", ".join(f"{k}={lcp[k]}" for k in ("loading", "fetchpriority") if lcp[k])
        return f"{lcp['tag']} {urlsplit(lcp['url']).path.rsplit('/', 1)[-1]}" + (f" ({attrs})" if attrs else "")
    return f"{lcp['tag']} “{lcp['text']}”"


def summarise(name, path, loads):
    ordered = sorted(loads, key=lambda one: (one["lcp"] or {}).get("time") or 0)
    middle = ordered[len(ordered) // 2]
    times = [(one["lcp"] or {}).get("time") or 0 for one in loads]
    return {
        "page": name,
        "path": path,
        "lcp": statistics.median(times),
        "lcp_min": min(times),
        "lcp_max": max(times),
        "fcp": statistics.median(one["fcp"] or 0 for one in loads),
        "element": element(middle["lcp"]),
        "cls": max(one["cls"] for one in loads),
        "kb": statistics.median(one["bytes"] for one in loads) / 1024,
        "requests": max(one["requests"] for one in loads),
    }


def table(rows):
    lines = [
        f"| page | path | LCP ms (median, ≤ {TARGET_MS}) | LCP min–max | FCP ms | LCP element | CLS (max) | KB on the wire | requests |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in rows:
        mark = "" if row["lcp"] <= TARGET_MS else " ✗"
        lines.append(
            f"| {row['page']} | `{row['path']}` | {row['lcp']:.0f}{mark} | {row['lcp_min']:.0f}–{row['lcp_max']:.0f} "
            f"| {row['fcp']:.0f} | {row['element']} | {row['cls']:.3f} | {row['kb']:.1f} | {row['requests']} |"
        )
    return "\n".join(lines)


def waterfall(name, one):
    print(f"\n{name}: LCP {((one['lcp'] or {}).get('time') or 0):.0f} ms, FCP {one['fcp'] or 0:.0f} ms")
    nav = one["navigation"]
    if nav:
        print(
            f"  {nav['start']:6.0f} → {nav['end']:6.0f} ms {nav['bytes'] / 1024:7.1f} KB  (the page; first byte at {nav['first']:.0f})"
        )
    for r in sorted(one["resources"], key=lambda r: r["start"]):
        flag = " blocking" if r["blocking"] else ""
        print(f"  {r['start']:6.0f} → {r['end']:6.0f} ms {r['bytes'] / 1024:7.1f} KB{flag}  {urlsplit(r['url']).path}")


def git_head():
    try:
        return subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def parse_site(text):
    """LABEL=URL or URL (labelled by its port)."""
    label, url = text.split("=", 1) if "=" in text and not text.startswith("http") else ("", text)
    url = url.rstrip("/")
    return (label or urlsplit(url).netloc), url


def verdict(rows):
    over = [row for row in rows if row["lcp"] > TARGET_MS]
    if not over:
        return f"Every page at ≤ {TARGET_MS} ms."
    return f"Over {TARGET_MS} ms: " + ", ".join(f"{row['page']} ({row['lcp']:.0f})" for row in over) + "."


def comparison(sites, results):
    labels = [label for label, _ in sites]
    lines = [
        "| page | " + " | ".join(f"{label}: LCP ms" for label in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for index, row in enumerate(results[labels[0]]):
        cells = []
        for label in labels:
            lcp = results[label][index]["lcp"]
            cells.append(f"{lcp:.0f}" + ("" if lcp <= TARGET_MS else " ✗"))
        lines.append(f"| {row['page']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sites",
        nargs="+",
        metavar="[LABEL=]URL",
        help="the running site(s), e.g. http://127.0.0.1:8010; several are measured alternately",
    )
    parser.add_argument("--runs", type=int, default=3, help="cold loads per page and site (round-robin)")
    parser.add_argument("--page", action="append", help="measure this path instead of the public pages")
    parser.add_argument("--waterfall", action="store_true", help="print each page's requests (last round)")
    parser.add_argument("--append", type=Path, help="append the tables to this file (bench/RESULTS.md)")
    parser.add_argument("--title", default="", help="the appended section's title after the date")
    args = parser.parse_args()

    reason = chromium.missing()
    if reason:
        raise SystemExit(reason)
    sites = [parse_site(text) for text in args.sites]
    pages = [(path, path) for path in args.page] if args.page else public_pages(sites[0][1])
    load_before = os.getloadavg()
    loads = {(label, path): [] for label, _ in sites for _, path in pages}

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        version = browser.version
        total = len(pages) * len(sites) * args.runs
        with tqdm(total=total, desc="cold phone loads", unit="load") as progress:
            for _ in range(args.runs):
                for name, path in pages:
                    for label, base in sites:
                        progress.set_postfix_str(f"{label} {name}")
                        loads[label, path].append(load(browser, base + path))
                        progress.update()
        browser.close()
    load_after = os.getloadavg()

    results = {label: [summarise(name, path, loads[label, path]) for name, path in pages] for label, _ in sites}
    out = []
    for label, base in sites:
        if args.waterfall:
            for name, path in pages:
                waterfall(f"{label} {name}", loads[label, path][-1])
            print()
        out.append((f"{label} ({base})" if len(sites) > 1 else "", table(results[label]), verdict(results[label])))
    text = "\n\n".join((f"**{head}**\n\n" if head else "") + body + "\n\n" + word for head, body, word in out)
    if len(sites) > 1:
        text += "\n\nMedian LCP side by side:\n\n" + comparison(sites, results)
    print(text)
    if args.append:
        command = "`.venv/bin/python bench/phone_lcp.py " + " ".join(sys.argv[1:]) + "`"
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        with open(args.append, "a") as results_file:
            results_file.write(
                f"\n## Phone LCP, cold and throttled ({now}{', ' + args.title if args.title else ''})\n\n"
                f"Command: {command} at {git_head()}.\n"
                f"Chromium {version} headless, 390×844 at DPR 3 (mobile, touch), fresh context per load, "
                f"cache off, {LATENCY_MS} ms round trip, {DOWN_BPS / 1e6:g} Mbit/s down, {UP_BPS / 1e3:g} kbit/s "
                f"up, CPU {CPU_SLOWDOWN}× slower; {args.runs} loads per page and site, round-robin"
                + (" (the sites alternating)" if len(sites) > 1 else "")
                + f". Machine: {platform.machine()}, {os.cpu_count()} cores, shared; load average "
                f"{load_before[0]:.1f} before, {load_after[0]:.1f} after.\n\n" + text + "\n"
            )
        print(f"appended to {args.append}", file=sys.stderr)


if __name__ == "__main__":
    main()
