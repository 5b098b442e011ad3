"""Checkout forms: a Vietnamese shipping address and the choice of payment method."""

import unicodedata

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from phonenumber_field.phonenumber import PhoneNumber

from storefront.payment import facade

VN = "VN"


def vietnamese_phone_number(value):
    """A valid Vietnamese number (mobile or landline), local or +84, as a PhoneNumber."""
    error = forms.ValidationError(
        _("Enter a valid Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678."), code="invalid"
    )
    try:
        number = PhoneNumber.from_string(value, region=VN)
    except phonenumbers.NumberParseException:
        raise error from None
    if not number.is_valid() or phonenumbers.region_code_for_number(number) != VN:
        raise error
    return number


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """Oscar's form with Việt Nam's address parts: street, commune or ward, province."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            # Oscar writes first_name + " " + last_name: family name first, as Vietnamese do.
            "first_name": _("Family and middle name"),
            "last_name": _("Given name"),
            "line1": _("House number and street"),
            "line2": _("Village or hamlet"),
            "line4": _("Commune or ward"),
            "state": _("Province or city"),
            "phone_number": _("Phone number"),
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
        for name in ("line3", "postcode"):
            self.fields.pop(name, None)

    def clean(self):
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = unicodedata.normalize("NFC", value)
        return super().clean()

    def clean_phone_number_field(self, field_name):
        value = (self.cleaned_data.get(field_name) or "").strip()
        if not value:
            return ""
        try:
            return vietnamese_phone_number(value)
        except forms.ValidationError as error:
            self.add_error(field_name, error)
            return value


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = facade.available_methods()
        self.fields["method"].error_messages["required"] = _("Choose how you will pay.")
