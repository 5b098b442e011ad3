"""Oversight in Wagtail's admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.lifecycle import access

# --- the officials' dashboard and report downloads (cms/oversight/views.py, report_views.py) ---


@hooks.register("register_admin_urls")
def oversight_urls():
    return [path("chi-tieu/", include("cms.oversight.urls", namespace="oversight"))]


class TargetsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_official(request.user)


@hooks.register("register_admin_menu_item")
def targets_menu_item():
    # After the lifecycle's reminders (201) and inspections (202).
    return TargetsMenuItem(_("OCOP targets"), reverse("oversight:dashboard"), icon_name="table", order=203)
