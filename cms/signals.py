"""Keep producers' access in step with their pages."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.models import ProducerIndexPage, ProducerPage


@receiver(post_save, sender=ProducerPage)
def producer_page_saved(sender, instance, **kwargs):
    from cms.roles import grant_producer_access

    grant_producer_access(instance)


@receiver(post_save, sender=ProducerIndexPage)
def producer_index_saved(sender, instance, created, **kwargs):
    if created:
        from cms.roles import assign_moderation

        assign_moderation()
