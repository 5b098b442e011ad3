from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import AnnouncementCategory
from cms.sales_channels import SalesViewSetGroup


class AnnouncementCategorySnippetViewSet(SnippetViewSet):
    model = AnnouncementCategory
    icon = "tag"
    menu_label = _("Announcement categories")
    list_display = ["name", "slug"]


register_snippet(AnnouncementCategorySnippetViewSet)


@hooks.register("register_admin_viewset")
def register_sales_channels():
    """Producers' marketplace listings and sales channels (cms/sales_channels.py)."""
    return SalesViewSetGroup()
