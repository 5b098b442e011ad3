from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "cms.oversight"
    label = "oversight"
    verbose_name = _("OCOP plans and oversight")
    default_auto_field = "django.db.models.BigAutoField"
