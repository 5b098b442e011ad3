"""Checkout views: the payment method is chosen on the payment-details page.

For a card payment (Stripe) the preview page also carries Stripe.js's card element: the
intent is started there for the order number reserved in the checkout session, so the
intent and the order share it, and "place order" first confirms the card in the browser.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, views
from oscar.apps.payment.exceptions import PaymentError

from storefront.checkout import stripe_orders
from storefront.checkout.forms import PaymentMethodForm, ShippingAddressForm
from storefront.checkout.utils import CheckoutSessionData
from storefront.payment import facade
from storefront.stripe_payment import facade as stripe_facade


class ShippingAddressView(views.ShippingAddressView):
    """Oscar's view; a saved address chosen from the address book is checked like a typed one.

    An address saved before the address book had the Vietnamese rules (or edited since in a
    way the rules no longer accept) would otherwise reach the order unchecked. And a crafted
    address id (not a number, another customer's) is a 404 here, where Oscar raised a 500.
    """

    def post(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and "address_id" in request.POST):
            return super().post(request, *args, **kwargs)
        if request.POST.get("action") != "ship_to":
            return HttpResponseBadRequest(_("Unknown action for a saved address."))
        try:
            pk = int(request.POST["address_id"])
        except (TypeError, ValueError):
            raise Http404 from None
        address = get_object_or_404(request.user.addresses.all(), pk=pk)
        problems = address_problems(address)
        if problems:
            messages.error(
                request,
                _("The saved address cannot be used as it is: %(problems)s Please correct it.")
                % {"problems": " ".join(problems)},
            )
            return redirect("checkout:user-address-update", pk=address.pk)
        self.checkout_session.ship_to_user_address(address)
        return redirect(self.get_success_url())


def address_problems(address):
    """The messages the checkout's address form gives for a saved address; empty when sound."""
    form = ShippingAddressForm(
        data={name: str(getattr(address, name, "") or "") for name in ShippingAddressForm.Meta.fields}
    )
    if form.is_valid():
        return []
    return [str(message) for errors in form.errors.values() for message in errors]


class PaymentDetailsView(views.PaymentDetailsView):
    def dispatch(self, request, *args, **kwargs):
        # A card payer whose order the webhook placed meanwhile (its basket is submitted):
        # show that order rather than an empty basket.
        session = CheckoutSessionData(request)
        placed = stripe_orders.placed_order(session)
        if placed is not None:
            session.flush()
            request.session["checkout_order_id"] = placed.id
            return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = self.checkout_session.payment_method()
        if "payment_form" not in ctx:
            ctx["payment_form"] = PaymentMethodForm(initial={"method": method or facade.COD})
        ctx["payment_method_name"] = facade.METHOD_NAMES.get(method, "")
        return ctx

    def handle_payment_details_submission(self, request):
        form = PaymentMethodForm(request.POST)
        if not form.is_valid():
            return self.render_payment_details(request, payment_form=form)
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return self.render_preview(request, payment_form=form)

    def render_preview(self, request, **kwargs):
        if self.checkout_session.payment_method() == facade.STRIPE:
            try:
                kwargs.update(self.start_stripe_payment())
            except (PaymentError, stripe_facade.InvalidAmount):
                return self.render_payment_details(
                    request, error=_("Card payment could not be started. Please try again or choose another method.")
                )
        return super().render_preview(request, **kwargs)

    def start_stripe_payment(self):
        """Start (or get back) the intent of this basket's order number; the page's Stripe context."""
        submission = self.build_submission()
        basket = submission["basket"]
        order_number = str(self.generate_order_number(basket))
        self.checkout_session.set_order_number(order_number)
        stripe_orders.remember(
            order_number,
            basket,
            submission["user"],
            submission["order_kwargs"].get("guest_email", ""),
            submission["shipping_address"],
            submission["shipping_method"],
        )
        total = submission["order_total"].incl_tax
        client_secret = stripe_orders.client_secret_to_reuse(order_number, total)
        if client_secret is None:
            client_secret = stripe_facade.start_payment(order_number, total, basket_id=basket.id).client_secret
        return {
            "stripe_js_url": getattr(settings, "OCOP_STRIPE_JS_URL", "https://js.stripe.com/v3/"),
            "stripe_publishable_key": settings.OCOP_STRIPE_PUBLISHABLE_KEY,
            "stripe_client_secret": client_secret,
            "stripe_order_number": order_number,
        }

    def generate_order_number(self, basket):
        # The number reserved for this basket when its card payment was started, if any.
        reserved = self.checkout_session.get_order_number()
        if reserved and self.checkout_session.payment_method() == facade.STRIPE:
            reservation = stripe_orders.StripeCheckout.objects.filter(order_number=reserved, basket_id=basket.id)
            if reservation.filter(refund_id="").exists():  # a refunded number is not used again
                return reserved
        return super().generate_order_number(basket)

    def get_template_names(self):
        if self.preview and self.checkout_session.payment_method() == facade.STRIPE:
            return ["oscar/checkout/preview_stripe.html"]
        return super().get_template_names()

    def get_pre_conditions(self, request):
        conditions = super().get_pre_conditions(request)
        if request.method == "POST" and request.POST.get("action") != "place_order":
            # This POST is the choice of method itself, from the payment-details page.
            conditions = [c for c in conditions if c != "check_payment_data_is_captured"]
        return conditions

    def check_payment_data_is_captured(self, request):
        if self.checkout_session.payment_method() not in dict(facade.available_methods()):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-details"), message=_("Choose how you will pay.")
            )

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        submission["payment_kwargs"]["method"] = self.checkout_session.payment_method()
        return submission
