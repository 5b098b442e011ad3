from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "cms.lifecycle"
    label = "lifecycle"
    verbose_name = _("OCOP certificate lifecycle")
    default_auto_field = "django.db.models.BigAutoField"
