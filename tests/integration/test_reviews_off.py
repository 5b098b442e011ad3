"""Oscar's product reviews are switched off (OSCAR_HIDDEN_FEATURES, issue 10).

They were open to anonymous visitors, published at once and answered 500 on an invalid
submission. Nothing on the site links to them: their URLs are gone, for everyone.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.shop import product_of

pytestmark = pytest.mark.django_db


def review_urls(product):
    base = f"/shop/catalogue/{product.slug}_{product.pk}/reviews/"
    return [base, base + "add/", base + "1/", base + "1/vote/"]


def test_review_urls_are_gone_for_everyone(tree, client):
    product = product_of(tree.product_a)
    with pytest.raises(NoReverseMatch):
        reverse("catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk})
    for user in (None, tree.consumer, tree.official):
        if user:
            client.force_login(user)
        for url in review_urls(product):
            assert client.get(url).status_code == 404, url
            # The invalid submission that used to be a 500 (`as_stars` on a string).
            response = client.post(url, {"title": "x", "score": "abc", "body": "<script>", "name": "", "email": "x"})
            assert response.status_code == 404, url


def test_the_order_page_offers_no_review(tree, client):
    from tests.shop import add, checkout

    client.force_login(tree.consumer)
    add(client, tree.product_a)
    order = checkout(client, "cod").context["order"]
    body = client.get(reverse("customer:order", args=[order.number])).content.decode()
    assert "/reviews/" not in body
