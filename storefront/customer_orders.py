"""The customer's own orders: the cancellation page (the order logic is storefront/orders.py).

GET shows what cancelling does and asks for confirmation (a reason is optional); POST
cancels. Only the signed-in customer's own orders are found: anyone else's number is 404.
An order that can no longer be cancelled (already cancelled, shipped) sends the customer
back to the order with the reason, never an error page.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from storefront import orders
from storefront.payment import facade

Order = get_model("order", "Order")
REASON_MAX = 500


class OrderCancelView(LoginRequiredMixin, TemplateView):
    template_name = "oscar/customer/order/order_cancel.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.order = get_object_or_404(Order, user=request.user, number=kwargs["order_number"])
        return super().dispatch(request, *args, **kwargs)

    def back(self):
        return redirect("customer:order", order_number=self.order.number)

    def get(self, request, *args, **kwargs):
        refused = orders.refusal(self.order)
        if refused:
            messages.error(request, refused)
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            order=self.order,
            payment_state=orders.payment_state(self.order),
            paid=facade.is_paid(self.order),
            page_title=_("Cancel order %(number)s") % {"number": self.order.number},
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "")[:REASON_MAX]
        try:
            orders.cancel(self.order, request.user, reason)
        except orders.CannotCancel as error:
            messages.error(request, str(error))
            return self.back()
        messages.success(request, _("Order %(number)s has been cancelled.") % {"number": self.order.number})
        return self.back()
