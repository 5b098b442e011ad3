"""Keep the shop in step with the register and the pages: a partner for every producer, and
the Oscar product of every product page as it is published, unpublished, moved or deleted."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.models import Producer
from cms.models import ProductPage
from storefront.partner import sync


@receiver(post_save, sender=Producer)
def producer_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync.ensure_partner(instance)


@receiver(page_published, sender=ProductPage)
def product_page_published(sender, instance, **kwargs):
    sync.sync_product(instance)


@receiver(page_unpublished, sender=ProductPage)
def product_page_unpublished(sender, instance, **kwargs):
    sync.withdraw_product(instance)


@receiver(pre_delete, sender=ProductPage)
def product_page_deleted(sender, instance, **kwargs):
    # Before the row goes (its stock record's link is then cleared); also reached when a
    # producer page is deleted with its products (a cascade).
    sync.withdraw_product(instance)


@receiver(post_page_move, sender=ProductPage)
def product_page_moved(sender, instance, **kwargs):
    # Under another producer the page is sold by that producer's partner.
    page = ProductPage.objects.get(pk=instance.pk)
    if page.live:
        sync.sync_product(page)
