"""The address book uses the checkout's Vietnamese address rules, and the checkout re-checks
a saved address chosen at the shipping-address step (issue 10).

Oscar's stock address book saved any province and commune text and refused local phone
numbers; a saved address then skipped the checkout's province/commune checks.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests import factories
from tests.shop import ADDRESS, add, messages_of

pytestmark = pytest.mark.django_db

UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def customer(tree, client):
    client.force_login(tree.consumer)
    return tree.consumer


def errors_of(response):
    return response.context["form"].errors


def test_a_good_vietnamese_address_with_a_local_phone_is_saved(customer, client):
    response = client.post(reverse("customer:address-create"), ADDRESS)
    assert response.status_code == 302, errors_of(response)
    address = UserAddress.objects.get(user=customer)
    assert (address.state, address.line4, address.country.iso_3166_1_a2) == (
        "Lâm Đồng",
        "Phường Xuân Hương - Đà Lạt",
        "VN",
    )
    # Stored as E.164, shown as written in Việt Nam (PHONENUMBER_DEFAULT_FORMAT).
    assert address.phone_number.as_e164 == "+84912345678"
    body = client.get(reverse("customer:address-detail", args=[address.pk])).content.decode()
    assert 'value="0912 345 678"' in body and "+84912345678" not in body


def test_the_form_offers_the_register_lists(customer, client):
    body = client.get(reverse("customer:address-create")).content.decode()
    assert '<optgroup label="Lâm Đồng">' in body and "ocop/address.js" in body
    assert 'name="country"' not in body and 'name="postcode"' not in body


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"state": "Tỉnh Không Có"}, "state"),
        ({"line4": "Xã Bịa Đặt"}, "line4"),
        ({"phone_number": "12345"}, "phone_number"),
        ({"phone_number": "+1 202 555 0100"}, "phone_number"),
        ({"state": ""}, "state"),
    ],
)
def test_bad_addresses_are_refused_with_a_message(customer, client, changes, field):
    response = client.post(reverse("customer:address-create"), {**ADDRESS, **changes})
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not UserAddress.objects.filter(user=customer).exists()


def test_a_commune_of_another_province_is_refused(customer, client):
    from catalog import places

    places.load(province_codes=["01"])  # Hà Nội as well
    response = client.post(reverse("customer:address-create"), {**ADDRESS, "state": "Thành phố Hà Nội"})
    assert response.status_code == 200
    assert "“Phường Xuân Hương - Đà Lạt” không thuộc Thành phố Hà Nội" in str(errors_of(response)["line4"])


def test_editing_applies_the_same_rules(customer, client):
    client.post(reverse("customer:address-create"), ADDRESS)
    address = UserAddress.objects.get(user=customer)
    url = reverse("customer:address-detail", args=[address.pk])
    response = client.post(url, {**ADDRESS, "line4": "Xã Bịa Đặt"})
    assert response.status_code == 200 and "line4" in errors_of(response)
    address.refresh_from_db()
    assert address.line4 == "Phường Xuân Hương - Đà Lạt"
    response = client.post(url, {**ADDRESS, "line1": "34 Trần Phú"})
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.line1 == "34 Trần Phú"


def saved(user, **changes):
    """An address saved by the stock address book, before the rules applied."""
    fields = {**ADDRESS, **changes}
    return UserAddress.objects.create(user=user, country=Country.objects.get(iso_3166_1_a2="VN"), **fields)


def test_the_checkout_rechecks_a_saved_address(tree, customer, client):
    add(client, tree.product_a)
    bad = saved(customer, state="Đâu Đó", line4="Xã Không Có")
    response = client.post(reverse("checkout:shipping-address"), {"action": "ship_to", "address_id": bad.pk})
    assert response.status_code == 302
    assert response.url == reverse("checkout:user-address-update", args=[bad.pk])
    assert "không dùng được" in messages_of(response)
    # The checkout did not move on: the shipping method step sends the customer back.
    assert client.get(reverse("checkout:shipping-method")).url == reverse("checkout:shipping-address")

    good = saved(customer, line1="99 Phan Đình Phùng")
    response = client.post(reverse("checkout:shipping-address"), {"action": "ship_to", "address_id": good.pk})
    assert response.status_code == 302 and response.url == reverse("checkout:shipping-method")


def test_a_crafted_address_id_is_a_404_not_a_500(tree, customer, client):
    add(client, tree.product_a)
    other = saved(factories.UserFactory())
    url = reverse("checkout:shipping-address")
    for address_id in ("abc", "", "99999999", str(other.pk), "1e3", "\u0661"):
        response = client.post(url, {"action": "ship_to", "address_id": address_id})
        assert response.status_code == 404, address_id
    response = client.post(url, {"action": "nope", "address_id": str(other.pk)})
    assert response.status_code == 400
