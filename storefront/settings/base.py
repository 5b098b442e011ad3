"""Settings shared by every environment.

dev.py, test.py and production.py import from here and change only what differs.
"""

import os
from pathlib import Path

from django.urls import reverse_lazy
from oscar.defaults import *  # noqa: F401,F403  (Oscar's OSCAR_* defaults)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    # Our apps first so their templates and translations win.
    "catalog.apps.CatalogConfig",
    "cms.apps.CmsConfig",
    "cms.evaluation.apps.EvaluationConfig",
    "cms.lifecycle.apps.LifecycleConfig",
    "cms.oversight.apps.OversightConfig",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Every change to a certificate and a producer's facts, dated (catalog/history.py)
    "simple_history",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Oscar, with our forks listed by AppConfig path
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "storefront.checkout.apps.CheckoutConfig",
    "storefront.address.apps.AddressConfig",
    "storefront.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "storefront.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "storefront.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "storefront.stripe_payment.apps.StripePaymentConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    # Background work (storefront/tasks.py): the task queue and its scheduler.
    "django_q",
    "storefront.apps.StorefrontConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "storefront.middleware.LanguageFromPathMiddleware",
    # NUL bytes and broken UTF-8 answered 400 before any view (issue 10).
    "storefront.middleware.RejectMalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Public pages for anonymous visitors from the shared cache (cms/page_cache.py).
    "storefront.middleware.PageCacheMiddleware",
    # The request's Wagtail Site from the cache, not a query per request (cms/site_cache.py).
    "storefront.middleware.CachedSiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made a change, for the register's history (catalog/history.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Oscar's, with SameSite=Lax on the basket cookie.
    "storefront.middleware.BasketCookieMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # --- production (issue 10): Content-Security-Policy (storefront/csp.py) ---
    "storefront.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "ocop" / "templates"],
        "OPTIONS": {
            # Django's cached loader (its default), one copy per language with the fixed
            # `{% translate %}` texts translated and `{% static %}` URLs filled in once
            # (cms/template_loader.py).
            "loaders": [
                (
                    "cms.template_loader.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "storefront.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite, the embedded default, under concurrent writers (two checkouts, an admin edit, the
# task worker): WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
# transaction begins, so a transaction never has to upgrade a read lock (which fails at once
# with "database is locked" whatever the timeout); a writer waits up to `timeout` seconds for
# the lock. synchronous=NORMAL is WAL's safe setting (a power cut may lose the last commits,
# never corrupt the file).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }
}

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_USER_LOGIN_FORM = "cms.admin_login.LoginForm"  # the password field labelled in Vietnamese

SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "themes" / "ocop" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# URL names, reversed per request: an English visitor stays under /en/.
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "customer:summary"

# Wagtail
WAGTAIL_SITE_NAME = "OCOP Lâm Đồng – Gia Lai"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "csv", "txt"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Page URLs are ASCII (đ→d, no diacritics): the page form transliterates the slug
# (cms/forms.py). Unicode stays allowed here because with it off, the admin's slug autofill
# drops Vietnamese vowels ("đợt" → "djt") before the server could transliterate them.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# No Gravatar: the admin would load every avatar from gravatar.com, which the servers may not
# reach (broken images); Wagtail shows its default avatar or an uploaded one instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Oscar: the shop lives under /shop/, Wagtail serves the rest of the site.
OSCAR_SHOP_NAME = "OCOP"
OSCAR_DEFAULT_CURRENCY = "VND"
# "Home" on the shop's pages (breadcrumbs, logout) is the site's home in the active language;
# Oscar's own catalogue redirects to the OCOP product list (storefront/shop_urls.py).
OSCAR_HOMEPAGE = reverse_lazy("wagtail_serve", args=[""])
OSCAR_FROM_EMAIL = "no-reply@ocop.example.vn"
OSCAR_THUMBNAILER = "storefront.thumbnails.OriginalImage"
# Oscar's product search until the search issue replaces it: Haystack's database backend.
# Vietnamese addresses: full name, street, commune/ward (line4) and province (state), and a
# phone number the courier can call. Postcodes are hardly used; the country is always VN.
# Phone numbers are stored as E.164 (+84905123456) and shown as Vietnamese write them
# (0905 123 456); a number typed without +84 is read as Vietnamese.
PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "state", "phone_number")
# Orders and their lines move pending → processing → shipped → delivered, or are cancelled.
# Payment is tracked apart from this (storefront/payment/facade.py): COD orders are paid on
# delivery, VietQR orders when the transfer is seen.
OSCAR_INITIAL_ORDER_STATUS = "pending"
OSCAR_INITIAL_LINE_STATUS = "pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "pending": ("processing", "cancelled"),
    "processing": ("shipped", "cancelled"),
    "shipped": ("delivered",),
    "delivered": (),
    "cancelled": (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {
    "processing": "processing",
    "shipped": "shipped",
    "delivered": "delivered",
    "cancelled": "cancelled",
}
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

EMAIL_SUBJECT_PREFIX = "[OCOP] "
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

# Our own settings.
# Search backend (see search/conf.py): the database by default; production may choose the
# engine from the environment (storefront/settings/production.py).
OCOP_SEARCH = {"BACKEND": "search.backends.database.DatabaseBackend"}
OCOP_CERTIFICATE_VALIDITY_MONTHS = 36
OCOP_CERTIFICATE_EXPIRING_DAYS = 30
OCOP_MIN_CERTIFIED_STARS = 3
# How long a public page stays in the page cache at most (cms/page_cache.py: any change to what
# it shows drops it sooner); 0 turns the page cache off.
OCOP_PAGE_CACHE_SECONDS = int(os.environ.get("OCOP_PAGE_CACHE_SECONDS", "600"))
# The rows every page reads (sites, site settings, whether any page is restricted) and the
# register's figures, kept in the shared cache (cms/site_cache.py, cms/register_cache.py);
# OCOP_DATA_CACHE=0 reads them from the database on every request (what a page costs with no
# cache at all: bench/vs_bakerydemo.py's uncached figures).
OCOP_DATA_CACHE = os.environ.get("OCOP_DATA_CACHE", "1") != "0"
# Bank transfer by VietQR: the account orders are paid into. dev.py and test.py set demo
# values; production.py reads them from the environment.
# Delivery (storefront/shipping/methods.py), whole đồng, VAT included: one parcel per
# producer, priced by its zone (same province as the producer, same region, another region)
# and weight: the first kilogram, then each further started kilogram.
OCOP_SHIPPING_RATES = {
    "province": {"first_kg": 20000, "per_kg": 3000},
    "region": {"first_kg": 30000, "per_kg": 5000},
    "country": {"first_kg": 40000, "per_kg": 8000},
}
# The delivery regions, by current province code (catalog/places.py).
OCOP_SHIPPING_REGIONS = {
    "north": ("01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37"),
    "central": ("38", "40", "42", "44", "46", "48", "51", "52", "56", "66", "68"),
    "south": ("75", "79", "80", "82", "86", "91", "92", "96"),
}
OCOP_SHIPPING_DEFAULT_WEIGHT_G = 500
OCOP_FREE_SHIPPING_THRESHOLD = 500000
OCOP_VIETQR_ENABLED = True
OCOP_VIETQR_BANK_BIN = ""
OCOP_VIETQR_ACCOUNT = ""
OCOP_VIETQR_ACCOUNT_NAME = ""

# Stripe card payments (storefront/stripe_payment), for international buyers. Without the
# three keys the method is hidden and a warning says which are missing.
OCOP_STRIPE_SECRET_KEY = os.environ.get("OCOP_STRIPE_SECRET_KEY", "")
OCOP_STRIPE_PUBLISHABLE_KEY = os.environ.get("OCOP_STRIPE_PUBLISHABLE_KEY", "")
OCOP_STRIPE_WEBHOOK_SECRET = os.environ.get("OCOP_STRIPE_WEBHOOK_SECRET", "")
# Empty means api.stripe.com; the tests point it at localstripe. Never set in production.
OCOP_STRIPE_API_BASE = ""
# Stripe.js, loaded by the card payment page; the tests point it at localstripe's copy.
OCOP_STRIPE_JS_URL = "https://js.stripe.com/v3/"
# callable(order_number, intent) run once when a payment succeeds (see stripe_payment/hooks.py):
# places the order of a customer who paid and closed the tab, records the payment.
OCOP_STRIPE_ON_PAID = "storefront.checkout.stripe_orders.place_order_for_intent"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "catalog": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "cms": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "search": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Propagates to the root's console handler (and so to pytest's caplog).
        "storefront.stripe_payment": {"level": "INFO"},
    },
}

