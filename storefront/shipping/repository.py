"""The shipping methods offered at checkout (see methods.py for their prices)."""

from oscar.apps.shipping import repository

from storefront.shipping.methods import FlatRateByWeight


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        # A fresh method per call: its price depends on the address.
        return (FlatRateByWeight(shipping_addr),)
