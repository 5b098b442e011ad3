"""Who may see and change which orders and order lines.

- Officials (cms.roles.OFFICIALS) and superusers: every order.
- A producer's accounts (members of producer.group): the lines sold by its partner, and the
  orders holding such lines, nothing else.
- Customers: their own orders, which Oscar's account views already scope to request.user.
"""

from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_model

from cms import roles

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")


def is_staff_for_orders(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=roles.OFFICIALS).exists()


def partner_ids_of(user):
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    return list(Partner.objects.filter(producer__group__user=user).values_list("pk", flat=True))


def lines_for(user):
    """Order lines the user may see and update."""
    if is_staff_for_orders(user):
        return Line.objects.all()
    return Line.objects.filter(partner_id__in=partner_ids_of(user))


def orders_for(user):
    """Orders the user may see as staff or as a producer (not as a customer)."""
    if is_staff_for_orders(user):
        return Order.objects.all()
    return Order.objects.filter(lines__partner_id__in=partner_ids_of(user)).distinct()


def may_handle_orders(user):
    """Officials, superusers and producers' accounts: the back office's order pages."""
    return is_staff_for_orders(user) or bool(partner_ids_of(user))
