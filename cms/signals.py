"""Keep producers' access in step with their pages, and the shop in step with product pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.models import ProducerIndexPage, ProducerPage, ProductPage


@receiver(post_save, sender=ProducerPage)
def producer_page_saved(sender, instance, **kwargs):
    from cms.roles import grant_producer_access

    grant_producer_access(instance)


@receiver(post_save, sender=ProducerIndexPage)
def producer_index_saved(sender, instance, created, **kwargs):
    if created:
        from cms.roles import assign_moderation

        assign_moderation()


@receiver(page_published, sender=ProductPage)
def product_page_published(sender, instance, **kwargs):
    from catalog.shop import sync_product

    sync_product(instance)


@receiver(page_unpublished, sender=ProductPage)
def product_page_unpublished(sender, instance, **kwargs):
    from catalog.shop import withdraw_product

    withdraw_product(instance)


@receiver(post_delete, sender=ProductPage)
def product_page_deleted(sender, instance, **kwargs):
    # Also reached when a producer page is deleted with its products (a cascade).
    from catalog.shop import withdraw_product

    withdraw_product(instance)


@receiver(post_page_move, sender=ProductPage)
def product_page_moved(sender, instance, **kwargs):
    # Under another producer the page is sold by that producer's partner.
    from catalog.shop import sync_product

    page = ProductPage.objects.get(pk=instance.pk)
    if page.live:
        sync_product(page)
