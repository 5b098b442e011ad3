from django import template
from django.conf import settings

from cms import theme

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context):
    """{% basket_count as count %}: units in the open basket (see cms.theme.basket_item_count)."""
    request = context.get("request")
    return theme.basket_item_count(request) if request is not None else 0


@register.simple_tag
def sales_point_map(points):
    """{% sales_point_map sales_points as map_data %}: markers for the sales-point map."""
    return theme.sales_point_map_data(points)


@register.simple_tag
def map_tiles():
    """{% map_tiles as tiles %}: the tile layer's URL template and attribution (settings)."""
    return {"url": settings.OCOP_MAP_TILE_URL, "attribution": settings.OCOP_MAP_TILE_ATTRIBUTION}
