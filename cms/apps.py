from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Receivers connect once the models are loaded, which is only so from ready() on.
        # OCOP_BASE_URL is written into Django's and Wagtail's Site after every migrate.
        from django.db.models.signals import post_migrate

        from cms import clusters, page_cache, register_cache, signals, site_cache  # noqa: F401
        from cms.models import ProductPage, SiteSettings
        from cms.sites import apply_configured_base_url

        post_migrate.connect(apply_configured_base_url, sender=self, dispatch_uid="cms-site-host")
        # Page objects find their model's child relations listed once (cms/clusters.py).
        clusters.install()
        # The request's Wagtail Site with its settings, and whether any page is restricted, are
        # read from the cache (cms/site_cache.py): dropped on change.
        site_cache.connect(SiteSettings)
        # Figures of the whole register (the home page's counts) are cached until it changes.
        register_cache.connect(ProductPage)
        # Whole public pages are cached for anonymous visitors until anything they show changes.
        page_cache.connect()
        # An upgrade (it runs migrate) may change any page: nothing cached before is read again.
        post_migrate.connect(page_cache.new_release, sender=self, dispatch_uid="cms-caches-new-release")
