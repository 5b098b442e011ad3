"""VietQR (NAPAS 247) bank-transfer payloads: the wire format, nothing else.

A pure module (no Django, no database): it builds the EMVCo merchant-presented QR payload
that Vietnamese banking apps read to pre-fill a transfer. Tags, as NAPAS specifies them:

    00 "01"                      payload format indicator
    01 "12"                      point of initiation: dynamic (an amount is given)
    38 { 00 "A000000727"         NAPAS's application id
         01 { 00 bank BIN (6 digits), 01 account number }
         02 "QRIBFTTA" }         service: transfer to an account
    53 "704"                     currency: VND
    54 amount                    whole đồng
    58 "VN"                      country
    62 { 08 purpose }            at most 25 characters; we put the order number in it
    63 CRC                       CRC-16/CCITT-FALSE over everything before it, "6304" included

Each field is ID (2 digits) + length (2 digits) + value.

The banks' names by BIN (NAPAS's bank identification numbers, as VietQR's published bank
list gives them) are data: vietqr_banks.csv beside this file.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
PURPOSE_MAX_LENGTH = 25
# Purpose text travels through every bank's app; plain ASCII letters, digits and spaces are
# the safe set (diacritics and punctuation are dropped or mangled by some banks).
_PURPOSE_RE = re.compile(r"^[A-Za-z0-9 ]+$")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class Account:
    """The shop's receiving bank account."""

    bank_bin: str
    number: str
    name: str = ""

    def __post_init__(self):
        if not re.fullmatch(r"\d{6}", self.bank_bin or ""):
            raise ValueError("the bank BIN is 6 digits")
        if not re.fullmatch(r"[0-9A-Za-z]{1,19}", self.number or ""):
            raise ValueError("the account number is 1 to 19 letters or digits")

    @property
    def bank(self):
        """The bank's name from its BIN ("" when the BIN is not in the table)."""
        return bank_name(self.bank_bin)


@cache
def banks():
    """{BIN: (short name, full name)} from vietqr_banks.csv."""
    with open(Path(__file__).with_name("vietqr_banks.csv"), encoding="utf-8", newline="") as f:
        return {row["bin"]: (row["short_name"], row["name"]) for row in csv.DictReader(f)}


def bank_name(bank_bin: str) -> str:
    """ "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam" for 970436; "" for a BIN not listed."""
    short, name = banks().get(bank_bin, ("", ""))
    return f"{short} – {name}" if short else ""


def payload(account: Account, amount, purpose: str) -> str:
    """The dynamic payload for a transfer of `amount` whole đồng with `purpose`."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        # Decimal("125000") is accepted only when it is whole; 125000.5 never is.
        try:
            whole = int(amount)
        except (TypeError, ValueError) as exc:
            raise ValueError("the amount must be a whole number of đồng") from exc
        if isinstance(amount, bool) or whole != amount:
            raise ValueError("the amount must be a whole number of đồng")
        amount = whole
    if amount <= 0:
        raise ValueError("the amount must be positive")
    if not purpose or len(purpose) > PURPOSE_MAX_LENGTH or not _PURPOSE_RE.match(purpose):
        raise ValueError(f"the purpose is 1 to {PURPOSE_MAX_LENGTH} ASCII letters, digits or spaces")
    beneficiary = field("00", account.bank_bin) + field("01", account.number)
    merchant = field("00", NAPAS_GUID) + field("01", beneficiary) + field("02", SERVICE_TO_ACCOUNT)
    body = (
        field("00", "01")
        + field("01", "12")
        + field("38", merchant)
        + field("53", CURRENCY_VND)
        + field("54", str(amount))
        + field("58", COUNTRY)
        + field("62", field("08", purpose))
        + "6304"
    )
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def purpose_for(order_number: str) -> str:
    """The transfer purpose for an order: what the shop looks for on its bank statement."""
    return f"OCOP {order_number}"[:PURPOSE_MAX_LENGTH]


def svg(data: str) -> str:
    """The payload as an inline SVG QR image (error correction M, as banks print them)."""
    import segno

    return segno.make(data, error="m", micro=False).svg_inline(scale=4, border=4)
