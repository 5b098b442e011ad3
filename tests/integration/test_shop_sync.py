"""The page is the one source of truth: publishing it is what reaches Oscar's shop.

After every step the page, its Oscar product and its producer's stock record agree, and a
draft does not reach the shop until it is published.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from oscar.core.loading import get_model
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import ProductPage
from storefront.partner.sync import product_for, sku_for
from tests import factories

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def live(page):
    return ProductPage.objects.get(pk=page.pk)


def assert_in_step(page):
    """The product and stock record say what the live page says."""
    page = live(page)
    product = product_for(page)
    assert product is not None
    assert product.upc == sku_for(page)
    assert product.title == page.title
    assert product.description == page.intro
    assert product.is_public
    (stockrecord,) = product.stockrecords.all()
    assert stockrecord.partner_id == page.producer.partner.pk
    assert stockrecord.page_id == page.pk
    assert stockrecord.partner_sku == sku_for(page)
    assert stockrecord.price == Decimal(page.price)
    assert stockrecord.price == stockrecord.price.to_integral_value()  # whole đồng
    assert stockrecord.price_currency == "VND"
    assert stockrecord.num_in_stock == page.stock
    return product, stockrecord


def in_the_shop(product):
    return Product.objects.browsable().filter(pk=product.pk).exists()


def edit_and_publish(page, **changes):
    page = live(page)
    for name, value in changes.items():
        setattr(page, name, value)
    return factories.publish(page)


def test_publishing_creates_the_product_and_stock_record(tree):
    product, stockrecord = assert_in_step(tree.product_a)
    assert product.title == "Bơ núi lửa thử"
    assert stockrecord.price == Decimal("100000")
    assert product.get_product_class().name == "Sản phẩm OCOP"
    assert product.get_product_class().requires_shipping
    assert in_the_shop(product)


def test_edit_and_republish_updates_without_drift(tree):
    before, _ = assert_in_step(tree.product_a)
    edit_and_publish(tree.product_a, title="Bơ 034 mới", intro="Giới thiệu mới", price=185000, stock=3)
    product, stockrecord = assert_in_step(tree.product_a)
    assert product.pk == before.pk  # updated, not duplicated
    assert (product.title, stockrecord.price, stockrecord.num_in_stock) == ("Bơ 034 mới", Decimal("185000"), 3)
    assert Product.objects.filter(upc=sku_for(tree.product_a)).count() == 1
    assert StockRecord.objects.filter(partner_sku=sku_for(tree.product_a)).count() == 1


def test_a_draft_does_not_reach_the_shop_until_published(tree):
    page = live(tree.product_a)
    page.title, page.price, page.stock = "Bản nháp", 1000, 99
    revision = page.save_revision(log_action=False)
    product, stockrecord = assert_in_step(tree.product_a)  # the live page is unchanged
    assert (product.title, stockrecord.price, stockrecord.num_in_stock) == ("Bơ núi lửa thử", Decimal("100000"), 10)

    revision.publish(log_action=False)
    product, stockrecord = assert_in_step(tree.product_a)
    assert (product.title, stockrecord.price, stockrecord.num_in_stock) == ("Bản nháp", Decimal("1000"), 99)


def test_unpublish_withdraws_and_republish_brings_back(tree):
    product, _ = assert_in_step(tree.product_a)
    live(tree.product_a).unpublish(log_action=False)
    product.refresh_from_db()
    assert not product.is_public and not in_the_shop(product)

    factories.publish(live(tree.product_a))
    again, _ = assert_in_step(tree.product_a)
    assert again.pk == product.pk and in_the_shop(again)


def test_delete_takes_the_product_out_of_the_shop(tree):
    product, _ = assert_in_step(tree.product_a)
    live(tree.product_a).delete()
    product.refresh_from_db()
    assert not product.is_public and not in_the_shop(product)
    assert not product.stockrecords.filter(page__isnull=False).exists()


def test_deleting_a_producer_page_withdraws_its_products(tree):
    product, _ = assert_in_step(tree.product_b)
    factories.ProducerPage.objects.get(pk=tree.producer_b.pk).delete()
    product.refresh_from_db()
    assert not in_the_shop(product)


def test_tourism_service_needs_no_shipping(tree):
    group6 = factories.ProductGroupFactory(code="6", name="Dịch vụ du lịch", requires_shipping=False)
    sub = factories.ProductGroupFactory(code="6.1", name="Du lịch cộng đồng", parent=group6, requires_shipping=False)
    page = factories.product_page(tree.producer_a, title="Homestay thử", group=sub)
    product, _ = assert_in_step(page)
    assert product.get_product_class().name == "Dịch vụ du lịch OCOP"
    assert not product.get_product_class().requires_shipping


def test_a_copied_page_gets_its_own_product(tree):
    page = live(tree.product_a)
    copy = page.copy(update_attrs={"slug": "ban-sao", "title": "Bản sao"}, keep_live=False, log_action=None)
    assert product_for(copy.specific) is None
    # A copy presents no register product until an editor chooses one.
    assert copy.specific.register_product_id is None
    copy.specific.register_product = factories.register_product(tree.producer_a.producer, name="Bản sao")
    copy.specific.save()
    factories.publish(copy.specific)
    product, _ = assert_in_step(copy)
    assert product.pk != product_for(live(tree.product_a)).pk


def png(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (16, 16), colour).save(buffer, format="PNG")
    return ImageFile(buffer, name="anh.png")


def test_the_main_image_becomes_the_primary_product_image(tree):
    Image = get_image_model()
    first = Image.objects.create(title="Ảnh 1", file=png((200, 10, 10)))
    edit_and_publish(tree.product_a, image=first)
    product, _ = assert_in_step(tree.product_a)
    (image,) = product.images.all()
    assert image.is_primary() and image.original.read() == first.file.open("rb").read()

    edit_and_publish(tree.product_a, title="Đổi tên")  # the same image is not copied again
    assert list(product.images.all()) == [image]

    second = Image.objects.create(title="Ảnh 2", file=png((10, 10, 200)))
    edit_and_publish(tree.product_a, image=second)
    (replaced,) = product.images.all()
    assert replaced.pk != image.pk

    edit_and_publish(tree.product_a, image=None)
    assert not product.images.exists()
