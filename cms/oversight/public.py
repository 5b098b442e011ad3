"""The public side of oversight: the statistics page (/thong-ke/, /en/thong-ke/) and the open
data files (/du-lieu-mo/…), for citizens and journalists, without an account.

The page shows figures.headline(today) and figures.series() at each year end since the
plans began, each chart with the same figures as a table. Figures and charts are computed
once per language and state of the register (opendata.last_changed), then cached.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cms.oversight import charts, figures, opendata, periods

FIRST_YEAR = 2021  # the plans' first year (Gia Lai 2581/KH-UBND, 2021–2025)
CACHE_SECONDS = 600  # a product's group changing leaves no date behind: bound how long it shows
OPEN_DATA_MAX_AGE = 300


def year_ends(today):
    """Each year since FIRST_YEAR, the current one up to today."""
    return [periods.year(y) for y in range(FIRST_YEAR, today.year + 1)]


def _period_label(period):
    return str(period.start.year) if period.as_of == period.end else formats.date_format(period.as_of, "d/m/Y")


def statistics_data(today):
    """Figures, tables and charts of the page, as a dict of plain values (cacheable)."""
    with figures.remembered():  # today's products are counted once for both
        head = figures.headline(today)
        timeline = figures.series(year_ends(today))
    labels = [_period_label(period) for period, _counts in timeline]
    by_stars = {stars: [counts[stars] for _period, counts in timeline] for stars in (3, 4, 5)}
    timeline_rows = [
        (label, counts[3], counts[4], counts[5], sum(counts.values()))
        for label, (_period, counts) in zip(labels, timeline, strict=True)
    ]
    breakdowns = [
        ("group", _("Certified products by product group"), _("Product group"), head["by_group"]),
        ("province", _("Certified products by province"), _("Province"), head["by_province"]),
        (
            "district",
            _("Certified products by district (before 2025)"),
            _("District (before 2025)"),
            head["by_district"],
        ),
    ]
    stars_title = _("Certified products in force by stars, at each year end")
    return {
        "head": head,
        "by_stars": [(stars, head["by_stars"][stars]) for stars in figures.STARS],
        "timeline": {
            "title": stars_title,
            "rows": timeline_rows,
            "chart": charts.stars_series(labels, by_stars, stars_title, heading=False),
        },
        "breakdowns": [
            {
                "slug": slug,
                "title": title,
                "column": column,
                "rows": rows,
                "chart": charts.counts(rows, title, heading=False),
            }
            for slug, title, column, rows in breakdowns
            if rows
        ],
    }


@require_safe
def statistics(request):
    today = timezone.localdate()
    key = f"oversight:statistics:{get_language()}:{today}:{opendata.last_changed().timestamp()}"
    data = cache.get(key)
    if data is None:
        data = statistics_data(today)
        cache.set(key, data, CACHE_SECONDS)
    return render(request, "oversight/statistics.html", {**data, "as_of": today, "formats": DOWNLOADS})


DOWNLOADS = [("csv", "CSV", "text/csv"), ("json", "JSON", "application/json")]
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@require_safe
def register_file(request, fmt):
    """The register of certificates as `fmt` (csv or json); the date of the data is the
    JSON's "as_of" and the CSV's file name (san-pham-ocop-YYYY-MM-DD.csv).

    A conditional GET is answered by the ETag, a hash of the body: a renamed product leaves
    no date behind, so Last-Modified (the latest dated change) is said but not relied on.
    """
    today = timezone.localdate()
    body = (opendata.as_csv if fmt == "csv" else opendata.as_json)(today)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="san-pham-ocop-{today.isoformat()}.{fmt}"'
    response["ETag"] = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response["Last-Modified"] = http_date(opendata.last_changed().timestamp())
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    patch_cache_control(response, public=True, max_age=OPEN_DATA_MAX_AGE)
    return get_conditional_response(request, etag=response["ETag"], response=response)
