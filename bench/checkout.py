"""Server time and SQL queries of each checkout step on the demo data (a benchmark, not a test).

Run from the repository root, on the dev database after `make run` has loaded the demo data:

    .venv/bin/python bench/checkout.py [--rounds 10]

The demo customer (khachhang) buys one unit from each of two producers per round, through
Oscar's checkout with Django's test client (no network): add to basket ×2, shipping
address, shipping method, payment details, preview (choosing the method), place order,
thank-you page. Rounds alternate cash on delivery and VietQR. It places real orders in the
dev database (and allocates their stock). The first round warms caches and is not counted.
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from oscar.core.loading import get_class  # noqa: E402

from cms.models import ProductPage  # noqa: E402

Selector = get_class("partner.strategy", "Selector")
ADDRESS = {
    "first_name": "Nguyễn Thị",
    "last_name": "Lan",
    "line1": "12 Lê Lợi",
    "line4": "Phường Xuân Hương - Đà Lạt",
    "state": "Lâm Đồng",
    "phone_number": "0912 345 678",
}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def two_products():
    """Two products on sale from two different producers, with stock to spare."""
    strategy = Selector().strategy()
    chosen = {}
    pages = ProductPage.objects.live().filter(stockrecord__isnull=False).select_related("stockrecord__product")
    for page in pages.order_by("pk"):
        product = page.stockrecord.product
        info = strategy.fetch_for_product(product)
        if not info.availability.is_available_to_buy or (info.stockrecord.net_stock_level or 0) < 50:
            continue
        if not info.stockrecord.product.get_product_class().requires_shipping:
            continue
        chosen.setdefault(info.stockrecord.partner_id, product)
        if len(chosen) == 2:
            return list(chosen.values())
    raise SystemExit("Need two producers' products on sale with 50+ in stock: load the demo data first.")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    products = two_products()
    client = Client()
    client.force_login(get_user_model().objects.get(username="khachhang"))
    times, queries = defaultdict(list), defaultdict(list)

    def step(name, method, url, data=None, expect=(200, 302)):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code in expect, (name, response.status_code)
        times[name].append(elapsed)
        queries[name].append(len(captured))
        return response

    for round_ in range(args.rounds + 1):
        method = "cod" if round_ % 2 == 0 else "vietqr"
        for number, product in enumerate(products, 1):
            step(f"add to basket ({number})", "post", reverse("basket:add", args=[product.pk]), {"quantity": 1}, (302,))
        step("shipping address", "post", reverse("checkout:shipping-address"), ADDRESS, (302,))
        step("shipping method", "get", reverse("checkout:shipping-method"), expect=(302,))
        step("payment details", "get", reverse("checkout:payment-details"), expect=(200,))
        step("preview", "post", reverse("checkout:preview"), {"method": method}, (200,))
        response = step("place order", "post", reverse("checkout:preview"), {"action": "place_order"}, (302,))
        assert response.url == reverse("checkout:thank-you"), "order not placed"
        step(f"thank-you ({method})", "get", reverse("checkout:thank-you"), expect=(200,))
        if round_ == 0:
            times.clear()
            queries.clear()

    print(f"{'step':<24} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}")
    for name in times:
        print(
            f"{name:<24} {statistics.median(times[name]):7.1f} {percentile(times[name], 0.95):7.1f} "
            f"{max(queries[name]):7d}"
        )


if __name__ == "__main__":
    main()
