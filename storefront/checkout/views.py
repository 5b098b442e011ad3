"""Checkout views: the payment method is chosen on the payment-details page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, views

from storefront.checkout.forms import PaymentMethodForm
from storefront.payment import facade


class PaymentDetailsView(views.PaymentDetailsView):
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
