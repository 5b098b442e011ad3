"""The VietQR payload, decoded field by field, as a banking app would read it."""

from decimal import Decimal

import pytest

from storefront.payment import vietqr

ACCOUNT = vietqr.Account(bank_bin="970436", number="0011001234567", name="HTX OCOP")


def decode(text):
    """TLV → {tag: value}, checking that the lengths add up exactly."""
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i : i + 2], int(text[i + 2 : i + 4])
        value = text[i + 4 : i + 4 + length]
        assert len(value) == length, f"field {tag} is cut short"
        assert tag not in fields, f"field {tag} twice"
        fields[tag] = value
        i += 4 + length
    assert i == len(text)
    return fields


def test_crc_known_vector():
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1


def test_every_field_and_the_checksum():
    text = vietqr.payload(ACCOUNT, 1250000, "OCOP 100042")
    fields = decode(text)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    merchant = decode(fields["38"])
    assert merchant == {"00": "A000000727", "01": merchant["01"], "02": "QRIBFTTA"}
    assert decode(merchant["01"]) == {"00": "970436", "01": "0011001234567"}
    assert fields["53"] == "704"
    assert fields["54"] == "1250000"
    assert fields["58"] == "VN"
    assert decode(fields["62"]) == {"08": "OCOP 100042"}
    assert text[-8:-4] == "6304"
    assert fields["63"] == f"{vietqr.crc16_ccitt_false(text[:-4].encode()):04X}"
    assert fields["63"] == fields["63"].upper() and len(fields["63"]) == 4


def test_a_whole_decimal_amount_is_accepted():
    assert decode(vietqr.payload(ACCOUNT, Decimal("185000.00"), "OCOP 1"))["54"] == "185000"


@pytest.mark.parametrize("amount", [Decimal("1000.5"), 1000.5, -1000, 0, "1000", None, True])
def test_a_fractional_negative_or_non_number_amount_is_refused(amount):
    with pytest.raises(ValueError):
        vietqr.payload(ACCOUNT, amount, "OCOP 1")


@pytest.mark.parametrize("purpose", ["", "x" * 26, "Đơn hàng 1", "OCOP#1"])
def test_a_wrong_or_over_long_purpose_is_refused(purpose):
    with pytest.raises(ValueError):
        vietqr.payload(ACCOUNT, 1000, purpose)


def test_a_25_character_purpose_is_accepted():
    assert decode(decode(vietqr.payload(ACCOUNT, 1000, "x" * 25))["62"])["08"] == "x" * 25


@pytest.mark.parametrize("bank_bin, number", [("97043", "1"), ("97043a", "1"), ("970436", ""), ("970436", "1" * 20)])
def test_a_malformed_account_is_refused(bank_bin, number):
    with pytest.raises(ValueError):
        vietqr.Account(bank_bin=bank_bin, number=number)


def test_the_order_purpose_fits():
    assert vietqr.purpose_for("100042") == "OCOP 100042"
    assert len(vietqr.purpose_for("9" * 40)) == 25


def test_the_svg_is_a_qr_image():
    svg = vietqr.svg(vietqr.payload(ACCOUNT, 1000, "OCOP 1"))
    assert svg.startswith("<svg") and "path" in svg


def test_the_bank_shows_by_its_name_from_the_table():
    assert ACCOUNT.bank == "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam"
    assert vietqr.bank_name("970418").startswith("BIDV – ")
    assert vietqr.bank_name("999999") == ""  # not listed: the page falls back to the BIN
    assert all(len(bin_) == 6 and bin_.isdigit() for bin_ in vietqr.banks())
