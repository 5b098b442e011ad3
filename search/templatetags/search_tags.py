"""The product list page's results, rendered by search (the pages never import search)."""

from django import template

from search import listing

register = template.Library()


@register.inclusion_tag("search/includes/product_listing.html", takes_context=True)
def product_listing(context):
    """{% product_listing %}: sort form, active filters, facets, cards and pages for this request."""
    request = context["request"]
    return {**context.flatten(), **listing.product_listing(request)}
