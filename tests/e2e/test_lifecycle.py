"""After certification, in Chromium: an official opens this year's inspections, follows the
one that proposes revocation to the revocation form (ground and deadline filled in), records
the decision; the product's page then says it is no longer an OCOP product and why, and the
product list and the search no longer show it. On a phone, the page reads the same."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cms.demo import demo_accounts, read_csv
from tests.e2e.test_evaluation import log_in

pytestmark = pytest.mark.browser


def proposed_revocation():
    """The demo inspection proposing a revocation not yet decided (fixtures/inspections_demo.csv)."""
    revoked = {r["slug"] for r in read_csv("products.csv") if r["revoked"] == "1"}
    row = next(
        r for r in read_csv("inspections_demo.csv") if r["outcome"] == "revoke" and r["product_slug"] not in revoked
    )
    product = next(r for r in read_csv("products.csv") if r["slug"] == row["product_slug"])
    return row, product


def test_revocation_after_inspection(page, journey):
    inspection, product = proposed_revocation()
    official = next(a for a in demo_accounts() if a.role == "official")
    inspected_on = datetime.date.today() - datetime.timedelta(days=int(inspection["days_ago"]))

    log_in(page, official)
    page.goto(f"/admin/snippets/lifecycle/inspection/?year={inspected_on.year}")
    expect(page.get_by_role("heading", name=re.compile("Kiểm tra sau chứng nhận"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text=product["name"])
    journey.shot(page, "inspections")
    row.get_by_role("link", name=re.compile("^Thu hồi")).click()

    expect(page.get_by_role("heading", name="Thu hồi giấy chứng nhận")).to_be_visible()
    expect(page.get_by_label(re.compile("^Căn cứ"))).to_have_value("mark_misuse")
    expect(page.get_by_text("Hạn quyết định")).to_be_visible()
    page.get_by_label("Số quyết định thu hồi").fill("88/QĐ-UBND")
    journey.shot(page, "revocation-form")
    page.get_by_role("button", name="Thu hồi giấy chứng nhận").click()
    expect(page.get_by_text(re.compile("Đã thu hồi giấy chứng nhận"))).to_be_visible()
    journey.shot(page, "revoked")

    # The public sees it at once, on a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/?q=" + product["name"])
    expect(page.locator(f'a[href$="/{product["slug"]}/"]')).to_have_count(0)
    page.goto("/san-pham/")
    expect(page.locator(f'a[href$="/{product["slug"]}/"]')).to_have_count(0)
    page.goto(f"/chu-the/{product['producer_slug']}/{product['slug']}/")
    notice = page.locator("section.certificate")
    expect(notice).to_contain_text("Sản phẩm này không còn là sản phẩm OCOP")
    expect(notice).to_contain_text("88/QĐ-UBND")
    expect(notice).to_contain_text("Sử dụng sai biểu trưng")
    expect(notice).not_to_contain_text("★")
    expect(page.locator("form.add-to-basket")).to_have_count(0)
    journey.shot(page, "public-page")
