"""placement.place_order, called as the webhook calls it: no view, no request.

One transaction: the order, its addresses, the stock allocation and the payment are all
written, or none of them is.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

from storefront.checkout import placement
from storefront.payment import facade
from tests.shop import ADDRESS, add, product_of

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
StockRecord = get_model("partner", "StockRecord")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def basket(tree, client):
    """The consumer's basket: 2 of product A, 1 of product B, priced by the shop's strategy."""
    client.force_login(tree.consumer)
    add(client, tree.product_a, 2)
    add(client, tree.product_b, 1)
    return client.get(reverse("basket:summary")).context["basket"]


def order_data(basket, user, number="100900"):
    """What the checkout would hand placement for `basket`."""
    address = ShippingAddress(**ADDRESS, country=Country.objects.get(iso_3166_1_a2="VN"))
    (method, *_) = Repository().get_shipping_methods(basket, shipping_addr=address)
    charge = method.calculate(basket)
    return dict(
        order_number=number,
        user=user,
        basket=basket,
        shipping_address=address,
        shipping_method=method,
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
    )


def cod_payment(total):
    """What handle_payment collects for cash on delivery."""
    placed, _ = PaymentEventType.objects.get_or_create(name=facade.PLACED)
    return placement.CollectedPayment(
        sources=[facade.unsaved_source(facade.COD, "100900", total)],
        events=[PaymentEvent(event_type=placed, amount=total.incl_tax, reference=facade.COD)],
    )


def stock_of(page):
    return StockRecord.objects.get(product=product_of(page))


def test_places_the_order_allocates_and_records_the_payment(tree, basket):
    data = order_data(basket, tree.consumer)
    order = placement.place_order(payment=cod_payment(data["order_total"]), **data)

    assert order.number == "100900" and order.user == tree.consumer and order.status == "pending"
    assert order.total_incl_tax == data["order_total"].incl_tax
    assert sorted(order.lines.values_list("quantity", flat=True)) == [1, 2]
    assert (stock_of(tree.product_a).num_allocated, stock_of(tree.product_b).num_allocated) == (2, 1)
    assert order.shipping_address.pk and order.shipping_address.line1 == ADDRESS["line1"]
    book = tree.consumer.addresses.get()
    assert (book.line1, book.num_orders_as_shipping_address) == (ADDRESS["line1"], 1)
    source = order.sources.get()
    assert (source.source_type.code, source.amount_allocated, source.amount_debited) == (
        facade.COD,
        order.total_incl_tax,
        0,
    )
    (event,) = order.payment_events.all()
    assert event.event_type.name == facade.PLACED
    assert {(q.line_id, q.quantity) for q in event.line_quantities.all()} == {
        (line.pk, line.quantity) for line in order.lines.all()
    }
    assert not facade.is_paid(order) and not facade.paid_lines(order).exists()


def test_short_stock_places_nothing(tree, basket):
    stock_of(tree.product_a).allocate(stock_of(tree.product_a).net_stock_level - 1)  # 1 left, 2 wanted
    data = order_data(basket, tree.consumer)

    with pytest.raises(placement.UnableToPlaceOrder, match="chỉ còn 1"):
        placement.place_order(payment=cod_payment(data["order_total"]), **data)

    assert not Order.objects.exists() and not ShippingAddress.objects.exists()
    assert not Source.objects.exists() and not tree.consumer.addresses.exists()
    assert stock_of(tree.product_b).num_allocated in (None, 0)


class BrokenPayment:
    def record(self, order):
        raise RuntimeError("the payment could not be written")


def test_a_payment_that_cannot_be_recorded_undoes_the_order(tree, basket):
    before = stock_of(tree.product_a).num_allocated
    with pytest.raises(RuntimeError):
        placement.place_order(payment=BrokenPayment(), **order_data(basket, tree.consumer))
    assert not Order.objects.exists() and not ShippingAddress.objects.exists()
    assert stock_of(tree.product_a).num_allocated == before


def test_a_guest_order_has_no_address_book(tree, basket):
    order = placement.place_order(guest_email="khach@example.vn", **order_data(basket, None))
    assert order.user is None and order.guest_email == "khach@example.vn"
    assert order.shipping_address.line1 == ADDRESS["line1"]
    assert not tree.consumer.addresses.exists()
    assert order.total_incl_tax > Decimal(0) and not order.sources.exists()
