"""The shop in Wagtail's admin: the orders (storefront/producer/admin_views.py), in the menu
for producers (their own orders) and officials (every order)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from storefront import access


@hooks.register("register_admin_urls")
def order_urls():
    return [path("don-hang/", include("storefront.producer.admin_urls", namespace="orders-admin"))]


class OrdersMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_handle_orders(request.user)


@hooks.register("register_admin_menu_item")
def orders_menu_item():
    return OrdersMenuItem(_("Orders"), reverse("orders-admin:list"), icon_name="list-ul", order=160)
