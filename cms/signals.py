"""Keep producers' access in step with their pages.

The shop's own receivers (a published product page onto its Oscar product) are the shop's:
storefront/partner/receivers.py.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cms import roles
from cms.models import ProducerIndexPage, ProducerPage


@receiver(post_save, sender=ProducerPage)
def producer_page_saved(sender, instance, **kwargs):
    roles.grant_producer_access(instance)


@receiver(post_save, sender=ProducerIndexPage)
def producer_index_saved(sender, instance, created, **kwargs):
    if created:
        roles.assign_moderation()
