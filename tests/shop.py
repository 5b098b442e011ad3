"""Helpers that drive Oscar's checkout with the test client, step by step."""

from django.contrib.messages import get_messages
from django.urls import reverse

from storefront.partner import sync

ADDRESS = {
    "first_name": "Nguyễn Thị",
    "last_name": "Lan",
    "line1": "12 Lê Lợi",
    "line4": "Phường Xuân Hương - Đà Lạt",
    "state": "Lâm Đồng",
    "phone_number": "0912 345 678",
}


def product_of(page):
    """The Oscar product that sells the page."""
    return sync.product_for(page)


def add(client, page, quantity=1):
    response = client.post(reverse("basket:add", args=[product_of(page).pk]), {"quantity": quantity})
    assert response.status_code == 302


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def checkout(client, method, address=ADDRESS):
    """Walk the checkout; return the thank-you response."""
    response = client.get(reverse("checkout:index"))
    assert response.status_code == 302 and response.url == reverse("checkout:shipping-address"), response
    response = client.post(reverse("checkout:shipping-address"), address)
    assert response.status_code == 302, response.context["form"].errors
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 302  # one method: chosen for the customer
    response = client.get(reverse("checkout:payment-method"))
    assert response.status_code == 302 and response.url == reverse("checkout:payment-details")
    response = client.get(reverse("checkout:payment-details"))
    assert response.status_code == 200
    assert "payment-method-form" in response.content.decode()
    response = client.post(reverse("checkout:preview"), {"method": method})
    assert response.status_code == 200 and response.context["view"].preview, response.content.decode()[:2000]
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("checkout:thank-you"), messages_of(response)
    return client.get(reverse("checkout:thank-you"))


def decode(text):
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        fields[tag] = text[i + 4 : i + 4 + length]
        i += 4 + length
    return fields
