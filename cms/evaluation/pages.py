"""A register product certified without a web page gets a draft page under its producer's
page, owned by one of the producer's accounts: the producer fills it in and it is published
through the usual moderation (cms/roles.py)."""

from django.utils.text import slugify
from wagtail.coreutils import find_available_slug

from cms.models import ProducerPage, ProductPage


def ensure_draft_page(product):
    """The product's page: the existing one, a new draft, or None when its producer has no
    page to hang it under."""
    existing = ProductPage.objects.filter(register_product=product).first()
    if existing is not None:
        return existing
    parent = ProducerPage.objects.filter(producer=product.producer).first()
    if parent is None:
        return None
    group = product.producer.group
    owner = group.user_set.order_by("pk").first() if group else None
    slug = find_available_slug(parent, slugify(product.name) or f"san-pham-{product.pk}")
    page = ProductPage(title=product.name, slug=slug, register_product=product, live=False, owner=owner)
    parent.add_child(instance=page)
    page.save_revision(user=owner, log_action=False)
    return page
