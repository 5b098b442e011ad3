"""The Content-Security-Policy in Chromium: the public pages a customer goes through, from
the home page to the order confirmation, run and render with no violation.

Chromium reports each violation twice: a `securitypolicyviolation` event in the page and a
console error ("Refused to ..."). The console is watched for the whole journey; a check at
the end injects a real violation to show that the watch sees one.
"""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import demo_accounts
from tests.e2e.conftest import field, fill_shipping_address

pytestmark = pytest.mark.browser

PRODUCT = "Cà phê bột Đắk Đam"
PRODUCT_URL = "/chu-the/htx-cong-bang-thuan-an/ca-phe-bot-dak-dam/"


def test_public_pages_have_no_csp_violation(page, journey):
    customer = next(a for a in demo_accounts() if a.role == "consumer")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    policies = {}

    def visit(path, step):
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        policies[step] = response.headers.get("content-security-policy", "")
        page.wait_for_load_state("load")
        journey.shot(page, step)

    visit("/", "home")
    visit("/san-pham/", "product list")
    visit(PRODUCT_URL, "product")
    visit("/search/?q=ca+phe", "search")
    visit("/diem-ban/", "sales points map")
    visit("/thong-ke/", "statistics")  # inline SVG charts: presentation attributes, no style

    page.goto(PRODUCT_URL)
    page.get_by_role("button", name=re.compile("Thêm vào giỏ", re.I)).click()
    expect(page).to_have_url(re.compile(r"/shop/basket/$"))
    journey.shot(page, "basket")

    page.get_by_role("link", name=re.compile("Tiến hành thanh toán", re.I)).first.click()
    login = page.locator("form").filter(has=page.get_by_role("button", name="Đăng nhập", exact=True))
    field(login, "Địa chỉ email").fill(customer.email)
    field(login, "Mật khẩu").fill(customer.password)
    login.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect(page.get_by_role("heading", name="Địa chỉ giao hàng")).to_be_visible()
    journey.shot(page, "checkout shipping address")  # address.js narrows the communes here
    fill_shipping_address(page)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page).not_to_have_url(re.compile(r"shipping-address"))
    if "shipping-method" in page.url:
        page.get_by_role("main").get_by_role("button").first.click()
    page.get_by_role("radio", name=re.compile("khi nhận hàng", re.I)).check()
    journey.shot(page, "checkout payment")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/shop/checkout/preview/"))
    journey.shot(page, "checkout preview")
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"Đơn hàng \d+"))).to_be_visible()
    journey.shot(page, "checkout thank you")  # print.js binds the print button here

    for step, policy in policies.items():
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, step
    assert violations == []

    # The watch works: an inline style added now is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{}'; document.head.append(s); }"
    )
    page.wait_for_timeout(300)
    assert len(violations) == 1 and "style-src" in violations[0]
