from django import template
from django.conf import settings

from cms import theme

register = template.Library()


@register.simple_tag
def sales_point_map(points):
    """{% sales_point_map sales_points as map_data %}: markers for the sales-point map."""
    return theme.sales_point_map_data(points)


@register.simple_tag
def map_tiles():
    """{% map_tiles as tiles %}: the tile layer's URL template and attribution (settings)."""
    return {"url": settings.OCOP_MAP_TILE_URL, "attribution": settings.OCOP_MAP_TILE_ATTRIBUTION}
