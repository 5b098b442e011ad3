"""One "paid" payment event for every method: a card payment's lines are paid lines.

The card payment is written by the Stripe hook (hooks.record_payment) here, without a
Stripe server; the whole card checkout against localstripe is in test_stripe_checkout.py.
Orders paid by card before the names were one are put right by payment migration 0006.
"""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from oscar.test.factories import OrderFactory, OrderLineFactory

from storefront.payment import facade
from storefront.stripe_payment import hooks
from storefront.stripe_payment.hooks import Source
from tests import factories

pytestmark = pytest.mark.django_db

migration = importlib.import_module("storefront.payment.migrations.0006_one_paid_event")
PaymentEventType = django_apps.get_model("order", "PaymentEventType")
PaymentEvent = django_apps.get_model("order", "PaymentEvent")
PaymentEventQuantity = django_apps.get_model("order", "PaymentEventQuantity")
SourceType = django_apps.get_model("payment", "SourceType")


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


def legacy_card_payment(order, intent_id, source_type):
    """What hooks.record_payment wrote before: a "Paid" event, no line quantities."""
    Source.objects.create(
        order=order,
        source_type=source_type,
        reference=intent_id,
        currency="VND",
        amount_allocated=order.total_incl_tax,
        amount_debited=order.total_incl_tax,
    )
    old_paid = PaymentEventType.objects.get_or_create(name="Paid")[0]
    return PaymentEvent.objects.create(
        order=order, event_type=old_paid, amount=order.total_incl_tax, reference=intent_id
    )


def test_the_migration_makes_old_card_orders_read_paid():
    # The facade's Stripe type existed first, so the hook's "Stripe" type got another code.
    stripe_type = facade.source_type(facade.STRIPE)
    old_type = SourceType.objects.create(name="Stripe")
    assert old_type.code != facade.STRIPE
    card_order = order_with_lines("100021")
    legacy_card_payment(card_order, "pi_old", old_type)
    # A cash order a producer marked paid has a "paid" event already: the two types merge.
    cash_order = order_with_lines("100022", quantities=(1,))
    cash_paid = facade.record_paid_event(cash_order, Decimal("10"), "producer", cash_order.lines.all())
    assert not facade.paid_lines(card_order).exists()

    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)  # a second run finds nothing to do

    assert list(PaymentEventType.objects.filter(name__iexact="paid").values_list("name", "code")) == [
        (facade.PAID, facade.PAID)
    ]
    assert set(facade.paid_lines(card_order)) == set(card_order.lines.all())
    assert {(q.line_id, q.quantity) for q in PaymentEventQuantity.objects.filter(event__order=card_order)} == {
        (line.pk, line.quantity) for line in card_order.lines.all()
    }
    assert list(SourceType.objects.filter(code__startswith="stripe")) == [stripe_type]
    assert card_order.sources.get().source_type == stripe_type
    assert facade.is_paid(card_order)
    assert list(cash_order.payment_events.all()) == [cash_paid]
    assert cash_paid.line_quantities.count() == 1
    # The recorded payment is found again: recording it once more adds nothing.
    hooks.record_payment(card_order, "pi_old", int(card_order.total_incl_tax), "vnd")
    assert card_order.payment_events.count() == 1 and card_order.sources.count() == 1


def test_the_migration_renames_a_lone_paid_type():
    old_type = SourceType.objects.create(name="Stripe")  # code "stripe": the only one
    order = order_with_lines("100023", quantities=(3,))
    legacy_card_payment(order, "pi_lone", old_type)

    migration.forwards(django_apps, None)

    assert list(PaymentEventType.objects.filter(name__iexact="paid").values_list("name", flat=True)) == [facade.PAID]
    assert list(facade.paid_lines(order)) == list(order.lines.all())
    assert facade.source_type(facade.STRIPE) == old_type
