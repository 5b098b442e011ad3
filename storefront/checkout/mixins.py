"""Order placement: payment by COD or VietQR, and no overselling.

Stock: the producer's ProductPage.stock is its on-hand count, and publishing the page
writes it to the stock record's num_in_stock (catalog/shop.py). What can be sold is the
stock record's net level, num_in_stock − num_allocated. Placing an order allocates its
quantities (Oscar's StockRecord.allocate); the producer's on-hand count still includes
them until they leave the warehouse, when it updates the page's stock and the line's
allocation is consumed (storefront/producer/actions.py). So orders never write to the page,
and the page never undoes an allocation.

Placement locks the stock records of the basket (SELECT … FOR UPDATE, in primary-key order
so concurrent checkouts cannot deadlock), checks each line against the net level under the
lock, and only then lets Oscar write the order and allocate, all in one transaction. A
buyer who loses the race gets UnableToPlaceOrder with an out-of-stock message and keeps
the basket.
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.checkout import mixins
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_class, get_model

from storefront import notifications
from storefront.payment import facade

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
StockRecord = get_model("partner", "StockRecord")


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
    def handle_payment(self, order_number, total, method=None, **kwargs):
        if method not in dict(facade.available_methods()):
            raise UnableToTakePayment(_("Choose how you will pay."))
        source = facade.unsaved_source(method, order_number, total)
        self.add_payment_source(source)
        self.add_payment_event(facade.PLACED, total.incl_tax, reference=method)

    def place_order(self, *args, **kwargs):
        basket = kwargs["basket"]
        with transaction.atomic():
            lock_and_check_stock(basket)
            return super().place_order(*args, **kwargs)

    def send_order_placed_email(self, order):
        with translation.override("vi"):
            super().send_order_placed_email(order)
        notifications.notify_producers(order)
