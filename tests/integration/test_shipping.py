"""Delivery is priced per producer's parcel by weight and zone, free above a threshold."""

from decimal import Decimal

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from catalog import places
from catalog.models import Commune, Province
from cms.models import ProductPage
from storefront.shipping import methods
from tests import factories
from tests.shop import ADDRESS, add, checkout

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")

RATES = {
    "province": {"first_kg": 20000, "per_kg": 3000},
    "region": {"first_kg": 30000, "per_kg": 5000},
    "country": {"first_kg": 40000, "per_kg": 8000},
}


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.OCOP_SHIPPING_RATES = RATES
    settings.OCOP_FREE_SHIPPING_THRESHOLD = 10_000_000
    with translation.override("vi"):
        yield


def test_every_current_province_is_in_exactly_one_region(settings):
    codes = [code for code, _, _ in places.package_provinces()]
    listed = [code for region in settings.OCOP_SHIPPING_REGIONS.values() for code in region]
    assert sorted(listed) == sorted(codes) and len(codes) == 34


@pytest.mark.parametrize(
    "origin, destination, expected",
    [
        ("68", "68", "province"),  # Lâm Đồng to Lâm Đồng
        ("68", "52", "region"),  # to Gia Lai: both Central and Central Highlands
        ("68", "01", "country"),  # to Hà Nội: the North
        ("79", "96", "region"),  # Hồ Chí Minh City to Cà Mau
        ("68", None, "country"),  # address not known yet: the most it may cost
    ],
)
def test_zones(origin, destination, expected):
    assert methods.zone(origin, destination) == expected


@pytest.mark.parametrize(
    "grams, zone, charge",
    [
        (0, "country", 0),
        (1, "province", 20000),
        (1000, "province", 20000),
        (1001, "province", 23000),
        (2400, "region", 30000 + 2 * 5000),
        (5000, "country", 40000 + 4 * 8000),
    ],
)
def test_parcel_charges_by_weight_and_zone(grams, zone, charge):
    assert methods.parcel_charge(grams, zone) == charge


def address_in(province_code):
    commune = Commune.objects.filter(province__code=province_code).order_by("code").first()
    return {**ADDRESS, "state": commune.province.name, "line4": commune.name}


@pytest.fixture
def shop(tree, client):
    places.load()
    client.force_login(tree.consumer)
    for page in (tree.product_a, tree.product_b):
        page = ProductPage.objects.get(pk=page.pk)
        page.net_weight = 1500
        factories.publish(page)
    return tree


@pytest.mark.parametrize("destination, charge", [("68", 23000), ("52", 35000), ("01", 48000)])
def test_one_producer_in_lam_dong_ships_to_three_zones(shop, client, destination, charge):
    add(client, shop.product_a)  # 1.5 kg
    order = checkout(client, "cod", address=address_in(destination)).context["order"]
    assert order.shipping_incl_tax == Decimal(charge)
    assert order.total_incl_tax == order.basket_total_incl_tax + charge


def test_two_producers_send_two_parcels_each_priced_by_its_own_zone(shop, client):
    producer_b = shop.producer_b.producer
    producer_b.province = Province.objects.get(code="52")  # Gia Lai
    producer_b.save()
    add(client, shop.product_a, 2)  # 3 kg from Lâm Đồng
    add(client, shop.product_b, 1)  # 1.5 kg from Gia Lai
    order = checkout(client, "cod", address=address_in("52")).context["order"]
    from_lam_dong = 30000 + 2 * 5000  # same region
    from_gia_lai = 20000 + 3000  # same province
    assert order.shipping_incl_tax == Decimal(from_lam_dong + from_gia_lai)


def test_the_threshold_makes_any_zone_free(shop, client, settings):
    settings.OCOP_FREE_SHIPPING_THRESHOLD = 200000
    add(client, shop.product_a, 2)  # 2 × 100.000 ₫
    order = checkout(client, "cod", address=address_in("01")).context["order"]
    assert order.basket_total_incl_tax == 200000 and order.shipping_incl_tax == 0


def test_a_tourism_service_in_a_mixed_basket_weighs_nothing(shop, client):
    group = factories.ProductGroupFactory(code="6", name="Dịch vụ du lịch", name_en="Tourism")
    group.requires_shipping = False
    group.save()
    tour = factories.product_page(shop.producer_a, title="Tour vườn bơ", group=group, price=250000)
    factories.certificate(tour)
    add(client, tour, 3)
    add(client, shop.product_a, 1)  # 1.5 kg
    order = checkout(client, "cod", address=address_in("68")).context["order"]
    assert order.shipping_incl_tax == Decimal(20000 + 3000)
