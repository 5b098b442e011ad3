"""Oscar sells only certified products, whatever request reaches it.

Crafted POSTs to Oscar's add-to-basket URL: a live, certified (3★+) product in stock goes
into the basket; anything else is refused with a Vietnamese reason and the basket stays
empty.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_class

from cms.models import ProductPage
from storefront.partner import sync
from tests import factories

pytestmark = pytest.mark.django_db

Selector = get_class("partner.strategy", "Selector")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def product_of(page):
    return sync.product_for(page)


def add_to_basket(client, page, quantity=1):
    response = client.post(reverse("basket:add", args=[product_of(page).pk]), {"quantity": quantity})
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    return response, messages


def basket_lines(client):
    response = client.get(reverse("basket:summary"))
    return [line.product_id for line in response.context["basket"].all_lines()]


def test_the_shop_uses_our_strategy():
    assert type(Selector().strategy()).__module__ == "storefront.partner.strategy"


def test_a_certified_product_in_stock_can_be_bought(tree, client):
    response, messages = add_to_basket(client, tree.product_a)
    assert response.status_code == 302
    assert basket_lines(client) == [product_of(tree.product_a).pk]


def test_a_signed_in_consumer_can_buy_too(tree, client):
    client.force_login(tree.consumer)
    add_to_basket(client, tree.product_b, quantity=2)
    assert basket_lines(client) == [product_of(tree.product_b).pk]


def uncertified(tree):
    return factories.product_page(tree.producer_a, title="Chưa chứng nhận")


def two_stars(tree):
    page = factories.product_page(tree.producer_a, title="Hai sao")
    factories.certificate(page, score=(15, 10, 10))  # 35 → 2★
    return page


def expired(tree):
    page = factories.product_page(tree.producer_a, title="Hết hạn")
    factories.certificate(page, age_days=2000)
    return page


def revoked(tree):
    page = factories.product_page(tree.producer_a, title="Bị thu hồi")
    factories.certificate(page, revoked_on=timezone.localdate() - datetime.timedelta(days=3))
    return page


def out_of_stock(tree):
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    page.stock = 0
    return factories.publish(page)


def unpublished(tree):
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    page.unpublish(log_action=False)
    return page


@pytest.mark.parametrize(
    "make, reason",
    [
        (uncertified, "chưa được chứng nhận OCOP"),
        (two_stars, "chưa được chứng nhận OCOP"),
        (expired, "đã hết hiệu lực"),
        (revoked, "đã bị thu hồi"),
        (out_of_stock, "đã hết hàng"),
        (unpublished, "không còn được bán"),
    ],
    ids=["no-certificate", "2-stars", "expired", "revoked", "out-of-stock", "unpublished"],
)
def test_anything_else_is_refused_in_vietnamese(tree, client, make, reason):
    page = make(tree)
    response, messages = add_to_basket(client, page)
    assert response.status_code == 302
    assert reason in messages, messages
    assert basket_lines(client) == []


def test_more_than_the_stock_is_refused(tree, client):
    add_to_basket(client, tree.product_a, quantity=10)
    response, messages = add_to_basket(client, tree.product_a, quantity=1)
    assert basket_lines(client) == [product_of(tree.product_a).pk]
    assert response.wsgi_request.basket.all_lines()[0].quantity == 10


def test_a_certificate_revoked_after_publishing_stops_the_sale(tree, client):
    tree.certificate_a.revoked_on = timezone.localdate()
    tree.certificate_a.revocation_reason = "thử"
    tree.certificate_a.save()
    response, messages = add_to_basket(client, tree.product_a)
    assert "đã bị thu hồi" in messages
    assert basket_lines(client) == []


def test_prices_are_whole_vnd_including_tax(tree):
    info = Selector().strategy().fetch_for_product(product_of(tree.product_a))
    assert info.price.currency == "VND"
    assert info.price.incl_tax == info.price.excl_tax == 100000
    assert info.availability.is_available_to_buy


def test_a_withdrawn_product_has_no_shop_page(tree, client):
    # Oscar's product URL leads to the OCOP product page while it is published (the shop's
    # own list and detail pages are not shown: storefront/shop_urls.py), and nowhere after.
    url = product_of(tree.product_a).get_absolute_url()
    response = client.get(url)
    assert response.status_code == 301 and response.url == tree.product_a.url
    unpublished(tree)
    assert client.get(url).status_code == 404
