"""Small read-only helpers the theme's templates use (header basket count, sales-point map data).

Kept out of the templates so that each costs a known number of queries: the header must not add
per-page queries for visitors who have no basket, and the map data reuses the list's queryset.
"""

from django.db.models import Sum


def basket_item_count(request):
    """Units in the visitor's open basket, for the header link.

    No query for a visitor without a basket (Oscar's middleware gives an unsaved Basket), none when
    the page has already loaded the basket's lines (basket and checkout pages), otherwise one
    aggregate (plus Oscar's own basket look-up).
    """
    basket = getattr(request, "basket", None)
    if basket is None or basket.id is None:
        return 0
    lines = getattr(basket, "_lines", None)
    if lines is not None:
        return sum(line.quantity for line in lines)
    return basket.lines.aggregate(total=Sum("quantity"))["total"] or 0


def sales_point_map_data(points):
    """The map's markers: one dict per sales point that has both coordinates.

    `points` is the list the page already renders, so no extra query is made. Coordinates are
    floats (JSON numbers); the popup text is escaped by the browser script, never inserted as HTML.
    """
    data = []
    for point in points:
        if point.latitude is None or point.longitude is None:
            continue
        data.append(
            {
                "id": point.pk,
                "title": point.title,
                "url": point.url,
                "address": point.full_address,
                "lat": float(point.latitude),
                "lng": float(point.longitude),
            }
        )
    return data
