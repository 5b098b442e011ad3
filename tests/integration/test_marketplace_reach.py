"""Marketplace reach: producers record their own listings and sales channels in the admin
(crafted requests cannot reach another producer's rows), the product page links the live
ones, and the Google Merchant and Meta feeds list exactly what the shop sells.
"""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import MarketplaceListing, SalesChannel
from cms.evaluation import access as evaluation_access
from tests import factories

pytestmark = pytest.mark.django_db

G = "{http://base.google.com/ns/1.0}"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def listing(page, platform="shopee", url=None, **fields):
    return MarketplaceListing.objects.create(
        product=page.register_product,
        platform=platform,
        url=url or f"https://shopee.vn/san-pham-{page.pk}-{platform}",
        listed_since=fields.pop("listed_since", timezone.localdate() - datetime.timedelta(days=30)),
        **fields,
    )


def form_post(**fields):
    today = timezone.localdate()
    data = {"platform": "shopee", "listed_since": today.isoformat(), "checked_on": "", "until": ""}
    data.update(fields)
    return data


def test_a_producer_sees_and_edits_only_its_own_rows(tree, client):
    own = listing(tree.product_a)
    other = listing(tree.product_b)
    other_channel = SalesChannel.objects.create(producer=tree.producer_b.producer, kind="supermarket", name="Co.opmart")
    client.force_login(tree.producer_user_a)

    index = client.get(reverse("marketplace-listings:index"))
    assert index.status_code == 200
    assert own.url in index.content.decode() and other.url not in index.content.decode()

    # Another producer's row: not found, to read or to change; no delete permission at all.
    assert client.get(reverse("marketplace-listings:edit", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("marketplace-listings:edit", args=[other.pk]),
        form_post(product=tree.product_a.register_product_id, url="https://shopee.vn/chiem"),
    )
    assert response.status_code == 404
    assert client.get(reverse("marketplace-listings:inspect", args=[other.pk])).status_code == 404
    assert client.get(reverse("marketplace-listings:history", args=[other.pk])).status_code == 404
    # Wagtail answers a refused action with a redirect to the admin home and a message.
    assert client.post(reverse("marketplace-listings:delete", args=[own.pk])).url == reverse("wagtailadmin_home")
    assert MarketplaceListing.objects.filter(pk=own.pk).exists()
    assert client.get(reverse("sales-channels:edit", args=[other_channel.pk])).status_code == 404
    other.refresh_from_db()
    assert other.url.startswith("https://shopee.vn/san-pham-")

    # A listing for another producer's product: an invalid choice, nothing saved.
    response = client.post(
        reverse("marketplace-listings:add"),
        form_post(product=tree.product_b.register_product_id, url="https://shopee.vn/cua-nguoi-khac"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["product"]
    assert not MarketplaceListing.objects.filter(url="https://shopee.vn/cua-nguoi-khac").exists()
    # Nor a sales channel for another producer.
    response = client.post(
        reverse("sales-channels:add"),
        {"producer": tree.producer_b.producer.pk, "kind": "online", "name": "x", "since": "2025-01-01", "until": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors["producer"]

    # Its own product: saved.
    response = client.post(
        reverse("marketplace-listings:add"),
        form_post(product=tree.product_a.register_product_id, url="https://shopee.vn/bo-nui-lua"),
    )
    assert response.status_code == 302
    assert MarketplaceListing.objects.get(url="https://shopee.vn/bo-nui-lua").product == tree.product_a.register_product

    # Officials see every producer's rows and edit them; the OCOP office only reads.
    client.force_login(tree.official)
    content = client.get(reverse("marketplace-listings:index")).content.decode()
    assert own.url in content and other.url in content
    assert client.get(reverse("marketplace-listings:edit", args=[other.pk])).status_code == 200
    office = factories.UserFactory()
    office.groups.add(evaluation_access.ensure_role_groups()[1])
    client.force_login(office)
    content = client.get(reverse("marketplace-listings:index")).content.decode()
    assert own.url in content and other.url in content
    assert client.get(reverse("marketplace-listings:inspect", args=[other.pk])).status_code == 200
    assert client.get(reverse("marketplace-listings:edit", args=[other.pk])).url == reverse("wagtailadmin_home")


def test_a_bad_address_is_a_vietnamese_message_not_an_error_page(tree, client):
    client.force_login(tree.producer_user_a)
    product = tree.product_a.register_product_id
    cases = [
        (form_post(product=product, url="khong-phai-dia-chi"), "url", "URL hợp lệ"),
        (form_post(product=product, url="http://shopee.vn/bo"), "url", "https://"),
        (form_post(product=product, platform="lazada", url="https://shopee.vn/bo"), "url", "lazada.vn"),
        (form_post(product=product, url="https://shopee.vn/bo", until="2000-01-01"), "until", "trước ngày bắt đầu"),
    ]
    for data, field, words in cases:
        response = client.post(reverse("marketplace-listings:add"), data)
        assert response.status_code == 200
        assert words in " ".join(response.context["form"].errors[field]), (data, response.context["form"].errors)
    assert not MarketplaceListing.objects.exists()


def test_feeds_list_what_the_shop_sells_and_the_page_links_live_listings(tree, client):
    cache.clear()
    uncertified = factories.product_page(tree.producer_a, title="Chưa chứng nhận")
    sold_out = factories.product_page(tree.producer_a, title="Hết hàng", stock=0)
    factories.certificate(sold_out)
    no_price = factories.product_page(tree.producer_a, title="Chưa có giá", price=None)
    factories.certificate(no_price)
    expensive = factories.product_page(tree.producer_b, title="Cà phê thử", price=95000)
    factories.certificate(expensive)

    response = client.get("/feeds/google-merchant.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    channel = ET.fromstring(response.content).find("channel")
    items = {item.findtext(f"{G}title"): item for item in channel.findall("item")}
    assert set(items) == {tree.product_a.title, tree.product_b.title, expensive.title}
    coffee = items[expensive.title]
    assert coffee.findtext(f"{G}price") == "95000 VND"
    assert coffee.findtext(f"{G}availability") == "in_stock"
    assert coffee.findtext(f"{G}link") == expensive.get_full_url()
    assert coffee.findtext(f"{G}link").startswith("http://localhost/")
    assert coffee.findtext(f"{G}brand") == tree.producer_b.producer.name
    assert coffee.findtext(f"{G}condition") == "new"
    assert coffee.findtext(f"{G}identifier_exists") == "no"
    assert items[tree.product_a.title].findtext(f"{G}price") == "100000 VND"

    response = client.get("/feeds/meta-catalog.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == [
        "id",
        "title",
        "description",
        "availability",
        "condition",
        "price",
        "link",
        "image_link",
        "brand",
    ]
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {tree.product_a.title, tree.product_b.title, expensive.title}
    assert by_title[expensive.title]["price"] == "95000 VND"
    assert by_title[expensive.title]["availability"] == "in stock"
    assert by_title[expensive.title]["link"] == expensive.get_full_url()
    assert uncertified.title not in by_title and sold_out.title not in by_title and no_price.title not in by_title

    # The product page: live listings only, as outside links search engines do not follow.
    live = listing(tree.product_a, url="https://shopee.vn/bo-nui-lua-thu")
    listing(tree.product_a, platform="tiki", url="https://tiki.vn/bo-cu", until=timezone.localdate())
    listing(
        tree.product_a,
        platform="lazada",
        url="https://www.lazada.vn/bo-da-go",
        listed_since=timezone.localdate() - datetime.timedelta(days=60),
        until=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = client.get(tree.product_a.url).content.decode()
    assert "Cũng bán tại" in html
    assert f'href="{live.url}" rel="nofollow noopener external"' in html
    assert "https://tiki.vn/bo-cu" in html  # removed today: its last day
    assert "bo-da-go" not in html
