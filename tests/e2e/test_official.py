"""The official's journey in Chromium: log in to the Wagtail admin, write and publish an
announcement, and find it on the home page and in the RSS and Atom feeds that the
announcements page advertises."""

import re
import time
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from cms.demo import demo_accounts

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"


def test_official(page, journey):
    official = next(a for a in demo_accounts() if a.role == "official")
    title = f"Hội chợ OCOP Lâm Đồng – đợt {int(time.time()) % 100000}"

    page.goto("/admin/")
    page.get_by_role("textbox", name=re.compile(r"^(Tên đăng nhập|Username)", re.I)).fill(official.username)
    page.get_by_role("textbox", name=re.compile(r"^(Mật khẩu|Password)", re.I)).fill(official.password)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    journey.shot(page, "dashboard")

    # The page explorer: home page, then the announcements page, then "add child page" (the only
    # page type allowed there, so Wagtail opens its form at once).
    page.goto("/admin/pages/")
    page.get_by_role("link", name=re.compile(r"^Explore child pages of|^Xem các trang con")).first.click()
    page.get_by_role("link", name=re.compile(r"(Explore child pages of|Xem các trang con).*Tin tức")).click()
    page.get_by_role("link", name=re.compile("Add child page|Thêm trang con", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/cms/announcementpage/\d+/"))

    page.get_by_role("textbox", name=re.compile(r"^Tiêu đề")).fill(title)
    page.get_by_role("textbox", name="Tóm tắt").fill("Mời các chủ thể OCOP đăng ký gian hàng trước ngày 5/12.")
    page.get_by_role("button", name=re.compile("Chuyên mục")).click()
    page.get_by_role("dialog").get_by_role("link", name="Thông báo", exact=True).click()
    body = page.get_by_role("region", name="Nội dung")
    body.get_by_role("button", name=re.compile("Insert a block|Chèn", re.I)).first.click()
    page.get_by_role("option", name="Đoạn văn").click()
    body.get_by_role("textbox").first.fill("Hội chợ diễn ra tại Đà Lạt từ ngày 10 đến 14 tháng 12.")
    journey.shot(page, "new announcement")

    page.get_by_role("button", name=re.compile("More actions|Thao tác khác", re.I)).click()
    page.get_by_role("button", name=re.compile(r"^(Publish|Xuất bản)$")).click()
    expect(page.get_by_text(re.compile("created and published|đã được tạo và xuất bản", re.I)).first).to_be_visible()
    journey.shot(page, "published")

    page.goto("/")
    news = page.get_by_role("link", name=title, exact=True)
    expect(news).to_be_visible()
    journey.shot(page, "home page")
    news.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    journey.shot(page, "announcement")

    # The feeds, found the way a feed reader finds them: the announcement list's <link rel=alternate>.
    page.get_by_role("navigation").get_by_role("link", name=re.compile("Tin tức")).first.click()
    feeds = {
        kind: page.locator(f'link[rel="alternate"][type="application/{kind}+xml"]').get_attribute("href")
        for kind in ("rss", "atom")
    }
    rss = ET.fromstring(page.request.get(feeds["rss"]).body())
    assert title in [item.findtext("title") for item in rss.iter("item")]
    atom = ET.fromstring(page.request.get(feeds["atom"]).body())
    assert title in [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")]
    page.goto(feeds["rss"])
    journey.shot(page, "rss feed")
