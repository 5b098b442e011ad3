"""Checkout forms: a Vietnamese shipping address and the choice of payment method.

The address rules (province, its commune or ward, a Vietnamese phone number) live with the
address book's form in storefront/address/forms.py, so both check an address alike.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms

from storefront.address.forms import PlaceChoiceField, VietnameseAddressMixin, vietnamese_phone_number  # noqa: F401
from storefront.payment import facade


class ShippingAddressForm(VietnameseAddressMixin, oscar_forms.ShippingAddressForm):
    """Oscar's form with Việt Nam's address parts (storefront/address/forms.py)."""


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = facade.available_methods()
        self.fields["method"].error_messages["required"] = _("Choose how you will pay.")
