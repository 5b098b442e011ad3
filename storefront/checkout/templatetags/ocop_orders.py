from django import template

from storefront import access, statuses

register = template.Library()


@register.filter
def status_label(status):
    """{{ order.status|status_label }} → "Đang xử lý" (vi) or "Processing" (en)."""
    return statuses.label(status)


@register.simple_tag(takes_context=True)
def handles_orders(context):
    """{% handles_orders as handles %}: whether the signed-in user has orders to handle
    (a producer's account, an official): the header then links to them."""
    request = context.get("request")
    return request is not None and access.may_handle_orders(request.user)
