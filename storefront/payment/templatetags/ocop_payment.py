from django import template

from storefront.payment import facade

register = template.Library()


@register.simple_tag
def vietqr_for(order):
    """{% vietqr_for order as qr %}: the order's VietQR (payload, SVG, amount) or None."""
    return facade.vietqr_for(order)


@register.simple_tag
def payment_state(order):
    """{% payment_state order as paid %}: whether the order has been paid in full."""
    return facade.is_paid(order)


@register.filter
def payment_event_label(name):
    """{{ event.event_type.name|payment_event_label }}: "paid" → "Đã thanh toán"."""
    return facade.EVENT_LABELS.get(name, name)
