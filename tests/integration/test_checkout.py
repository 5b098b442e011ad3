"""A customer buys from two producers and checks out with cash on delivery, then VietQR.

Driven through Oscar's real checkout with the test client: basket → shipping address →
shipping method → payment method (on the payment-details page) → preview → place order.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from cms.models import ProductPage
from storefront.checkout.placement import UnableToPlaceOrder, lock_and_check_stock
from storefront.payment import vietqr
from tests import factories
from tests.shop import ADDRESS, add, checkout, decode, messages_of, product_of

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def customer(tree, client):
    client.force_login(tree.consumer)
    return tree.consumer


def test_cod_then_vietqr_two_producers_each(tree, client, customer):
    add(client, tree.product_a, 2)
    add(client, tree.product_b, 1)
    response = checkout(client, "cod")
    cod = response.context["order"]
    assert cod.user == customer
    assert cod.status == "pending"
    assert cod.sources.get().source_type.code == "cod"
    assert cod.sources.get().amount_debited == 0  # unpaid until delivery
    assert {line.partner_id for line in cod.lines.all()} == {
        tree.producer_a.producer.partner.pk,
        tree.producer_b.producer.partner.pk,
    }
    assert "vietqr" not in response.content.decode()

    add(client, tree.product_a, 1)
    add(client, tree.product_b, 1)
    response = checkout(client, "vietqr")
    order = response.context["order"]
    body = response.content.decode()
    source = order.sources.get()
    assert source.source_type.code == "vietqr"
    assert source.reference in body and "<svg" in body
    fields = decode(source.reference)
    assert fields["54"] == str(int(order.total_incl_tax))
    assert decode(fields["62"])["08"] == f"OCOP {order.number}"
    assert fields["63"] == f"{vietqr.crc16_ccitt_false(source.reference[:-4].encode()):04X}"

    for placed in (cod, order):
        for amount in (
            placed.total_incl_tax,
            placed.total_excl_tax,
            placed.shipping_incl_tax,
            placed.basket_total_incl_tax,
        ):
            assert amount == amount.to_integral_value(), amount

    listing = client.get("/shop/accounts/orders/")
    assert listing.status_code == 200
    assert {o.number for o in listing.context["orders"]} == {cod.number, order.number}
    detail = client.get(reverse("customer:order", args=[order.number]))
    assert detail.status_code == 200 and source.reference in detail.content.decode()


def test_stock_is_allocated_and_shipping_is_by_weight(tree, client, customer, settings):
    settings.OCOP_FREE_SHIPPING_THRESHOLD = 10_000_000
    # The producer and the address are both in Lâm Đồng.
    settings.OCOP_SHIPPING_RATES = {**settings.OCOP_SHIPPING_RATES, "province": {"first_kg": 30000, "per_kg": 5000}}
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    page.net_weight = 1200
    factories.publish(page)
    add(client, tree.product_a, 2)  # 2.4 kg → base + 2 extra kg
    order = checkout(client, "cod").context["order"]
    assert order.shipping_incl_tax == Decimal(40000)
    assert order.total_incl_tax == Decimal(200000 + 40000)
    record = StockRecord.objects.get(product=product_of(tree.product_a))
    assert (record.num_in_stock, record.num_allocated, record.net_stock_level) == (10, 2, 8)


def test_free_shipping_over_the_threshold(tree, client, customer, settings):
    settings.OCOP_FREE_SHIPPING_THRESHOLD = 300000
    add(client, tree.product_a, 3)
    order = checkout(client, "cod").context["order"]
    assert order.shipping_incl_tax == 0 and order.total_incl_tax == 300000


def test_tourism_services_need_no_shipping(tree, client, customer):
    group = factories.ProductGroupFactory(code="6", name="Dịch vụ du lịch", name_en="Tourism")
    group.requires_shipping = False
    group.save()
    page = factories.product_page(tree.producer_a, title="Tour vườn bơ", group=group, price=250000)
    factories.certificate(page)
    add(client, page, 1)
    # Oscar skips the address step and sets "no shipping required" for such a basket.
    response = client.get(reverse("checkout:shipping-address"))
    assert response.status_code == 302 and response.url == reverse("checkout:shipping-method")
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 302
    response = client.post(reverse("checkout:preview"), {"method": "cod"})
    assert response.status_code == 200
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, messages_of(response)
    order = Order.objects.get(user=customer)
    assert order.shipping_address is None and order.shipping_incl_tax == 0 and order.total_incl_tax == 250000


@pytest.mark.parametrize("phone", ["12345", "+1 202 555 0143", "0912"])
def test_a_non_vietnamese_phone_number_is_refused(tree, client, customer, phone):
    add(client, tree.product_a)
    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "phone_number": phone})
    assert response.status_code == 200
    assert "số điện thoại Việt Nam hợp lệ" in str(response.context["form"].errors["phone_number"])


def test_a_payment_method_must_be_chosen(tree, client, customer):
    add(client, tree.product_a)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))
    response = client.post(reverse("checkout:preview"), {"method": "bitcoin"})
    assert response.status_code == 200 and not response.context["view"].preview
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("checkout:payment-details")
    assert not Order.objects.exists()


def test_a_certificate_revoked_after_adding_stops_checkout(tree, client, customer):
    add(client, tree.product_a)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:preview"), {"method": "cod"})
    tree.certificate_a.revoked_on = timezone.localdate() - datetime.timedelta(days=1)
    tree.certificate_a.revocation_reason = "thử"
    tree.certificate_a.save()
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("basket:summary")
    assert "đã bị thu hồi" in messages_of(response)
    assert not Order.objects.exists()


def test_stock_sold_elsewhere_meanwhile_is_refused_at_placement(tree, client, customer):
    add(client, tree.product_a, 3)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:preview"), {"method": "cod"})
    # Someone else buys 9 of the 10 between the preview and the place-order click.
    StockRecord.objects.get(product=product_of(tree.product_a)).allocate(9)
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("basket:summary")
    assert "Bơ núi lửa thử" in messages_of(response)
    assert not Order.objects.exists()


def test_placement_locks_and_rechecks_the_stock(tree, client, customer):
    add(client, tree.product_a, 3)
    basket = client.get(reverse("basket:summary")).context["basket"]
    lock_and_check_stock(basket)  # 10 left: fine
    StockRecord.objects.get(product=product_of(tree.product_a)).allocate(8)
    with pytest.raises(UnableToPlaceOrder, match="chỉ còn 2"):
        lock_and_check_stock(basket)
    StockRecord.objects.get(product=product_of(tree.product_a)).allocate(2)
    with pytest.raises(UnableToPlaceOrder, match="đã hết hàng"):
        lock_and_check_stock(basket)


def test_emails_customer_and_each_producer_in_vietnamese(tree, client, customer, django_capture_on_commit_callbacks):
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    page.title = "Bơ Sang's Farm"
    factories.publish(page)
    add(client, tree.product_a)
    add(client, tree.product_b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as queued:
        order = checkout(client, "cod").context["order"]
    # Nothing is sent inside the request: the mail is queued for the worker after the commit
    # (with the caches' own after-commit work: cms/site_cache.py, cms/register_cache.py).
    assert mail.outbox == [] and queued
    for task in queued:
        task()  # the test settings run the tasks inline
    to_customer = [m for m in mail.outbox if customer.email in m.to]
    assert len(to_customer) == 1 and order.number in to_customer[0].subject + to_customer[0].body
    assert "Đơn hàng của bạn gồm:" in to_customer[0].body
    assert "Nguyễn Thị Lan" in to_customer[0].body
    notices = {m.to[0]: m for m in mail.outbox if customer.email not in m.to}
    assert set(notices) == {tree.producer_user_a.email, tree.producer_user_b.email}
    to_a = notices[tree.producer_user_a.email]
    assert "Đơn hàng mới" in to_a.subject and order.number in to_a.subject
    assert "Bơ Sang's Farm" in to_a.body and "Mật ong thử" not in to_a.body
    assert "Bơ Sang's Farm" in to_customer[0].body  # plain text, not HTML-escaped
