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
