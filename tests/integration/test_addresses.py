"""Delivery addresses name a current province and one of its communes (catalog/places.py)."""

import csv
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from catalog import places
from catalog.models import Commune, Province
from storefront.checkout.forms import ShippingAddressForm
from tests.shop import ADDRESS, add, checkout

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "places"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_the_package_fills_all_current_places_once():
    first = places.load()
    assert Province.objects.count() == 34 and Commune.objects.count() == 3321
    assert first == {"provinces": 34, "communes": 3321}
    assert places.load() == {"provinces": 0, "communes": 0}
    assert Commune.objects.get(code="24611").province.name == "Lâm Đồng"  # Phường Bắc Gia Nghĩa


def test_the_command_shows_progress_and_keeps_existing_names(capsys):
    Province.objects.create(code="68", name="Lâm Đồng", slug="lam-dong")
    Commune.objects.create(code="24718", name="Xã Đắk Song", province=Province.objects.get(code="68"))
    call_command("load_places")
    out = capsys.readouterr().out
    assert "communes" in out and "3321/3321" in out and "created: 33 provinces, 3320 communes" in out
    # The package spells it "Xã Đắk song"; the register's spelling is kept.
    assert Commune.objects.get(code="24718").name == "Xã Đắk Song"


def test_the_fixture_codes_are_the_package_codes():
    provinces = {code: name for code, name, _ in places.package_provinces()}
    communes = {code: (name, province) for code, name, province in places.package_communes()}
    with open(FIXTURES / "provinces.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 34
    for row in rows:
        assert provinces[row["code"]] == row["name"], row
    with open(FIXTURES / "communes.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        name, province = communes[row["code"]]
        assert province == row["province_code"] and name.casefold() == row["name"].casefold(), row


def form(tree, **changes):
    return ShippingAddressForm(data={**ADDRESS, **changes})


def test_the_address_offers_provinces_and_their_communes_grouped(tree):
    places.load()
    state, commune = form(tree)["state"], form(tree)["line4"]
    assert len(state.field.choices) == 1 + 34
    groups = dict(commune.field.choices[1:])
    assert len(groups) == 34 and sum(len(options) for options in groups.values()) == 3321
    assert ("Phường Xuân Hương - Đà Lạt", "Phường Xuân Hương - Đà Lạt") in groups["Lâm Đồng"]
    html = str(commune)
    assert '<optgroup label="Lâm Đồng">' in html and '<optgroup label="Thành phố Hà Nội">' in html


def test_a_commune_of_another_province_is_refused_in_vietnamese(tree):
    places.load()
    bound = form(tree, state="Thành phố Hà Nội")  # Xuân Hương - Đà Lạt is in Lâm Đồng
    assert not bound.is_valid()
    assert bound.errors["line4"] == [
        "“Phường Xuân Hương - Đà Lạt” không thuộc Thành phố Hà Nội: hãy chọn một xã, phường của tỉnh, thành phố đó."
    ]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"line4": "Xã Không Có"}, "line4", "Hãy chọn xã, phường trong danh sách."),
        ({"state": "Đắk Nông"}, "state", "Hãy chọn tỉnh, thành phố trong danh sách."),  # merged into Lâm Đồng
        ({"state": ""}, "state", "Hãy chọn tỉnh, thành phố."),
        ({"line4": ""}, "line4", "Hãy chọn xã, phường."),
    ],
)
def test_unknown_places_are_refused_in_vietnamese(tree, changes, field, message):
    bound = form(tree, **changes)
    assert not bound.is_valid()
    assert bound.errors[field] == [message]


def test_decomposed_input_is_accepted_and_kept_composed(tree):
    bound = form(tree, line4=unicodedata.normalize("NFD", ADDRESS["line4"]))
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["line4"] == ADDRESS["line4"]


def test_the_checkout_page_narrows_communes_with_a_local_script(tree, client):
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    response = client.get(reverse("checkout:shipping-address"))
    html = response.content.decode()
    assert '<select name="line4"' in html and '<optgroup label="Lâm Đồng">' in html
    assert "/static/ocop/address.js" in html


def test_a_crafted_mismatched_pair_is_refused_by_the_checkout(tree, client):
    Province.objects.create(code="01", name="Thành phố Hà Nội", slug="ha-noi")
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "state": "Thành phố Hà Nội"})
    assert response.status_code == 200
    assert "không thuộc Thành phố Hà Nội" in str(response.context["form"].errors["line4"])


def test_the_order_prints_commune_and_province(tree, client):
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    checkout(client, "cod")
    address = Order.objects.get().shipping_address
    assert (address.line4, address.state) == ("Phường Xuân Hương - Đà Lạt", "Lâm Đồng")
    assert address.summary.endswith("12 Lê Lợi, Phường Xuân Hương - Đà Lạt, Lâm Đồng, Việt Nam")
