"""A producer's own orders, and the payment switch, enforced on the server.

Every query starts from storefront.access: another producer's line or order is not found
(404), whatever id or number the request carries. What changes an order is
storefront/producer/actions.py; what the pages show of it is storefront/producer/orders.py.
The admin's order views (admin_views.py) use the same three.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_class, get_model

from storefront import access, statuses
from storefront.payment import facade
from storefront.producer import actions, orders

Line = get_model("order", "Line")
InvalidLineStatus = get_class("order.exceptions", "InvalidLineStatus")


def safe_next(request, default):
    # Only back to a page of this site: an open redirect would lend our address to phishing.
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


class ProducerOrderListView(LoginRequiredMixin, ListView):
    """The user's orders, newest first, one block per order, filtered by ?status=."""

    template_name = "storefront/producer/orders.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self):
        if not access.may_handle_orders(self.request.user):
            raise PermissionDenied
        return orders.orders_for(self.request.user, status=self.request.GET.get("status", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summaries"] = summaries = [orders.summarise(order) for order in context["orders"]]
        for summary in summaries:  # what is left for this user to mark paid (the button's condition)
            if not summary.paid:  # an order debited in full has nothing left to mark
                summary.settle_amount = facade.settlement(summary.order, self.request.user, summary.source)[1]
        context["status"] = self.request.GET.get("status", "")
        context["status_choices"] = orders.STATUS_CHOICES
        return context


class ProducerLineStatusView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            line = actions.change_line_status(request.user, pk, request.POST.get("status", ""))
        except Line.DoesNotExist:
            raise Http404 from None
        except InvalidLineStatus:
            messages.error(request, _("This status change is not allowed for the line."))
        else:
            messages.success(
                request,
                _("Line %(title)s is now “%(status)s”.") % {"title": line.title, "status": statuses.label(line.status)},
            )
        return redirect(safe_next(request, "producer-orders"))


class OrderMarkPaidView(LoginRequiredMixin, View):
    """GET: the confirmation page (changes nothing); POST: record the payment."""

    http_method_names = ["get", "post"]
    template_name = "storefront/producer/confirm_paid.html"

    def get(self, request, number):
        order = get_object_or_404(access.orders_for(request.user), number=number)
        lines, amount = facade.settlement(order, request.user)
        context = {
            "summary": orders.summarise(order, lines=access.lines_for(request.user).filter(order=order)),
            "settle_lines": lines,
            "amount": amount,
            "next": safe_next(request, ""),
        }
        return render(request, self.template_name, context)

    def post(self, request, number):
        order = get_object_or_404(access.orders_for(request.user), number=number)
        amount = actions.mark_paid(order, request.user)
        if amount:
            messages.success(request, _("Payment recorded for order %(number)s.") % {"number": number})
        else:
            messages.info(request, _("Nothing left for you to mark paid in order %(number)s.") % {"number": number})
        return redirect(safe_next(request, "producer-orders"))


def dashboard_redirect(request):
    """Oscar's dashboard (/shop/dashboard/…) → the orders in Wagtail's admin, which asks
    for a login and checks the role itself."""
    return redirect("orders-admin:list")
