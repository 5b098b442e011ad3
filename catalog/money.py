"""Money is whole Vietnamese đồng. One formatter for every place a price is shown:
`125.000 ₫` in Vietnamese, `₫125,000` in English."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation


def to_dong(amount):
    """Round any amount to whole đồng (VND has no minor unit)."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_vnd(amount, language=None):
    if amount is None or amount == "":
        return ""
    dong = to_dong(amount)
    language = (language or translation.get_language() or "vi").split("-")[0]
    sign, digits = ("-" if dong < 0 else ""), f"{abs(dong):,}"
    if language == "vi":
        return f"{sign}{digits.replace(',', '.')}\u00a0₫"
    return f"{sign}₫{digits}"
