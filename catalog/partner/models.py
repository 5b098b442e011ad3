from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    """Oscar's stock record, plus the stock figure of the page it was last synced from.

    num_in_stock falls when orders ship (storefront/producer/actions.py) while the page's
    figure stays put until the producer counts again; catalog/shop.py writes the page's
    figure only when it differs from `page_stock`, so republishing cannot undo sales.
    """

    page_stock = models.PositiveIntegerField(
        _("stock on the page at the last sync"), null=True, blank=True, editable=False
    )


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
