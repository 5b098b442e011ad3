"""What the product page shows of where else its product sells."""

from django import template
from django.utils import timezone

from catalog.models import MarketplaceListing, active_on
from catalog.prepared import prepared

register = template.Library()


@prepared
def _current_listings(day, product_id):
    return MarketplaceListing.objects.filter(active_on(day, since="listed_since"), product_id=product_id).order_by(
        "platform", "-listed_since", "-pk"
    )


@register.simple_tag
def live_listings(page):
    """{% live_listings page as listings %}: the product's current marketplace listings,
    one per platform (the latest listed), in the platforms' order."""
    if not getattr(page, "register_product_id", None):
        return []
    by_platform = {}
    for row in _current_listings(timezone.localdate(), page.register_product_id):
        by_platform.setdefault(row.platform, row)
    return list(by_platform.values())
