"""Order placement: payment by COD, VietQR or card (Stripe), and no overselling.

Card payments are taken before "place order" (Stripe.js on the payment page):
handle_payment only checks that the order number's intent has succeeded
(stripe_orders.paid_intent), and the payment is recorded on the order once it exists
(hooks.record_payment, idempotent with the webhook's). If the webhook placed the order
first (stripe_orders.place_order_for_intent), that order is the one returned.

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

Placement locks the stock records of the basket (SELECT … FOR UPDATE, in primary-key order
so concurrent checkouts cannot deadlock), checks each line against the net level under the
lock, and only then lets Oscar write the order and allocate, all in one transaction. A
buyer who loses the race gets UnableToPlaceOrder with an out-of-stock message and keeps
the basket.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.checkout import mixins
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_class, get_model

from storefront import notifications
from storefront.payment import facade
from storefront.stripe_payment import hooks

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")


def lock_and_check_stock(basket):
    """Lock the basket's stock records; refuse when any line wants more than is left."""
    wanted = {}
    for line in basket.all_lines():
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            wanted.setdefault(line.stockrecord_id, [0, line.product.get_title()])
            wanted[line.stockrecord_id][0] += line.quantity
    locked = StockRecord.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    problems = []
    for record in locked:
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


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    _stripe_paid = None  # (intent_id, amount, currency) once handle_payment has checked it

    def handle_payment(self, order_number, total, method=None, **kwargs):
        if method not in dict(facade.available_methods()):
            raise UnableToTakePayment(_("Choose how you will pay."))
        if method == facade.STRIPE:
            from storefront.checkout import stripe_orders

            self._stripe_paid = stripe_orders.paid_intent(order_number, total)
            return
        source = facade.unsaved_source(method, order_number, total)
        self.add_payment_source(source)
        self.add_payment_event(facade.PLACED, total.incl_tax, reference=method)

    def place_order(self, *args, **kwargs):
        basket = kwargs["basket"]
        with transaction.atomic():
            if self._stripe_paid:
                from storefront.checkout import stripe_orders

                stripe_orders.lock_checkout(kwargs["order_number"])
                order = Order.objects.filter(number=kwargs["order_number"]).first()
                if order is None:
                    lock_and_check_stock(basket)
                    order = super().place_order(*args, **kwargs)
                hooks.record_payment(order, *self._stripe_paid)
                return order
            lock_and_check_stock(basket)
            return super().place_order(*args, **kwargs)

    def send_order_placed_email(self, order):
        notifications.order_placed(order)
