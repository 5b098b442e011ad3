"""Placing an order: the one function every entry point calls, and the stock rule it enforces.

place_order() is called by the checkout view (OrderPlacementMixin.place_order, mixins.py)
and by the Stripe webhook for a customer who paid and closed the tab
(stripe_orders.place_order_for_intent). It needs no view and no request. In one transaction
it locks the basket's stock records and checks them, saves the delivery and billing
addresses (and the customer's address book), lets Oscar's OrderCreator write the order, its
lines and discounts and allocate the stock, and records the payment (`Payment.record`).
Anything raised rolls all of it back.

Stock: the producer's ProductPage.stock is its on-hand count, and publishing the page
writes it to the stock record's num_in_stock (catalog/shop.py). What can be sold is the
stock record's net level, num_in_stock − num_allocated. Placing an order allocates its
quantities (Oscar's StockRecord.allocate); the producer's on-hand count still includes
them until they leave the warehouse, when it updates the page's stock and the line's
allocation is consumed (storefront/producer/actions.py): num_in_stock falls, the page's
figure does not. The page's figure is written again only when the producer changes it
(catalog/shop.py compares it with the figure last synced), so a republication does not
raise the stock again. Orders never write to the page, and the page never undoes an
allocation.

No overselling: the basket's stock records are locked (lock_objects.stock_records, in
primary-key order so concurrent checkouts cannot deadlock), each line is checked against the
net level under the lock, and only then does Oscar write the order and allocate, before the
lock is released. A buyer who loses the race gets UnableToPlaceOrder with an out-of-stock
message and keeps the basket.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from storefront.checkout import lock_objects

OrderCreator = get_class("order.utils", "OrderCreator")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
UserAddress = get_model("address", "UserAddress")


class Payment(Protocol):
    """How an order was paid (or is to be): written onto the order once it exists.

    record() runs inside the placement's transaction; what it raises undoes the order.
    """

    def record(self, order) -> None: ...


@dataclass
class CollectedPayment:
    """The unsaved sources and events a checkout view collected in handle_payment
    (Oscar's add_payment_source / add_payment_event), saved as Oscar's
    OrderPlacementMixin.save_payment_details saves them: each event covers every line."""

    sources: Sequence = ()
    events: Sequence = ()

    def record(self, order):
        lines = list(order.lines.all())
        for event in self.events:
            event.order = order
            event.save()
            PaymentEventQuantity.objects.bulk_create(
                PaymentEventQuantity(event=event, line=line, quantity=line.quantity) for line in lines
            )
        for source in self.sources:
            source.order = order
            source.save()


def lock_and_check_stock(basket):
    """Lock the basket's stock records; refuse when any line wants more than is left."""
    wanted = {}
    for line in basket.all_lines():
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            wanted.setdefault(line.stockrecord_id, [0, line.product.get_title()])
            wanted[line.stockrecord_id][0] += line.quantity
    problems = []
    for record in lock_objects.stock_records(wanted):
        quantity, title = wanted[record.pk]
        left = record.net_stock_level
        if left <= 0:
            problems.append(_("“%(title)s” is out of stock.") % {"title": title})
        elif quantity > left:
            problems.append(
                _("Only %(left)d of “%(title)s” left; please lower the quantity.") % {"left": left, "title": title}
            )
    if problems:
        raise UnableToPlaceOrder(" ".join(problems))


def place_order(
    *,
    order_number,
    user,
    basket,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    billing_address=None,
    surcharges=None,
    payment=None,
    status=None,
    request=None,
    **order_kwargs,
):
    """Write the order for `basket` and record `payment` on it; return the order.

    `shipping_address` and `billing_address` are unsaved instances (or None); `user` may be
    None or anonymous (a guest: no address book). `request` only tells Oscar the current
    site, and may be None. Extra keyword arguments become fields of the order (guest_email).
    Raises UnableToPlaceOrder, with the reason for the customer, when the stock is short;
    the basket is left as it was (submitting it is the caller's business).
    """
    with transaction.atomic():
        lock_and_check_stock(basket)
        shipping_address = _save_address(user, shipping_address)
        billing_address = _save_address(user, billing_address)
        order = OrderCreator().place_order(
            order_number=order_number,
            user=user,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            total=order_total,
            billing_address=billing_address,
            status=status,
            request=request,
            surcharges=surcharges,
            **order_kwargs,
        )
        if payment is not None:
            payment.record(order)
    return order


def _save_address(user, address):
    """Save an order's address; count it in a signed-in customer's address book, as Oscar does."""
    if not address:
        return None
    address.save()
    if user is not None and user.is_authenticated:
        try:
            book_entry = user.addresses.get(hash=address.generate_hash())
        except ObjectDoesNotExist:
            book_entry = UserAddress(user=user)
            address.populate_alternative_model(book_entry)
        if isinstance(address, ShippingAddress):
            book_entry.num_orders_as_shipping_address += 1
        if isinstance(address, BillingAddress):
            book_entry.num_orders_as_billing_address += 1
        book_entry.save()
    return address