# Sales-point map (Leaflet, served from our static files). Tiles come from OpenStreetMap in
# production; an empty URL leaves the map out and the list (which holds everything) stands alone.
OCOP_MAP_TILE_URL = os.environ.get("OCOP_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
OCOP_MAP_TILE_ATTRIBUTION = os.environ.get(
    "OCOP_MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# --- production (issue 10): safe defaults, the site's address, Content-Security-Policy ---
# True only in storefront.settings.production: load_demo_data refuses to run there.
OCOP_PRODUCTION = False
# The site's public address (scheme://host[:port]); sets Django's Site and Wagtail's Site
# (cms/sites.py) on migrate and with `manage.py set_site_host`. Empty: left as they are.
OCOP_BASE_URL = os.environ.get("OCOP_BASE_URL", "")
# /django-admin/ is mounted only when this is on (storefront/urls.py).
# Files that are never served to the public (dossiers and other uploads kept for officials):
# outside MEDIA_ROOT, backed up with it (README "Production").
OCOP_PRIVATE_ROOT = Path(os.environ.get("OCOP_PRIVATE_ROOT", BASE_DIR / "private"))
OCOP_DJANGO_ADMIN = os.environ.get("OCOP_DJANGO_ADMIN", "0") == "1"
# Enforced on the public site, report-only in the admins (storefront/csp.py adds the map
# tiles' and Stripe's origins). No nonce: a cached page stays valid, so the theme has no
# inline script or style; JSON-LD blocks are data (type="application/ld+json"), not scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Paths whose pages Wagtail and Oscar's dashboard render with inline scripts and styles:
# the policy is only reported there, never enforced.
OCOP_CSP_REPORT_ONLY_PREFIXES = ("/admin/", "/django-admin/", "/shop/dashboard/", "/en/shop/dashboard/")
# --- end production (issue 10) ---

# --- Background work (storefront/tasks.py) --------------------------------------------------
# django-q2 with its ORM broker: the queue is a table of this project's database (SQLite by
# default, PostgreSQL in production), so nothing else runs beside the site but `manage.py
# qcluster`, which holds the workers and the scheduler (schedules editable in the Django admin).
# A task a worker took but never finished (crash, kill) is handed out again `retry` seconds
# later; a task that raises is recorded as a failure and retried until `max_attempts`.
# `timeout` must stay below `retry`, or a slow task would be handed out twice.
Q_CLUSTER = {
    "name": "ocop",
    "orm": "default",
    "workers": 2,
    "timeout": 600,
    "retry": 900,
    "max_attempts": 5,
    "poll": 1,
    # A missed daily run (worker stopped overnight) runs once when the worker is back, not once
    # per missed day.
    "catch_up": False,
    # Kept results, counted per task function, so the heartbeat never pushes out the rest.
    "save_limit": 200,
    "save_limit_per": "func",
    "label": "Tác vụ nền / Background tasks",
}
# The worker's heartbeat (storefront.tasks.worker_status): older than this, the worker is "stale".
OCOP_WORKER_STALE_AFTER_SECONDS = 180

# --- Login throttling (issue 10): django-axes on every login form ---
# The shop's, Wagtail's and Django's admin logins all go through authenticate(), which axes'
# backend guards: after AXES_FAILURE_LIMIT wrong passwords for one account from one address,
# that pair is refused (HTTP 429, themes/ocop/templates/ocop/lockout.html) until the cool-off
# has passed, even with the right password. Attempts are rows in the database, so a test's
# failures are rolled back with it; force_login() does not go through authenticate().
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Per account and address: a guesser cannot lock a customer out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "storefront.throttling.username_of"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ocop/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# --- end login throttling ---

# --- Reviews off (issue 10) ---
# Oscar's product reviews took anonymous, unmoderated posts and answered 500 on a bad score;
# nothing on the site uses them. Hiding the feature removes their URLs and every link to them.
OSCAR_HIDDEN_FEATURES = ["reviews"]
# --- end reviews off ---

# --- Images decoded in full before they are accepted (issue 10, cms/images.py) ---
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"
# --- end images ---

# --- Evaluation dossiers (issue 11) ---
# Evidence files are private (OCOP_PRIVATE_ROOT/dossiers, no URL): PDF, JPEG, PNG only.
OCOP_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
OCOP_EVIDENCE_MAX_FILES = 60
# --- end evaluation ---

# --- Certificate lifecycle (issue 12) ---
# The daily re-evaluation reminders (cms/lifecycle/reminders.py) mail a lapsed certificate
# only within this many days of its expiry, and copy the office's mails to this address too.
OCOP_LAPSE_NOTICE_DAYS = 30
OCOP_OFFICE_EMAIL = os.environ.get("OCOP_OFFICE_EMAIL", "")
# --- end lifecycle ---
