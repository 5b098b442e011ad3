"""Oscar's partner models, forked to hold the shop's side of the links with the register and
the pages: a producer's partner (`Partner.producer`) and a product page's stock record
(`StockRecord.page`). The register and the pages know nothing of the shop; the shop knows
which producer each partner sells for and which page each stock record sells.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord


class Partner(AbstractPartner):
    """Oscar's partner, one per OCOP producer (created when the producer is saved)."""

    producer = models.OneToOneField(
        "catalog.Producer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="partner",
        verbose_name=_("producer"),
    )


class StockRecord(AbstractStockRecord):
    """Oscar's stock record of a published product page, and the page's stock at the last sync.

    num_in_stock falls when orders ship (storefront/producer/actions.py) while the page's
    figure stays put until the producer counts again; sync.py writes the page's figure only
    when it differs from `page_stock`, so republishing cannot undo sales.
    """

    page = models.OneToOneField(
        "cms.ProductPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="stockrecord",
        verbose_name=_("product page"),
    )
    page_stock = models.PositiveIntegerField(
        _("stock on the page at the last sync"), null=True, blank=True, editable=False
    )


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
