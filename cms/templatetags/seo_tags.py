"""Template access to cms/seo.py for themes/ocop/templates/includes/seo_head.html."""

from django import template
from django.utils.translation import get_language

from cms import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head_data(context, offer=None):
    """{% seo_head_data offer=purchase as seo %}; `offer` is the shop's answer on a product page."""
    request = context.get("request")
    if request is None:
        return None
    return seo.head_data(request, context.get("page"), language=get_language(), offer=offer)
