"""One "paid" payment event for every method: a card payment's lines are paid lines.

The card payment is written by the Stripe hook (hooks.record_payment) here, without a
Stripe server; the whole card checkout against localstripe is in test_stripe_checkout.py.
"""

from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from oscar.test.factories import OrderFactory, OrderLineFactory

from storefront.payment import facade
from storefront.stripe_payment import hooks
from tests import factories

pytestmark = pytest.mark.django_db

PaymentEventType = django_apps.get_model("order", "PaymentEventType")


def order_with_lines(number, quantities=(2, 1)):
    order = OrderFactory(number=number, total_incl_tax=Decimal("125000"), total_excl_tax=Decimal("125000"))
    for quantity in quantities:
        OrderLineFactory(order=order, quantity=quantity)
    return order


def test_a_card_payment_pays_every_line_once():
    order = order_with_lines("100020")
    for _ in range(2):  # the checkout and the webhook both record it
        hooks.record_payment(order, "pi_lines", 125000, "vnd")

    assert facade.is_paid(order)
    assert set(facade.paid_lines(order)) == set(order.lines.all())
    (event,) = order.payment_events.all()
    assert (event.event_type.name, event.amount, event.reference) == (facade.PAID, Decimal("125000"), "pi_lines")
    assert sorted(event.line_quantities.values_list("quantity", flat=True)) == [1, 2]
    source = order.sources.get()
    assert source.source_type == facade.source_type(facade.STRIPE)
    assert PaymentEventType.objects.filter(name__iexact="paid").count() == 1
    # Nothing is left to mark paid by hand: no second debit on the card's source.
    official = factories.UserFactory(is_superuser=True)
    assert facade.mark_paid(order, official) == 0
    source.refresh_from_db()
    assert source.amount_debited == Decimal("125000") and not source.transactions.exists()
