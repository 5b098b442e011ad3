"""Order and line statuses are shown by their label (Vietnamese, or English), never as codes."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from storefront import statuses
from tests.shop import add, checkout, messages_of

pytestmark = pytest.mark.django_db

VIETNAMESE = {
    "pending": "Chờ xử lý",
    "processing": "Đang xử lý",
    "shipped": "Đang giao",
    "delivered": "Đã giao",
    "cancelled": "Đã hủy",
}


@pytest.mark.parametrize("code", list(settings.OSCAR_ORDER_STATUS_PIPELINE))
def test_every_pipeline_status_has_a_label_in_both_languages(code):
    with translation.override("vi"):
        assert statuses.label(code) == VIETNAMESE[code]
    with translation.override("en"):
        english = str(statuses.label(code))
    assert english not in (code, VIETNAMESE[code]) and english[0].isupper()
    assert set(settings.OSCAR_LINE_STATUS_PIPELINE) <= set(statuses.LABELS)


def test_customers_and_producers_see_labels(tree, client):
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    with translation.override("vi"):
        order = checkout(client, "cod").context["order"]
        page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert '<p class="order-status">Chờ xử lý</p>' in page and ">pending<" not in page

    client.force_login(tree.producer_user_a)
    with translation.override("vi"):
        page = client.get(reverse("producer-orders")).content.decode()
        assert "Chờ xử lý" in page and '<option value="processing">Đang xử lý</option>' in page
        line = order.lines.get()
        response = client.post(reverse("producer-line-status", args=[line.pk]), {"status": "processing"})
    assert "“Đang xử lý”" in messages_of(response)
