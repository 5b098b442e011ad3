"""Record every change that affects search (see search.outbox), in the change's transaction.

Next to cms/signals.py's shop sync: publish, unpublish, delete and move of product, producer
and announcement pages; certificate save and delete (stars); producer save (name, places);
register product save (group).
Price and stock are written by publishing the product page.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog.models import Certificate, Producer, Product
from cms.models import AnnouncementPage, ProducerPage, ProductPage
from search.outbox import record


def product_changed(sender, instance, **kwargs):
    record("product", [instance.pk])


def producer_page_changed(sender, instance, **kwargs):
    record("producer", [instance.pk])
    if kwargs.get("signal") is not post_delete:
        # Product URLs hang under the producer page's.
        record("product", ProductPage.objects.child_of(instance).values_list("pk", flat=True))


def announcement_changed(sender, instance, **kwargs):
    record("announcement", [instance.pk])


def record_register_product(product_id):
    """The register product's page, if it has one (a product under evaluation has none)."""
    record("product", ProductPage.objects.filter(register_product_id=product_id).values_list("pk", flat=True))


def certificate_changed(sender, instance, **kwargs):
    record_register_product(instance.product_id)


def register_product_changed(sender, instance, **kwargs):
    record_register_product(instance.pk)  # its group is the page's facet


def producer_saved(sender, instance, **kwargs):
    page = ProducerPage.objects.filter(producer=instance).first()
    if page is None:
        return
    record("producer", [page.pk])
    record("product", ProductPage.objects.child_of(page).values_list("pk", flat=True))


def connect():
    for model, receiver in (
        (ProductPage, product_changed),
        (ProducerPage, producer_page_changed),
        (AnnouncementPage, announcement_changed),
    ):
        uid = f"search-{model.__name__}"
        page_published.connect(receiver, sender=model, dispatch_uid=uid + "-published")
        page_unpublished.connect(receiver, sender=model, dispatch_uid=uid + "-unpublished")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-deleted")
        post_page_move.connect(receiver, sender=model, dispatch_uid=uid + "-moved")
    post_save.connect(certificate_changed, sender=Certificate, dispatch_uid="search-certificate-saved")
    post_delete.connect(certificate_changed, sender=Certificate, dispatch_uid="search-certificate-deleted")
    post_save.connect(producer_saved, sender=Producer, dispatch_uid="search-producer-saved")
    post_save.connect(register_product_changed, sender=Product, dispatch_uid="search-product-saved")
