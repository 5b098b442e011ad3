"""Figures computed from the whole register, kept in the shared cache until it changes.

The home page's counts of certified products (cms/stats.py) read one row per certified product
page: time that grows with the catalogue on every request for figures that change a few times a
day. They are cached under a key made of

- a *generation*, a random token in the cache that is replaced on every change that can move a
  figure (a certificate saved or deleted, a register product, producer, product group or
  district saved or deleted, a product page published, unpublished, moved or deleted): at once,
  so the changing process reads its own change, and again once the change's transaction has
  committed, so what another process computed meanwhile from the old rows is stored under a
  token no one reads again;
- the day (a certificate lapses at midnight without any change to a row) and the rule's minimum
  stars.

The default cache is shared by every process of the site in production
(storefront/settings/production.py), so a change made in one is seen by all. A cache that fails
is read around (cms/site_cache.py's cache_get and cache_set): the figures are computed.
"""

import uuid

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished, post_page_move

from catalog import rules
from catalog.models import Certificate, District, Producer, Product, ProductGroup
from cms.site_cache import cache_get, cache_set

GENERATION_KEY = "ocop:register-generation"
TIMEOUT = 25 * 60 * 60  # the day is in the key: a day's entries are not read again the next


def generation():
    """The current token; None when the cache fails (nothing is then read from it)."""
    token = cache_get(GENERATION_KEY)
    if token is None:
        cache_set(GENERATION_KEY, uuid.uuid4().hex)
        token = cache_get(GENERATION_KEY)
    return token


def renew():
    cache_set(GENERATION_KEY, uuid.uuid4().hex)


def register_changed(**kwargs):
    """Receiver: every cached figure is stale, now and once the change's transaction commits."""
    renew()
    transaction.on_commit(renew)


def cached(name, compute):
    """`compute()`, from the cache while the register has not changed since and it is the same day."""
    token = generation()
    if token is None:
        return compute()
    key = f"ocop:register:{name}:{token}:{timezone.localdate().isoformat()}:{rules.min_certified_stars()}"
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, TIMEOUT)
    return value


def connect(product_page_model):
    """Connect the receivers (cms.apps; the product page model is passed in: cms.models imports this)."""
    for model in (Certificate, Product, Producer, ProductGroup, District):
        uid = f"register-cache-{model.__name__}"
        post_save.connect(register_changed, sender=model, dispatch_uid=uid + "-saved")
        post_delete.connect(register_changed, sender=model, dispatch_uid=uid + "-deleted")
    for signal, what in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
        (post_delete, "deleted"),
    ):
        signal.connect(register_changed, sender=product_page_model, dispatch_uid=f"register-cache-page-{what}")
