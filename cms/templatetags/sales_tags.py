"""What the product page shows of where else its product sells."""

from django import template
from django.utils import timezone

from catalog.models import MarketplaceListing, active_on

register = template.Library()


@register.simple_tag
def live_listings(page):
    """{% live_listings page as listings %}: the product's current marketplace listings,
    one per platform (the latest listed), in the platforms' order."""
    if not getattr(page, "register_product_id", None):
        return []
    rows = MarketplaceListing.objects.filter(
        active_on(timezone.localdate(), since="listed_since"), product_id=page.register_product_id
    ).order_by("platform", "-listed_since", "-pk")
    by_platform = {}
    for row in rows:
        by_platform.setdefault(row.platform, row)
    return list(by_platform.values())
