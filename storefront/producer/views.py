"""A producer's own order lines, and the payment switch, enforced on the server.

Every query starts from storefront.access: another producer's line or order is not found
(404), whatever id or number the request carries.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_class, get_model

from storefront import access, statuses
from storefront.payment import facade
from storefront.producer import actions

Line = get_model("order", "Line")
InvalidLineStatus = get_class("order.exceptions", "InvalidLineStatus")


class ProducerOrderLineListView(LoginRequiredMixin, ListView):
    template_name = "storefront/producer/order_lines.html"
    context_object_name = "lines"
    paginate_by = 50

    def get_queryset(self):
        if not (access.is_staff_for_orders(self.request.user) or access.partner_ids_of(self.request.user)):
            raise PermissionDenied
        return (
            access.lines_for(self.request.user)
            .select_related("order", "order__shipping_address", "partner")
            .order_by("-order__date_placed", "pk")
        )


class ProducerLineStatusView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            line = actions.change_line_status(request.user, pk, request.POST.get("status", ""))
        except Line.DoesNotExist:
            raise Http404 from None
        except InvalidLineStatus as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Line %(title)s is now “%(status)s”.") % {"title": line.title, "status": statuses.label(line.status)},
            )
        return redirect("producer-orders")


class OrderMarkPaidView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(access.orders_for(request.user), number=number)
        amount = facade.mark_paid(order, request.user)
        if amount:
            messages.success(request, _("Payment recorded for order %(number)s.") % {"number": number})
        else:
            messages.info(request, _("Nothing left for you to mark paid in order %(number)s.") % {"number": number})
        # Only back to a page of this site: an open redirect would lend our address to phishing.
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("producer-orders")
