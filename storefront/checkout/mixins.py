"""Oscar's OrderPlacementMixin for our checkout views: taking the payment, then handing the
order to placement.place_order (the service the Stripe webhook calls too).

handle_payment takes (or checks) the payment by COD, VietQR or card (Stripe). For COD and
VietQR it collects an unsaved source and a "placed" event the Oscar way
(add_payment_source / add_payment_event); place_order passes them to placement as a
CollectedPayment, saved with the order.

Card payments are taken before "place order" (Stripe.js on the payment page):
handle_payment only checks that the order number's intent has succeeded
(stripe_orders.paid_intent), and the payment is recorded on the order once it exists
(hooks.record_payment, idempotent with the webhook's). If the webhook placed the order
first (stripe_orders.place_order_for_intent), that order is the one returned, and it is not
confirmed by e-mail a second time.

How stock is checked and allocated is placement.py's business (its docstring).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.checkout import mixins
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from storefront import tasks
from storefront.checkout import lock_objects, placement, stripe_orders
from storefront.payment import facade

Order = get_model("order", "Order")


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    _card_payment = None  # the stripe_orders.CardPayment once handle_payment has checked it
    _placed_by_webhook = False  # the order existed already: the webhook confirmed it

    def handle_payment(self, order_number, total, method=None, **kwargs):
        if method not in dict(facade.available_methods()):
            raise UnableToTakePayment(_("Choose how you will pay."))
        if method == facade.STRIPE:
            self._card_payment = stripe_orders.paid_intent(order_number, total)
            return
        source = facade.unsaved_source(method, order_number, total)
        self.add_payment_source(source)
        self.add_payment_event(facade.PLACED, total.incl_tax, reference=method)

    def place_order(
        self,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        order_total,
        billing_address=None,
        surcharges=None,
        **kwargs,
    ):
        kwargs.setdefault("request", getattr(self, "request", None))
        if "status" not in kwargs:
            kwargs["status"] = self.get_initial_order_status(basket)
        order_data = dict(
            order_number=order_number,
            user=user,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            order_total=order_total,
            billing_address=billing_address,
            surcharges=surcharges,
            **kwargs,
        )
        if self._card_payment is None:
            payment = placement.CollectedPayment(self._payment_sources or (), self._payment_events or ())
            return placement.place_order(payment=payment, **order_data)
        with transaction.atomic():
            # Whoever holds this lock places the order; the other finds it.
            lock_objects.stripe_checkout(order_number)
            order = Order.objects.filter(number=order_number).first()
            if order is None:
                return placement.place_order(payment=self._card_payment, **order_data)
            self._card_payment.record(order)
            self._placed_by_webhook = True
            return order

    def send_order_placed_email(self, order):
        if not self._placed_by_webhook:
            # Sent by the worker once the order is committed, never inside the request.
            tasks.order_placed_after_commit(order)
