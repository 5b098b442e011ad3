"""What a person reads for an order's or a line's status (one mapping for both).

The codes are OSCAR_ORDER_STATUS_PIPELINE's (storefront/settings/base.py); they stay codes
in the database, forms and URLs, and are shown through `label()` (the `status_label`
template filter in storefront/checkout/templatetags/ocop_orders.py).
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "pending": _("Awaiting processing"),
    "processing": _("Processing"),
    "shipped": _("Shipped"),
    "delivered": _("Delivered"),
    "cancelled": _("Cancelled"),
}


def label(status):
    """The label of a status code, in the active language; an unknown code as it is."""
    return LABELS.get(status, status)
