"""Where the shop's pages lead (issue 14): Oscar's catalogue to the OCOP list and pages,
"Home" to the site's home, product links to the OCOP product page, logout by POST; and the
checkout address as people read it: province before commune in Vietnamese order, phone
numbers as written in Việt Nam, the bank by its name."""

import re

import pytest
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import translation

from catalog.models import Commune, Province
from storefront.checkout.forms import ShippingAddressForm
from tests.shop import ADDRESS, add, checkout, messages_of, product_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_oscar_catalogue_pages_redirect_permanently_to_the_ocop_pages(tree, client):
    product = product_of(tree.product_a)
    for language, prefix in (("vi", ""), ("en", "/en")):
        with translation.override(language):
            product_list, page = tree.product_index.url, tree.product_a.url
        assert product_list == f"{prefix}/san-pham/" and page.startswith(f"{prefix}/chu-the/")
        for url in ("/shop/", "/shop/catalogue/", "/shop/catalogue/category/qua-tang_3/"):
            response = client.get(prefix + url)
            assert response.status_code == 301 and response["Location"] == product_list, (prefix + url, response)
        response = client.get(f"{prefix}/shop/catalogue/{product.slug}_{product.pk}/")
        assert response.status_code == 301 and response["Location"] == page
    assert client.get(f"/shop/catalogue/x_{product.pk + 999}/").status_code == 404
    tree.product_b.unpublish()
    gone = product_of(tree.product_b)
    assert client.get(f"/shop/catalogue/{gone.slug}_{gone.pk}/").status_code == 404


def home_links(body):
    """Targets of the breadcrumb's "Home" links."""
    return re.findall(r'<li class="breadcrumb-item">\s*<a href="([^"]*)">(?:Trang chủ|Home)</a>', body)


def test_home_breadcrumbs_and_logout_lead_to_the_site_home(tree, client):
    assert home_links(client.get("/shop/accounts/login/").content.decode()) == ["/"]
    assert home_links(client.get("/en/shop/accounts/login/").content.decode()) == ["/en/"]
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    for url in ("/shop/basket/", "/shop/accounts/profile/", "/shop/accounts/addresses/"):
        body = client.get(url).content.decode()
        assert home_links(body) == ["/"], url
        # The header (its bar on a desktop, its menu on a phone) and the account pages offer
        # logging out, as a POST form.
        forms = re.findall(r'<form class="logout-form" method="post" action="([^"]+)">', body)
        assert forms and set(forms) == {"/shop/accounts/logout/"}, url
        assert len(forms) == (3 if "/accounts/" in url else 2), url

    # GET only asks (a followed link logs nobody out); POST logs out and lands home.
    response = client.get("/shop/accounts/logout/")
    assert response.status_code == 200 and get_user(client).is_authenticated
    response = client.post("/en/shop/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert not get_user(client).is_authenticated
    assert "logged out" in messages_of(response)
    assert client.get("/shop/accounts/logout/")["Location"] == "/"


def test_basket_and_order_lines_link_to_the_ocop_product_page(tree, client):
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    page_url = tree.product_a.url
    basket = client.get("/shop/basket/").content.decode()
    assert f'href="{page_url}"' in basket and "/shop/catalogue/" not in basket

    thank_you = checkout(client, "vietqr", address={**ADDRESS, "phone_number": "0905123456"})
    order = thank_you.context["order"]
    detail = client.get(reverse("customer:order", args=[order.number])).content.decode()
    for body in (thank_you.content.decode(), detail):
        assert f'href="{page_url}"' in body and "/shop/catalogue/" not in body
        # The phone as Vietnamese write it, not E.164 (stored as E.164 all the same).
        assert "0905 123 456" in body and "+84905123456" not in body
    assert order.shipping_address.phone_number.as_e164 == "+84905123456"
    body = thank_you.content.decode()
    assert "<dd>Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam</dd>" in body and "(BIN)" not in body
    assert '<dd class="account-number">0011001234567</dd>' in body
    # The raw payload once, in its wrapping box (not in Oscar's one-line "reference: …").
    assert body.count(order.sources.get().reference) == 1

    # The page withdrawn: the line names the product, without a link to a dead end.
    tree.product_a.unpublish()
    detail = client.get(reverse("customer:order", args=[order.number])).content.decode()
    assert tree.product_a.title in detail and f'href="{page_url}"' not in detail


def test_the_province_comes_first_and_places_sort_in_vietnamese_order(tree, client):
    for code, name in (("04", "Cao Bằng"), ("96", "Cà Mau"), ("01", "Thành phố Hà Nội"), ("66", "Đắk Lắk")):
        Province.objects.get_or_create(code=code, defaults={"name": name, "slug": f"p-{code}"})
    ca_mau = Province.objects.get(code="96")
    for code, name in (
        ("99001", "Xã Đá Bạc"),
        ("99002", "Xã Cao Phong"),
        ("99003", "Phường Cà Lồ"),
        ("99004", "Xã Bình Minh"),
    ):
        Commune.objects.create(code=code, name=name, province=ca_mau)

    form = ShippingAddressForm()
    fields = list(form.fields)
    assert fields.index("state") < fields.index("line4")
    provinces = [value for value, _ in form.fields["state"].choices][1:]
    assert provinces == ["Cà Mau", "Cao Bằng", "Đắk Lắk", "Thành phố Hà Nội", "Lâm Đồng"]
    groups = dict(form.fields["line4"].choices[1:])
    assert list(groups) == ["Cà Mau", "Lâm Đồng"]
    assert [name for name, _ in groups["Cà Mau"]] == ["Xã Bình Minh", "Phường Cà Lồ", "Xã Cao Phong", "Xã Đá Bạc"]

    client.force_login(tree.consumer)
    add(client, tree.product_a)
    body = client.get(reverse("checkout:shipping-address")).content.decode()
    assert body.index('name="state"') < body.index('name="line4"')
