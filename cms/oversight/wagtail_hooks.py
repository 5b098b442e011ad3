"""Oversight in Wagtail's admin."""

from django.urls import include, path
from wagtail import hooks

# --- H4: the periodic reports' downloads (cms/oversight/report_views.py) -------------------
# The dashboard's hook includes the same cms.oversight.urls under chi-tieu/; at merge keep
# one of the two hooks (they register the same URLs).


@hooks.register("register_admin_urls")
def oversight_report_urls():
    return [path("chi-tieu/", include("cms.oversight.urls", namespace="oversight"))]


# --- end H4 ---------------------------------------------------------------------------------
