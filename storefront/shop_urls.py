"""Oscar's catalogue pages that lead nowhere, sent to the OCOP pages, and the customer's
logout.

The OCOP product list (cms.ProductIndexPage, /san-pham/) is the one list of products and the
OCOP product page the one page of a product: Oscar's shop root, catalogue, category pages
answer with a permanent redirect to the list, Oscar's product page with one to the OCOP page
its stock record names (404 when none is live). Mounted before Oscar's URLs (storefront/urls.py).

Logging out is a POST (Django 5); a GET shows the button, so a link or a crawler never logs
anyone out by following it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cms.models import ProductIndexPage
from storefront.partner import display

Product = get_model("catalogue", "Product")


def home_url():
    """The site's home page in the active language ("/" or "/en/")."""
    return reverse("wagtail_serve", args=[""])


def product_list(request, **kwargs):
    index = ProductIndexPage.objects.live().first()
    return HttpResponsePermanentRedirect(index.get_url(request) if index is not None else home_url())


def product_detail(request, pk, **kwargs):
    product = Product.objects.filter(pk=pk).first()
    url = display.product_page_url(product, request)
    if not url:
        raise Http404(_("This product is not on sale."))
    return HttpResponsePermanentRedirect(url)


class LogoutView(auth_views.LogoutView):
    """POST logs out, says so and lands on the home page; GET asks to confirm."""

    http_method_names = ["get", "post", "options"]
    template_name = "oscar/customer/logout.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(home_url())
        return self.render_to_response(self.get_context_data())

    def get_default_redirect_url(self):
        return home_url()

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("You have logged out. See you again soon!"))
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response


urlpatterns = [
    path("", product_list, name="shop-home"),
    path("catalogue/", product_list),
    re_path(r"^catalogue/category/(?P<category_slug>[\w-]+(/[\w-]+)*)_(?P<pk>\d+)/$", product_list),
    re_path(r"^catalogue/(?P<product_slug>[\w-]*)_(?P<pk>\d+)/$", product_detail),
    path("accounts/logout/", LogoutView.as_view(), name="shop-logout"),
]
