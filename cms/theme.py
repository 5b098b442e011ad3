"""Small read-only helpers the theme's templates use (the sales-point map data).

Kept out of the templates so that each costs a known number of queries: the map data reuses
the list's queryset. The header's basket count is the shop's (storefront/partner/display.py).
"""


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
