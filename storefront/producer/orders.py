"""What the back office shows of an order, read once for the producers' page and the admin's
order views: the orders a user may handle (storefront.access), filtered, newest first, each
with the lines the user may see, its payment (method, state, transfer note), its totals with
shipping, the customer's contact and delivery note, and its notes.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from oscar.core.loading import get_model

from storefront import access, statuses
from storefront.payment import facade, vietqr

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")

STATUS_CHOICES = [(code, statuses.label(code)) for code in statuses.LABELS]


def method_choices():
    return [(code, name) for code, name in facade.METHOD_NAMES.items()]


def orders_for(user, status="", partner="", method=""):
    """The orders `user` may handle, newest first, with the lines they may see prefetched as
    `visible_lines`. Filters: a status code (a producer's filter is on its own lines), a
    partner id (officials), a payment method code. Unknown values filter nothing out."""
    lines = access.lines_for(user).select_related("partner", "product").order_by("pk")
    orders = access.orders_for(user)
    if status in statuses.LABELS:
        if access.is_staff_for_orders(user):
            orders = orders.filter(status=status)
        else:
            orders = orders.filter(pk__in=lines.filter(status=status).values("order_id"))
    if str(partner).isdigit():
        orders = orders.filter(pk__in=lines.filter(partner_id=int(partner)).values("order_id"))
    if method in facade.METHOD_NAMES:
        orders = orders.filter(sources__source_type__code=method)
    return (
        orders.select_related("shipping_address", "user", "shipping_address__country")
        .prefetch_related(
            Prefetch("lines", queryset=lines, to_attr="visible_lines"),
            "sources__source_type",
            Prefetch("notes", queryset=get_model("order", "OrderNote").objects.select_related("user")),
        )
        .order_by("-date_placed", "-pk")
    )


def partners_for(user):
    return Partner.objects.filter(pk__in=access.lines_for(user).values("partner_id")).order_by("name")


@dataclass
class Summary:
    """One order as the back office shows it."""

    order: object
    lines: list
    method: str = ""
    method_name: str = ""
    paid: bool = False
    transfer_note: str = ""
    phone: str = ""
    delivery_note: str = ""
    customer: str = ""
    email: str = ""
    notes: list = field(default_factory=list)
    source: object = None  # the payment source (prefetched with the order)
    settle_amount: object = None  # set by the views that offer "Mark paid"

    @property
    def status_label(self):
        return statuses.label(self.order.status)


def summarise(order, lines=None):
    source = next(iter(order.sources.all()), None)
    address = order.shipping_address
    phone = ""
    if address is not None and address.phone_number:
        number = address.phone_number
        phone = number.as_national if getattr(number, "is_valid", lambda: False)() else str(number)
    method = source.source_type.code if source else ""
    return Summary(
        order=order,
        lines=list(lines if lines is not None else getattr(order, "visible_lines", order.lines.all())),
        method=method,
        method_name=str(facade.METHOD_NAMES.get(method, source.source_type.name if source else "")),
        paid=facade.source_paid(source),
        source=source,
        transfer_note=vietqr.purpose_for(order.number) if method == facade.VIETQR else "",
        phone=phone,
        delivery_note=(address.notes or "") if address is not None else "",
        customer=(address.name if address is not None else "") or (order.user.get_full_name() if order.user else ""),
        email=order.email,
        notes=list(order.notes.all()),
    )
