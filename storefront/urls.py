"""URL layout: Oscar's shop under /shop/, Wagtail's admin under /admin/, Wagtail pages everywhere else.

What people read exists in two languages: Vietnamese unprefixed (the default), English under
/en/ (i18n_patterns). Machine and staff endpoints (webhooks, JSON APIs, the admins,
documents, media) have one URL whatever the language.
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from cms.evaluation import urls as evaluation_urls
from cms.oversight import public_urls as oversight_public_urls
from search import views as search_views
from storefront import customer_orders, feeds, health

urlpatterns = [
    # set_language (Oscar's own language form posts there) redirects to the `next` page's
    # URL in the chosen language; the cookie it sets changes nothing, the URL decides.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Before shop/: Oscar's URLs would otherwise be tried first.
    path("shop/stripe/", include("storefront.stripe_payment.urls")),
    path("api/search/", search_views.SearchApiView.as_view(), name="api-search"),
    path("api/suggest/", search_views.SuggestApiView.as_view(), name="api-suggest"),
]

# --- Search engines (cms/seo.py): sitemap and robots.txt, outside any language prefix. ---
urlpatterns += [
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots-txt"),
    path("favicon.ico", cms_views.favicon_ico, name="favicon-ico"),
]
# --- end search engines ---

# --- open data (issue 13): the register of certificates as CSV and JSON ---
urlpatterns += oversight_public_urls.open_data_urlpatterns
# --- end open data ---
# --- product feeds for marketplaces and ads (issue 13): one URL, Vietnamese texts ---
urlpatterns += [
    path("feeds/google-merchant.xml", feeds.google_merchant, name="feed-google-merchant"),
    path("feeds/meta-catalog.csv", feeds.meta_catalog, name="feed-meta-catalog"),
]
# --- end product feeds ---

# --- production (issue 10): health check; the Django admin only when configured ---
urlpatterns += [path("healthz", health.healthz, name="healthz")]
if settings.OCOP_DJANGO_ADMIN:
    # Off by default: everything staff need is in Wagtail's admin and Oscar's dashboard.
    urlpatterns.insert(1, path("django-admin/", admin.site.urls))
# --- end production ---

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("shop/", include("storefront.producer.urls")),
    # Oscar's catalogue and shop root → the OCOP list and pages; logout by POST (shop_urls.py).
    path("shop/", include("storefront.shop_urls")),
    path(
        "shop/accounts/orders/<str:order_number>/cancel/",
        customer_orders.OrderCancelView.as_view(),
        name="customer-order-cancel",
    ),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    # The site search (before Wagtail's catch-all); Oscar's /shop/search/ stays as it is.
    path("search/", search_views.SearchView.as_view(), name="search-results"),
    # A round's published results (cms/evaluation).
    path("", include((evaluation_urls.public_urlpatterns, "evaluation-public"))),
    # The public statistics page (cms/oversight/public.py).
    path("", include(oversight_public_urls.urlpatterns)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
