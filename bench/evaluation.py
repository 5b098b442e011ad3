"""Server time and SQL queries of the evaluation's heaviest steps on the demo data (a
benchmark, not a test): a council member's scoring page (the whole sheet as a form) and
the decision step (the council's result recomputed from every member's sheet, the
certificate, the register, the shop and the search outbox, in one transaction).

Run from the repository root, on the dev database after `make run` has loaded the demo data:

    .venv/bin/python bench/evaluation.py [--requests 30]

Each decision is rolled back after it is measured, so the demo stays as it was; the first
request of each kind warms caches and is not counted.
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cms.evaluation.models import Dossier, State  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(label, request, count, criteria):
    request()  # warm-up
    times, queries = [], 0
    for _ in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (label, response.status_code)
        queries = max(queries, len(captured))
    print(
        f"{label:<34} {statistics.median(times):>7.1f} {percentile(times, 0.95):>7.1f} {queries:>8}"
        f"   criteria on the sheet: {criteria}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    scoring = Dossier.objects.filter(state=State.SCORING).select_related("round", "sheet").first()
    scored = Dossier.objects.filter(state=State.SCORED).select_related("sheet").first()
    if scoring is None or scored is None:
        sys.exit("No demo dossier in scoring and scored states: run `make run` (or load_demo_data) first.")
    print(f"{'step':<34} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8}")

    submitted = set(scoring.member_scores.filter(submitted_at__isnull=False).values_list("member_id", flat=True))
    member = next(seat.member for seat in scoring.round.seats.all() if seat.member_id not in submitted)
    client = Client()
    client.force_login(member)
    url = reverse("evaluation:score", args=[scoring.pk])
    measure("scoring page (GET, one member)", lambda: client.get(url), args.requests, scoring.sheet.criteria().count())

    approver = get_approver()
    client.force_login(approver)
    url = reverse("evaluation:act", args=[scored.pk, "decide"])
    data = {"decide-number": "1/QĐ-BENCH", "decide-decided_on": timezone.localdate().isoformat()}

    def decide():
        with transaction.atomic():
            response = client.post(url, data)
            transaction.set_rollback(True)
        return response

    measure("decision step (POST, rolled back)", decide, args.requests, scored.sheet.criteria().count())


def get_approver():
    from django.contrib.auth import get_user_model

    from cms.evaluation.access import APPROVERS

    return get_user_model().objects.filter(groups__name=APPROVERS).first()


if __name__ == "__main__":
    main()
