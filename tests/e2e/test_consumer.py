"""The consumer's journey in Chromium: search without diacritics, narrow by district, open a
product, put two in the basket, check out with cash on delivery as the demo customer, and find
the order in the account."""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import demo_accounts
from tests.e2e.conftest import field, fill_shipping_address

pytestmark = pytest.mark.browser

PRODUCT = "Cà phê bột Đắk Đam"  # fixtures/products.csv: 120.000 ₫, Huyện Đắk Mil (Đắk Nông)
ELSEWHERE = "Cà phê Robusta Bàu Cạn"  # also found by "ca phe", but in Huyện Chư Prông (Gia Lai)


def test_consumer(page, journey):
    customer = next(a for a in demo_accounts() if a.role == "consumer")

    page.goto("/")
    expect(page.get_by_role("main")).to_be_visible()
    journey.shot(page, "home")

    # Search, typed without diacritics in the header's box (a combobox: it suggests as one
    # types, tests/e2e/test_layout.py); Enter without a choice is the plain search.
    box = page.get_by_role("banner").get_by_role("combobox", name=re.compile("Tìm"))
    box.fill("ca phe")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?(.*&)?q=ca(\+|%20)phe"))
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name=PRODUCT, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=ELSEWHERE, exact=True)).to_be_visible()
    journey.shot(page, "search ca phe")

    page.get_by_role("link", name=re.compile(r"^Huyện Đắk Mil\b")).first.click()
    expect(page).to_have_url(re.compile(r"district=dak-mil"))
    expect(results.get_by_role("link", name=PRODUCT, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=ELSEWHERE, exact=True)).to_have_count(0)
    journey.shot(page, "filter district")

    results.get_by_role("link", name=PRODUCT, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=PRODUCT)).to_be_visible()
    expect(page.get_by_text("120.000 ₫").filter(visible=True).first).to_be_visible()
    journey.shot(page, "product")

    field(page, "Số lượng").fill("2")
    page.get_by_role("button", name=re.compile("Thêm vào giỏ", re.I)).click()
    expect(page).to_have_url(re.compile(r"/shop/basket/$"))
    expect(page.get_by_role("link", name=PRODUCT).first).to_be_visible()
    expect(page.get_by_text("240.000 ₫").filter(visible=True).first).to_be_visible()  # 2 × 120.000 ₫
    journey.shot(page, "basket")

    page.get_by_role("link", name=re.compile("Tiến hành thanh toán", re.I)).first.click()
    # Guest checkout is off: the demo customer logs in on the way.
    login = page.locator("form").filter(has=page.get_by_role("button", name="Đăng nhập", exact=True))
    field(login, "Địa chỉ email").fill(customer.email)
    field(login, "Mật khẩu").fill(customer.password)
    journey.shot(page, "log in")
    login.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect(page.get_by_role("heading", name="Địa chỉ giao hàng")).to_be_visible()
    fill_shipping_address(page)
    journey.shot(page, "shipping address")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page).not_to_have_url(re.compile(r"shipping-address"))
    if "shipping-method" in page.url:  # shown only when there is more than one method
        journey.shot(page, "shipping method")
        page.get_by_role("main").get_by_role("button").first.click()
    method = page.get_by_role("radio", name=re.compile("khi nhận hàng", re.I))
    method.check()
    journey.shot(page, "payment method")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page).to_have_url(re.compile(r"/shop/checkout/preview/"))
    expect(page.get_by_text(re.compile("Thanh toán khi nhận hàng")).filter(visible=True).first).to_be_visible()
    journey.shot(page, "preview")
    page.get_by_role("button", name="Đặt hàng").click()

    confirmation = page.get_by_role("heading", level=1, name=re.compile(r"Đơn hàng \d+"))
    expect(confirmation).to_be_visible()
    number = re.search(r"\d+", confirmation.inner_text()).group()
    expect(page.get_by_text(PRODUCT).filter(visible=True).first).to_be_visible()
    journey.shot(page, "confirmation")

    page.goto("/shop/accounts/orders/")
    expect(page.get_by_role("link", name=number)).to_be_visible()
    journey.shot(page, "order history")
