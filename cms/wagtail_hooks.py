from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import AnnouncementCategory


class AnnouncementCategorySnippetViewSet(SnippetViewSet):
    model = AnnouncementCategory
    icon = "tag"
    menu_label = _("Announcement categories")
    list_display = ["name", "slug"]


register_snippet(AnnouncementCategorySnippetViewSet)
