"""Malformed input answers 400 with a clear message, never a 500 (issue 10).

A NUL byte or invalid UTF-8 in the path, a query parameter or a form field is refused
before any view runs (storefront.middleware.RejectMalformedInputMiddleware); on
PostgreSQL a NUL reaching a query used to raise ValueError, a 500.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.shop import add

pytestmark = pytest.mark.django_db

MESSAGE_VI = "không phải văn bản UTF-8 hợp lệ"


QUERIES = ["q=%00", "q=abc%00def", "%00=1", "q=%FF%FE", "q=%C3", "q=caf%E9", "page=1&q=%ED%A0%80"]


@pytest.mark.parametrize("url", ["/search/", "/shop/catalogue/", "/api/search/", "/shop/search/", "/"])
def test_nul_or_broken_utf8_in_a_query_is_a_400(tree, client, url):
    for query in QUERIES:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert MESSAGE_VI in response.content.decode()


def test_the_message_is_english_under_en(tree, client):
    response = client.get("/en/search/?q=%00")
    assert response.status_code == 400
    assert "not valid UTF-8 text or a NUL character" in response.content.decode()


def test_good_vietnamese_text_passes(tree, client):
    assert client.get("/search/", {"q": "mật ong Đà Lạt"}).status_code == 200


def test_nul_in_the_path_is_a_400(tree, client):
    assert client.get("/san-pham/%00/").status_code == 400


def test_nul_or_broken_utf8_in_a_form_field_is_a_400(tree, client):
    login = reverse("customer:login")
    for body in (b"login-username=a%00b&login-password=x", b"login-username=%FF&login-password=x"):
        response = client.post(login, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, body
        assert MESSAGE_VI in response.content.decode()


def test_nul_in_a_multipart_field_is_a_400_but_a_file_may_hold_any_byte(tree, client):
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    url = reverse("customer:address-create")
    response = client.post(url, {"first_name": "A\x00", "last_name": "B"})
    assert response.status_code == 400
    upload = SimpleUploadedFile("x.bin", b"\x00\xff\x00", content_type="application/octet-stream")
    response = client.post(url, {"first_name": "A", "attachment": upload})
    assert response.status_code == 200  # the form answers with its own errors


def test_the_basket_cookie_is_samesite_lax(tree, client):
    from tests.shop import product_of

    response = client.post(reverse("basket:add", args=[product_of(tree.product_a).pk]), {"quantity": 1})
    cookie = response.cookies["oscar_open_basket"]
    assert cookie.value and cookie["samesite"] == "Lax" and cookie["httponly"]


def test_production_sends_the_basket_cookie_over_https_only():
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "storefront" / "settings" / "production.py"
    names = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(source.read_text()).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.endswith("SECURE")
    }
    assert names["OSCAR_BASKET_COOKIE_SECURE"] is True


def test_malformed_ids_and_names_are_4xx_not_500(tree, client):
    """Cases the fuzz test (test_fuzz.py) found as 500s, kept here for both databases."""
    client.force_login(tree.official)
    # A `next` that is not a path here: Wagtail's login tried to reverse it as a URL name.
    response = client.get("/admin/login/?next=-1")
    assert response.status_code == 302 and response.url.startswith("/admin/")
    # An id that is not a number: 400; one too large for SQLite's integers: 400 there,
    # PostgreSQL finds nothing (200, an empty choice).
    url = "/admin/snippets/choose/catalog/product/chosen-multiple/"
    for value in ("abc", ""):
        response = client.get(url, {"id": value})
        assert response.status_code == 400, value
        assert "thiếu giá trị hoặc có giá trị sai định dạng" in response.content.decode()
    assert client.get(url, {"id": "99999999999999999999999"}).status_code in (200, 400)
    # Text the full-text search cannot parse.
    response = client.get("/admin/pages/", {"q": '"><script>alert(1)</script>'})
    assert response.status_code in (200, 400)
    # An order line that does not exist in the customer's order.
    client.force_login(tree.consumer)
    response = client.get("/shop/accounts/orders/100001/999999/")
    assert response.status_code == 404
