"""One name for "paid" and one source type for Stripe, on orders paid before they were one.

Until now the Stripe hook recorded a card payment as a "Paid" PaymentEvent without line
quantities, under a SourceType it created by name ("Stripe", which gave it the code
"stripe" or, if the facade's type was made first, "stripe-2"), while cash on delivery and
VietQR record "paid" with the lines each payment covers (storefront/payment/facade.py).
Old card orders then showed no paid lines. This migration:

- renames the "Paid" PaymentEventType to "paid", or moves its events onto an existing
  "paid" type and deletes it;
- moves the sources of every Stripe source type onto the one with the code "stripe" (the
  one facade.source_type("stripe") finds) and deletes the others;
- gives each Stripe-paid event (a "paid" event whose reference is the intent id of a Stripe
  source of its order) a quantity for every line of its order, when it has none.

Going back changes nothing: the old code reads the merged rows as well as it read its own.
"""

from django.db import migrations
from django.db.models import Q

# Copies of storefront.payment.facade's names: a migration must not change when the code does.
PAID = "paid"
STRIPE = "stripe"
# What storefront/stripe_payment/hooks.py used to create.
OLD_PAID = "Paid"
OLD_STRIPE_NAME = "Stripe"


def one_paid_event_type(apps):
    """The "paid" PaymentEventType after the merge, or None when neither name exists."""
    PaymentEventType = apps.get_model("order", "PaymentEventType")
    PaymentEvent = apps.get_model("order", "PaymentEvent")
    old = PaymentEventType.objects.filter(name=OLD_PAID).first()
    paid = PaymentEventType.objects.filter(name=PAID).first()
    if old is not None and paid is None:
        PaymentEventType.objects.filter(pk=old.pk).update(name=PAID)
        return PaymentEventType.objects.get(pk=old.pk)
    if old is not None:
        PaymentEvent.objects.filter(event_type=old).update(event_type=paid)
        old.delete()
        # The code "paid" may have been the old type's; give it to the one that remains.
        if not PaymentEventType.objects.filter(code=PAID).exists():
            PaymentEventType.objects.filter(pk=paid.pk).update(code=PAID)
    return paid


def one_stripe_source_type(apps):
    """The SourceType with the code "stripe" after the merge, or None when there is none."""
    SourceType = apps.get_model("payment", "SourceType")
    Source = apps.get_model("payment", "Source")
    types = list(SourceType.objects.filter(Q(code=STRIPE) | Q(name=OLD_STRIPE_NAME)).order_by("pk"))
    if not types:
        return None
    keep = next((t for t in types if t.code == STRIPE), types[0])
    others = [t.pk for t in types if t.pk != keep.pk]
    Source.objects.filter(source_type_id__in=others).update(source_type=keep)
    SourceType.objects.filter(pk__in=others).delete()
    if keep.code != STRIPE:
        SourceType.objects.filter(pk=keep.pk).update(code=STRIPE)
    return keep


def forwards(apps, schema_editor):
    Source = apps.get_model("payment", "Source")
    PaymentEvent = apps.get_model("order", "PaymentEvent")
    PaymentEventQuantity = apps.get_model("order", "PaymentEventQuantity")
    Line = apps.get_model("order", "Line")

    paid = one_paid_event_type(apps)
    stripe = one_stripe_source_type(apps)
    if paid is None or stripe is None:
        return
    for order_id, reference in Source.objects.filter(source_type=stripe).values_list("order_id", "reference"):
        events = PaymentEvent.objects.filter(order_id=order_id, event_type=paid, reference=reference)
        lines = list(Line.objects.filter(order_id=order_id))
        for event in events.filter(line_quantities__isnull=True):
            PaymentEventQuantity.objects.bulk_create(
                PaymentEventQuantity(event=event, line=line, quantity=line.quantity) for line in lines
            )


class Migration(migrations.Migration):
    dependencies = [
        ("payment", "0005_auto_20200801_0817"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
