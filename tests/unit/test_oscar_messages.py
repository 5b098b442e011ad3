"""Oscar messages missing from Oscar's Vietnamese catalogue are translated by ours."""

from django.utils import translation
from django.utils.translation import ngettext


def merged(n):
    return ngettext(
        "We have merged %(num_items_merged)d item from a previous session to your basket.",
        "We have merged %(num_items_merged)d items from a previous session to your basket.",
        n,
    ) % {"num_items_merged": n}


def test_the_basket_merge_message_is_vietnamese():
    with translation.override("vi"):
        assert merged(2) == "Đã gộp 2 sản phẩm từ phiên mua sắm trước vào giỏ hàng của bạn."
    with translation.override("en"):
        assert merged(1) == "We have merged 1 item from a previous session to your basket."
