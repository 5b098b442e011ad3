"""The row locks taken while an order is placed (SELECT … FOR UPDATE), in one place.

Every entry point that places an order (the checkout view, the Stripe webhook) takes them
through here and in the same order: first the StripeCheckout row of a card payment, then the
basket's stock records in primary-key order. Two transactions that want the same rows then
queue behind each other instead of deadlocking. The locks last until the caller's transaction
ends, so each function must be called inside transaction.atomic().
"""

from oscar.core.loading import get_model

from storefront.checkout.models import StripeCheckout

StockRecord = get_model("partner", "StockRecord")


def stripe_checkout(order_number):
    """Lock the remembered card checkout of `order_number` (or None when there is none).

    The checkout view and the webhook both place the order of a paid intent: whoever holds
    this row places it, the other finds the order.
    """
    return StripeCheckout.objects.select_for_update().filter(order_number=str(order_number)).first()


def stock_records(pks):
    """Lock the stock records `pks` in primary-key order; return them, freshly read."""
    return list(StockRecord.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
