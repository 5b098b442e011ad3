"""The layout on a phone (390×844) and a desktop (1280×800), and search as you type.

Each page is shot at both sizes (test-artifacts/layout-*/NN-<page>-<size>.png) and checked for
what a user meets first: no page wider than the screen (no sideways scrolling), the first
product of a listing on a phone's first screen, a product's buy button on the first screen at
both sizes. The shopper's journey places a cash-on-delivery order (for the demo producer's
product) to reach the thank-you page; the producer's orders page comes after it.
"""

import re

import pytest
from playwright.sync_api import expect

from cms.demo import demo_accounts
from tests.e2e.conftest import field, fill_shipping_address

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
PRODUCT = "Cà phê bột Đắk Đam"
PRODUCT_URL = "/chu-the/htx-cong-bang-thuan-an/ca-phe-bot-dak-dam/"
# The demo producer's (chuthe, fixtures/demo_accounts.csv): its orders page then has a line.
BOUGHT_URL = "/chu-the/htx-bo-nui-lua-krong-no/bo-nui-lua-krong-no/"


def account(role):
    return next(a for a in demo_accounts() if a.role == role)


def no_wider_than_the_screen(page, name, size):
    widths = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, screen: window.innerWidth,
                  wide: [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))})"""
    )
    assert widths["page"] <= widths["screen"], f"{name} at {size}: {widths}"


def on_first_screen(page, locator):
    """Whether the element lies wholly within the first screen (the page scrolled to the top)."""
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def at_both_sizes(page, journey, name, check=None):
    """Shoot the page as a phone and as a desktop, each time with the width check (and `check`)."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        journey.shot(page, f"{name}-{size}")  # first: a failing page is in the artifacts too
        no_wider_than_the_screen(page, name, size)
        if check:
            check(size)
    page.set_viewport_size(DESKTOP)


def log_in(page, who):
    page.goto("/shop/accounts/login/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Đăng nhập", exact=True))
    field(form, "Địa chỉ email").fill(who.email)
    field(form, "Mật khẩu").fill(who.password)
    form.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_shopper_pages(page, journey):
    page.goto("/")
    menu = page.locator("details.site-menu")
    producers = page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Chủ thể OCOP")

    def home(size):
        # A compact header: on a phone the menu is folded behind its button.
        header = page.locator(".site-header").bounding_box()
        if size == "phone":
            assert header["height"] <= 0.25 * PHONE["height"], f"the header takes {header['height']} px"
            expect(producers).to_be_hidden()
        else:
            expect(menu.locator("summary")).to_be_hidden()
            expect(producers).to_be_visible()

    at_both_sizes(page, journey, "home", home)
    page.set_viewport_size(PHONE)
    menu.locator("summary").click()
    expect(producers).to_be_visible()
    no_wider_than_the_screen(page, "menu", "phone")
    page.screenshot(path=journey.folder / "menu-phone.png")
    page.set_viewport_size(DESKTOP)

    page.goto("/san-pham/")
    first = page.locator(".product-card").first
    filters = page.locator("details.filters-fold")

    def listing(size):
        expect(page.get_by_text(re.compile(r"^\d+ sản phẩm$"))).to_be_visible()  # the count
        if size == "phone":
            expect(filters.locator("summary")).to_be_visible()
            expect(filters.locator(".facets")).to_be_hidden()
            assert on_first_screen(page, first.get_by_role("heading")), "first product below a phone's first screen"
        else:
            expect(filters.locator(".facets")).to_be_visible()

    at_both_sizes(page, journey, "list", listing)
    page.set_viewport_size(PHONE)
    filters.locator("summary").click()  # the filters unfold
    expect(filters.get_by_role("heading", name="Tỉnh/thành phố")).to_be_visible()
    page.set_viewport_size(DESKTOP)

    page.goto(BOUGHT_URL)
    buy = page.get_by_role("button", name=re.compile("Thêm vào giỏ", re.I))

    def product(size):
        assert on_first_screen(page, buy), f"the buy button is below the first screen ({size})"
        assert on_first_screen(page, page.locator(".buy .price")), f"the price is below the first screen ({size})"

    at_both_sizes(page, journey, "product", product)

    log_in(page, account("consumer"))
    page.goto(BOUGHT_URL)
    buy.click()
    expect(page).to_have_url(re.compile(r"/shop/basket/$"))
    at_both_sizes(page, journey, "basket")

    page.goto("/shop/checkout/shipping-address/")
    expect(page.get_by_role("heading", name="Địa chỉ giao hàng")).to_be_visible()
    at_both_sizes(page, journey, "checkout")

    fill_shipping_address(page)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page).not_to_have_url(re.compile(r"shipping-address"))
    if "shipping-method" in page.url:
        page.get_by_role("main").get_by_role("button").first.click()
    page.get_by_role("radio", name=re.compile("khi nhận hàng", re.I)).check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"Đơn hàng \d+"))).to_be_visible()
    at_both_sizes(page, journey, "thank-you")

    # The customer follows the order from there: its steps, payment, and the way to cancel.
    page.get_by_role("link", name="Theo dõi đơn hàng").click()
    expect(page.get_by_role("link", name=re.compile("Hủy đơn hàng"))).to_be_visible()
    at_both_sizes(page, journey, "order")


def test_producer_orders(page, journey):
    log_in(page, account("producer"))
    response = page.goto("/shop/producer/orders/")
    assert response.status == 200 and "/login" not in page.url
    expect(page.get_by_role("main")).to_be_visible()
    at_both_sizes(page, journey, "producer-orders")


def test_search_as_you_type(page, journey):
    page.set_viewport_size(PHONE)
    page.goto("/")
    box = page.get_by_role("combobox", name=re.compile("Tìm"))
    box.press_sequentially("ca phe", delay=40)
    listbox = page.get_by_role("listbox", name="Gợi ý")
    option = listbox.get_by_role("option", name=PRODUCT)
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    no_wider_than_the_screen(page, "suggestions", "phone")
    page.screenshot(path=journey.folder / "suggestions-phone.png")

    # Down to the product with the keyboard, then Enter opens its page.
    names = listbox.get_by_role("option").all_inner_texts()
    for _ in range(names.index(PRODUCT) + 1):
        box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    expect(page.get_by_role("heading", level=1, name=PRODUCT)).to_be_visible()
    assert page.url.endswith(PRODUCT_URL)

    # Escape closes the list; without a choice, Enter is the plain search.
    box = page.get_by_role("combobox", name=re.compile("Tìm"))
    box.press_sequentially("mat ong", delay=40)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=mat(\+|%20)ong"))
