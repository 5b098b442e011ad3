import pytest

from catalog.money import format_vnd


@pytest.mark.parametrize(
    "amount, language, text",
    [
        (125000, "vi", "125.000\u00a0₫"),
        (125000, "en", "₫125,000"),
        (0, "vi", "0\u00a0₫"),
        ("1234567.5", "vi", "1.234.568\u00a0₫"),  # never a fraction
        (999, "en", "₫999"),
    ],
)
def test_vnd_format(amount, language, text):
    assert format_vnd(amount, language) == text


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("amount", ["0", "999", "125000", "1234567", "125000.40"])
def test_oscar_shop_pages_show_the_same_format(amount, language):
    """Oscar's own templates use its currency filter: it must agree with ours."""
    from decimal import Decimal

    from django.utils import translation
    from oscar.templatetags.currency_filters import currency

    with translation.override(language):
        assert currency(Decimal(amount), "VND") == format_vnd(amount, language)
