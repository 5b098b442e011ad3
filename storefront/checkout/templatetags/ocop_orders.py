from django import template

from storefront import access, orders, statuses
from storefront.payment import facade

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


@register.simple_tag
def order_follow(order):
    """{% order_follow order as follow %}: what the customer reads of the order: its steps,
    payment method and state, whether it is paid and whether it may be cancelled."""
    return {
        "steps": orders.steps(order),
        "method": orders.payment_method(order),
        "payment_state": orders.payment_state(order),
        "paid": facade.is_paid(order),
        "can_cancel": orders.can_cancel(order),
    }
