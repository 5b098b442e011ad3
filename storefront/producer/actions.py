"""What a producer (or an official) does with an order line: move it along its pipeline.

Stock follows the line (see storefront/checkout/placement.py for the whole picture): shipping
a line consumes its allocation (the goods left the producer's hands, num_in_stock falls
with it); cancelling it releases the allocation. The page's stock, the producer's on-hand
count, is the producer's to update; its next publication writes it to num_in_stock again.
"""

from django.db import transaction
from oscar.core.loading import get_model

from storefront import orders
from storefront.access import lines_for

Line = get_model("order", "Line")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@transaction.atomic
def change_line_status(user, line_pk, new_status):
    """Move the line to new_status; raises Line.DoesNotExist when it is not the user's and
    InvalidLineStatus when the pipeline does not allow it."""
    line = lines_for(user).select_for_update().get(pk=line_pk)
    old_status = line.status
    line.set_status(new_status)
    record = (
        StockRecord.objects.select_for_update().filter(pk=line.stockrecord_id).first() if line.stockrecord_id else None
    )
    if record is not None and line.product and line.product.get_product_class().track_stock:
        if new_status == "shipped" and old_status != "shipped":
            if record.is_allocation_consumption_possible(line.quantity):
                record.consume_allocation(line.quantity)
        elif new_status == "cancelled":
            record.cancel_allocation(line.quantity)
    roll_up_order_status(line.order_id)
    return line


def roll_up_order_status(order_id):
    """When every line of the order has reached the same status, so has the order.

    Lines belong to different producers and move separately; the order's own status (what
    the customer sees) follows the slowest of them instead of being set by any one producer.
    """
    statuses = set(Line.objects.filter(order_id=order_id).values_list("status", flat=True))
    if len(statuses) == 1:
        order = Order.objects.get(pk=order_id)
        old_status, new_status = order.status, statuses.pop()
        if old_status != new_status:
            Order.objects.filter(pk=order_id).update(status=new_status)
            order.status = new_status
            orders.status_rolled_up(order, old_status, new_status)
