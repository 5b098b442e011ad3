"""Orders in Wagtail's admin (/admin/don-hang/), for producers (their own orders, their own
lines) and officials (every order): the list with filters, an order's page with its lines,
payment, delivery and history, and the actions. They replace Oscar's dashboard, which
/shop/dashboard/ now redirects here.

Who sees what is storefront.access; what is shown is orders.py; what changes an order is
actions.py (set_status for the order's status, change_line_status for a producer's line,
mark_paid behind a confirmation page). GET never changes anything.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from oscar.core.loading import get_class
from wagtail.admin import messages

from storefront import access, statuses
from storefront.payment import facade
from storefront.producer import actions, orders
from storefront.producer.views import safe_next

InvalidOrderStatus = get_class("order.exceptions", "InvalidOrderStatus")
InvalidLineStatus = get_class("order.exceptions", "InvalidLineStatus")

# The statuses an official moves a whole order to from its page; cancelling is the
# customer's (before shipping) and the lines' (a producer's line).
ORDER_ACTIONS = ("processing", "shipped", "delivered")


def forbidden(request):
    # Rendered, not raised: Wagtail turns PermissionDenied into a redirect to its home.
    return render(
        request,
        "storefront/admin/orders_forbidden.html",
        {"page_title": _("Orders"), "header_icon": "list-ul"},
        status=403,
    )


def order_list(request):
    user = request.user
    if not access.may_handle_orders(user):
        return forbidden(request)
    staff = access.is_staff_for_orders(user)
    filters = {
        "status": request.GET.get("status", ""),
        "partner": request.GET.get("partner", "") if staff else "",
        "method": request.GET.get("method", ""),
    }
    page = Paginator(orders.orders_for(user, **filters), 25).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "storefront/admin/order_list.html",
        {
            "page_title": _("Orders"),
            "header_icon": "list-ul",
            "page_obj": page,
            "summaries": [orders.summarise(order) for order in page.object_list],
            "filters": filters,
            "status_choices": orders.STATUS_CHOICES,
            "method_choices": orders.method_choices(),
            "partners": orders.partners_for(user) if staff else None,
            "query": query.urlencode(),
            "staff": staff,
        },
    )


def order_of(request, number):
    return get_object_or_404(orders.orders_for(request.user), number=number)


def order_detail(request, number):
    if not access.may_handle_orders(request.user):
        return forbidden(request)
    order = order_of(request, number)
    staff = access.is_staff_for_orders(request.user)
    actions_ = [(code, statuses.label(code)) for code in order.available_statuses() if code in ORDER_ACTIONS]
    return render(
        request,
        "storefront/admin/order_detail.html",
        {
            "page_title": _("Order %(number)s") % {"number": order.number},
            "header_icon": "list-ul",
            "summary": orders.summarise(order),
            "status_actions": actions_ if staff else [],
            "staff": staff,
            "settle_amount": facade.settlement(order, request.user)[1],
        },
    )


@require_POST
def order_status(request, number):
    """An official moves the whole order (actions.set_status); a producer moves its lines."""
    if not access.is_staff_for_orders(request.user):
        return forbidden(request)
    order = order_of(request, number)
    code = request.POST.get("status", "")
    if code not in ORDER_ACTIONS:
        messages.error(request, _("Unknown status."))
    else:
        try:
            actions.set_status(order, code, request.user)
        except InvalidOrderStatus:
            messages.error(
                request,
                _("Order %(number)s cannot go from “%(old)s” to “%(new)s”.")
                % {"number": number, "old": statuses.label(order.status), "new": statuses.label(code)},
            )
        else:
            messages.success(
                request,
                _("Order %(number)s is now “%(status)s”.") % {"number": number, "status": statuses.label(code)},
            )
    return redirect("orders-admin:detail", number=number)


@require_POST
def order_line_status(request, number, pk):
    """A line's status from the order's page (producers: their own lines only)."""
    order = order_of(request, number)
    if not access.lines_for(request.user).filter(order=order, pk=pk).exists():
        raise Http404
    try:
        line = actions.change_line_status(request.user, pk, request.POST.get("status", ""))
    except InvalidLineStatus:
        messages.error(request, _("This status change is not allowed for the line."))
    else:
        messages.success(
            request,
            _("Line %(title)s is now “%(status)s”.") % {"title": line.title, "status": statuses.label(line.status)},
        )
    return redirect("orders-admin:detail", number=number)


@require_http_methods(["GET", "POST"])
def order_mark_paid(request, number):
    """GET: what would be recorded, and a button; POST: record it (actions.mark_paid)."""
    if not access.may_handle_orders(request.user):
        return forbidden(request)
    order = order_of(request, number)
    detail = reverse("orders-admin:detail", args=[number])
    if request.method == "POST":
        amount = actions.mark_paid(order, request.user)
        if amount:
            messages.success(request, _("Payment recorded for order %(number)s.") % {"number": number})
        else:
            messages.info(request, _("Nothing left for you to mark paid in order %(number)s.") % {"number": number})
        return redirect(safe_next(request, detail))
    lines, amount = facade.settlement(order, request.user)
    return render(
        request,
        "storefront/admin/order_confirm_paid.html",
        {
            "page_title": _("Confirm payment of order %(number)s") % {"number": number},
            "header_icon": "list-ul",
            "summary": orders.summarise(order),
            "settle_lines": lines,
            "amount": amount,
            "next": detail,
        },
    )
