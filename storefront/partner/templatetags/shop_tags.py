"""What the pages' templates show of the shop (logic in storefront/partner/display.py)."""

from django import template

from storefront.partner import display

register = template.Library()


@register.simple_tag(takes_context=True)
def purchase_info(context, page):
    """{% purchase_info page as purchase %}: purchase.can_buy, .reason, .num_available, .product…"""
    return display.purchase_info(page, context.get("request"))


@register.simple_tag(takes_context=True)
def basket_count(context):
    """{% basket_count as count %}: units in the open basket."""
    request = context.get("request")
    return display.basket_item_count(request) if request is not None else 0


@register.simple_tag(takes_context=True)
def product_page_url(context, product):
    """{% product_page_url line.product as url %}: the product's OCOP page ("" if none live)."""
    return display.product_page_url(product, context.get("request"))
