"""Server time and SQL queries per page type on the demo data (a benchmark, not a test).

Run from the repository root, on the dev database after `make run` has loaded the demo data:

    .venv/bin/python bench/pages.py [--requests 30]

For each page type it renders one live page N times through Django's test client (no
network, no static files) and prints p50 / p95 server time and the number of SQL queries.
The first request of each page warms image renditions and caches and is not counted.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cms import models as m  # noqa: E402

PAGE_TYPES = [
    m.HomePage,
    m.ProductIndexPage,
    m.ProducerIndexPage,
    m.ProducerPage,
    m.ProductPage,
    m.AnnouncementIndexPage,
    m.AnnouncementPage,
    m.SalesPointIndexPage,
    m.SalesPointPage,
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    print(f"{'page type':<24} {'url':<48} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}")
    for model in PAGE_TYPES:
        page = model.objects.live().first()
        if page is None:
            print(f"{model.__name__:<24} (no live page: load the demo data first)")
            continue
        url = page.url
        assert client.get(url).status_code == 200
        times = []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            f"{model.__name__:<24} {url[:48]:<48} {statistics.median(times):7.1f} "
            f"{percentile(times, 0.95):7.1f} {len(queries):7d}"
        )


if __name__ == "__main__":
    main()
