"""The address book's form (Oscar's address app, forked for it) and the Vietnamese address
rules it shares with the checkout.

The address names a current province (Oscar's `state`) and one of its communes or wards
(`line4`), both chosen from the register (catalog/places.py) and kept by name, so the
address prints as "…, Phường Xuân Hương - Đà Lạt, Lâm Đồng, Việt Nam" on order pages and
e-mails. The commune list is grouped by province (works without JavaScript; ocop/address.js
narrows it to the chosen province); the server checks the pair.
"""

import unicodedata

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from catalog import places

Country = get_model("address", "Country")
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


class PlaceChoiceField(forms.ChoiceField):
    """A choice among place names; the submitted value is compared in NFC."""

    def to_python(self, value):
        return places.normalise(super().to_python(value))


class VietnameseAddressMixin:
    """Việt Nam's address parts for an Oscar address form: street, commune or ward (from the
    register), province, and a Vietnamese phone number. The checkout's shipping address and
    the address book share it, so an address saved in one passes the other."""

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
        self.fields["state"] = PlaceChoiceField(
            label=_("Province or city"),
            choices=[("", _("– Choose a province or city –")), *places.province_choices()],
            error_messages={
                "required": _("Choose a province or city."),
                "invalid_choice": _("Choose a province or city from the list."),
            },
        )
        self.fields["line4"] = PlaceChoiceField(
            label=_("Commune or ward"),
            choices=[("", _("– Choose a commune or ward –")), *places.commune_choices()],
            error_messages={
                "required": _("Choose a commune or ward."),
                "invalid_choice": _("Choose a commune or ward from the list."),
            },
        )
        # The province comes before the commune: the commune list depends on it
        # (ocop/address.js narrows it). The address still prints street, commune, province.
        order = ["first_name", "last_name", "line1", "line2", "state", "line4", "phone_number", "notes"]
        self.order_fields(order)

    def clean(self):
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = unicodedata.normalize("NFC", value)
        province, commune = self.cleaned_data.get("state"), self.cleaned_data.get("line4")
        if province and commune and places.find_commune(province, commune) is None:
            self.add_error(
                "line4",
                _("“%(commune)s” is not in %(province)s: choose a commune or ward of that province.")
                % {"commune": commune, "province": province},
            )
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


class UserAddressForm(VietnameseAddressMixin, oscar_forms.UserAddressForm):
    """The address book: the checkout's rules; the country is Việt Nam, not a choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country._default_manager.filter(is_shipping_country=True)
        if len(countries) == 1:
            self.fields.pop("country", None)
            self.instance.country = countries[0]
        elif "country" in self.fields:
            self.fields["country"].queryset = countries
            self.fields["country"].empty_label = None
