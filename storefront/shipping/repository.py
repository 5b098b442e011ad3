"""The shipping methods offered at checkout (see methods.py for their prices)."""

from oscar.apps.shipping import repository

from storefront.shipping.methods import FlatRateByWeight


class Repository(repository.Repository):
    methods = (FlatRateByWeight(),)
