"""The producer's journey in Chromium: log in to the Wagtail admin, edit the story and price of
their own product page, submit it to the officials' moderation workflow, and see that the change
waits for approval while the public page still shows what was published."""

import re

import pytest
from playwright.sync_api import expect

from catalog.money import format_vnd
from cms import roles
from cms.demo import demo_accounts, read_csv

pytestmark = pytest.mark.browser

NEW_SENTENCE = "Vụ mùa năm nay cho quả to và dẻo hơn."


def test_producer(page, journey, demo_site):
    producer = next(a for a in demo_accounts() if a.role == "producer")
    product = next(p for p in read_csv("products.csv") if p["producer_slug"] == producer.producer_slug)
    old_price, new_price = int(product["price_vnd"]), int(product["price_vnd"]) + 5000

    page.goto("/admin/")
    page.get_by_role("textbox", name=re.compile(r"^(Tên đăng nhập|Username)", re.I)).fill(producer.username)
    page.get_by_role("textbox", name=re.compile(r"^(Mật khẩu|Password)", re.I)).fill(producer.password)
    journey.shot(page, "log in")
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    journey.shot(page, "dashboard")

    # Find the product through the admin's search, then open its edit form.
    search = page.get_by_role("main").get_by_role("search").get_by_role("textbox")
    search.fill(product["name"])
    search.press("Enter")
    page.get_by_role("link", name=product["name"], exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    journey.shot(page, "edit form")

    story = page.get_by_role("region", name=re.compile("Câu chuyện")).get_by_role("textbox").first
    story.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" " + NEW_SENTENCE)
    price = page.get_by_role("spinbutton", name=re.compile(r"^Giá"))
    expect(price).to_have_value(str(old_price))
    price.fill(str(new_price))
    journey.shot(page, "edited")

    # Producers hold no publish permission: the footer offers the officials' workflow.
    page.get_by_role("button", name=re.compile("More actions|Thao tác khác", re.I)).click()
    expect(page.get_by_role("button", name=re.compile(r"^(Publish|Xuất bản)$"))).to_have_count(0)
    page.get_by_role("button", name=re.compile(re.escape(roles.WORKFLOW_NAME))).click()
    expect(page.get_by_text(re.compile("submitted for moderation|đã được gửi", re.I)).first).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=product["name"], exact=True))
    expect(row).to_contain_text(re.compile("in moderation|đang chờ duyệt|chờ kiểm duyệt", re.I))
    journey.shot(page, "submitted")

    # Not published yet: visitors still see the old story and price.
    public = page.context.new_page()
    public.goto(row.get_by_role("link", name=re.compile("live|trực tuyến", re.I)).first.get_attribute("href"))
    expect(public.get_by_role("heading", level=1, name=product["name"])).to_be_visible()
    expect(public.get_by_text(format_vnd(old_price, "vi")).first).to_be_visible()
    expect(public.get_by_text(format_vnd(new_price, "vi"))).to_have_count(0)
    expect(public.get_by_text(NEW_SENTENCE)).to_have_count(0)
    journey.shot(public, "public page unchanged")
