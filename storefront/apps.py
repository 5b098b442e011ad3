"""The project's own app: background tasks (storefront/tasks.py) and their schedules."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = "OCOP"

    def ready(self):
        # After every migrate, once django-q2's tables exist: the periodic jobs are registered
        # (idempotently; a schedule an official edited in the admin is left as it is).
        from django.apps import apps

        from storefront import orders, tasks  # noqa: F401  (orders: the status-change receiver)

        post_migrate.connect(
            tasks.ensure_schedules_after_migrate,
            sender=apps.get_app_config("django_q"),
            dispatch_uid="storefront.tasks.ensure_schedules",
        )
