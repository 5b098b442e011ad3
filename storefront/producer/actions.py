"""What a producer or an official does with an order: move it or one of its lines along the
pipeline, and record a payment. Every status change of an order goes through `set_status`.

`set_status(order, code, user)` is the one function that changes an order's status (the back
office's buttons, the roll-up of a producer's lines, a customer's cancellation): it moves the
order with Oscar's `Order.set_status` (pipeline checked, lines cascaded, an OrderStatusChange
recorded, `order_status_changed` sent, which is what e-mails the customer), makes the stock
follow the lines, and leaves an order note naming who did it.

Stock follows the line (see storefront/checkout/placement.py for the whole picture): shipping
a line consumes its allocation (the goods left the producer's hands, num_in_stock falls
with it); cancelling it releases the allocation. The page's stock, the producer's on-hand
count, is the producer's to update; its next publication writes it to num_in_stock again.
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from catalog.money import format_vnd
from storefront import access, statuses
from storefront.payment import facade

Line = get_model("order", "Line")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
StockRecord = get_model("partner", "StockRecord")


def add_note(order, user, message):
    """An order note (shown on the order in the back office) naming who did what."""
    return OrderNote.objects.create(
        order=order, user=user if user and user.is_authenticated else None, note_type=OrderNote.SYSTEM, message=message
    )


def _follow_stock(line, old_status):
    """The line moved from old_status to line.status: its stock record follows."""
    new_status = line.status
    if new_status == old_status or not line.stockrecord_id:
        return
    if not (line.product and line.product.get_product_class().track_stock):
        return
    record = StockRecord.objects.select_for_update().filter(pk=line.stockrecord_id).first()
    if record is None:
        return
    if new_status == "shipped":
        if record.is_allocation_consumption_possible(line.quantity):
            record.consume_allocation(line.quantity)
    elif new_status == "cancelled":
        record.cancel_allocation(line.quantity)


def _status_note(order, user, old_status, new_status):
    # Notes are stored once, in the site's language (the back office is Vietnamese first).
    with translation.override("vi"):
        add_note(
            order,
            user,
            _("Status changed from “%(old)s” to “%(new)s”.")
            % {"old": statuses.label(old_status), "new": statuses.label(new_status)},
        )


@transaction.atomic
def set_status(order, code, user):
    """Move the whole order (and its lines, by OSCAR_ORDER_STATUS_CASCADE) to `code`.

    Raises InvalidOrderStatus when the pipeline does not allow it. Hooks: Oscar's
    `order_status_changed` signal (sender=order, order, old_status, new_status) is sent once
    the order is saved.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    old_status = order.status
    before = {line.pk: line.status for line in order.lines.all()}
    order.set_status(code)
    if order.status == old_status:
        return order
    for line in order.lines.select_related("product__product_class", "product__parent__product_class"):
        _follow_stock(line, before[line.pk])
    _status_note(order, user, old_status, order.status)
    return order


@transaction.atomic
def change_line_status(user, line_pk, new_status):
    """Move the line to new_status; raises Line.DoesNotExist when it is not the user's and
    InvalidLineStatus when the pipeline does not allow it."""
    line = access.lines_for(user).select_for_update().get(pk=line_pk)
    old_status = line.status
    line.set_status(new_status)
    _follow_stock(line, old_status)
    with translation.override("vi"):
        add_note(
            line.order,
            user,
            _("Line %(title)s: status changed from “%(old)s” to “%(new)s”.")
            % {"title": line.title, "old": statuses.label(old_status), "new": statuses.label(line.status)},
        )
    roll_up_order_status(line.order_id, user)
    return line


def roll_up_order_status(order_id, user=None):
    """When every line of the order has reached the same status, so has the order.

    Lines belong to different producers and move separately; the order's own status (what
    the customer sees) follows the slowest of them instead of being set by any one producer.
    The lines have been through the pipeline one by one, so the order may skip steps here
    (pending → shipped); it still records the change and sends `order_status_changed`.
    """
    statuses_ = set(Line.objects.filter(order_id=order_id).values_list("status", flat=True))
    if len(statuses_) != 1:
        return
    new_status = statuses_.pop()
    order = Order.objects.select_for_update().get(pk=order_id)
    old_status = order.status
    if old_status == new_status:
        return
    order.status = new_status
    order.save(update_fields=["status"])
    order._create_order_status_change(old_status, new_status)
    _status_note(order, user, old_status, new_status)
    order_status_changed.send(sender=order, order=order, old_status=old_status, new_status=new_status)


@transaction.atomic
def mark_paid(order, user):
    """Record the payment of what `user` may settle in the order (facade.mark_paid), with an
    order note naming who confirmed it; returns the amount recorded (0: nothing left)."""
    amount = facade.mark_paid(order, user)
    if amount:
        with translation.override("vi"):
            add_note(
                order,
                user,
                _("%(user)s confirmed receiving %(amount)s.")
                % {"amount": format_vnd(amount), "user": user.get_full_name() or user.get_username()},
            )
    return amount
