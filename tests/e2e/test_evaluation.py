"""The evaluation journey in Chromium, each role with its demo account: the producer files
and submits a dossier with evidence; the commune forwards it with its assessment; the
provincial office accepts it into the open round, records the site visit and opens the
scoring; three council members score it; the approver records a 4★ decision; the product
page shows the new certificate and stars, and search finds it under 4★."""

import csv
import datetime
import re

import pytest
from playwright.sync_api import expect

from catalog.rules_data import DEFAULT_DIR
from cms.demo import demo_accounts, read_csv

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def journey_product():
    return next(r for r in read_csv("evaluation_demo.csv") if not r["state"])


def account(role, n=0):
    return [a for a in demo_accounts() if a.role == role][n]


def log_in(page, who):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_role("textbox", name=re.compile(r"^(Tên đăng nhập|Username)", re.I)).fill(who.username)
    page.get_by_role("textbox", name=re.compile(r"^(Mật khẩu|Password)", re.I)).fill(who.password)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def choices_for_4_stars(sheet_number):
    """{criterion code: option index} scoring 75–85 with every 4★ minimum met, from the
    sheet's fixture: the best option everywhere, then criteria lowered (never below their
    4★ minimum) until the total falls under 86."""
    rows = list(csv.DictReader(open(DEFAULT_DIR / "26-2026" / f"{sheet_number:02d}.csv", encoding="utf-8")))
    criteria = {}
    for row in rows:
        if row["level"] == "criterion":
            current = criteria.setdefault(row["code"], [])
        elif row["level"] == "option":
            current.append((float(row["points"] or 0), int(row["min_stars"] or 0)))
    choice = {code: max(range(len(opts)), key=lambda i: opts[i][0]) for code, opts in criteria.items() if opts}
    total = sum(criteria[c][i][0] for c, i in choice.items())
    for code, options in criteria.items():
        if total < 86 or not options:
            continue
        floor = max([p for p, stars in options if stars and stars <= 4] or [0])
        lowest = min((i for i, (p, _) in enumerate(options) if p >= floor), key=lambda i: options[i][0])
        total -= options[choice[code]][0] - options[lowest][0]
        choice[code] = lowest
    assert 70 <= total < 90, total
    return choice


def tick(page, choice):
    for code, index in choice.items():
        page.locator(f'fieldset[id="criterion-{code}"] input[type=radio]').nth(index).check()


def open_dossier(page, name):
    page.goto("/admin/ho-so/")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/admin/ho-so/\d+/$"))


def test_evaluation(page, journey, demo_site, tmp_path):
    product = journey_product()
    evidence = tmp_path / "giay-chung-nhan-attp.pdf"
    evidence.write_bytes(PDF)

    # The producer files the dossier on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, next(a for a in demo_accounts() if a.producer_slug == product["producer_slug"]))
    page.goto("/admin/ho-so/")
    page.get_by_role("link", name=re.compile("Hồ sơ mới|New dossier")).click()
    page.get_by_label(re.compile("Sản phẩm|Product")).select_option(label=product["name"])
    page.get_by_role("button", name=re.compile("Tạo bản nháp|Create the draft")).click()
    expect(page).to_have_url(re.compile(r"/admin/ho-so/\d+/sua/$"))
    tick(page, choices_for_4_stars(int(product["scoring_set"])))
    page.locator("#evidence-general").set_input_files(str(evidence))
    journey.shot(page, "producer fills the dossier")
    page.get_by_role("button", name=re.compile("Lưu và nộp|Save and submit")).click()
    expect(page.get_by_text(re.compile("đã được nộp|is submitted")).first).to_be_visible()
    expect(page.get_by_role("link", name=evidence.name)).to_be_visible()
    journey.shot(page, "submitted")

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, account("commune"))
    open_dossier(page, product["name"])
    step = page.locator("#step-forward")
    for name in ("commune_raw_materials", "commune_labour", "commune_idea", "commune_identity"):
        step.locator(f'[name="forward-{name}"]').fill("Đạt: nguyên liệu, lao động và ý tưởng của địa phương.")
    journey.shot(page, "commune assessment")
    step.get_by_role("button").click()
    expect(page.get_by_text(re.compile("Văn phòng OCOP tỉnh|provincial OCOP office")).first).to_be_visible()

    log_in(page, account("office"))
    open_dossier(page, product["name"])
    page.locator("#step-accept select").select_option(index=1)
    page.locator("#step-accept").get_by_role("button").click()
    page.locator('#step-record_visit [name="record_visit-visited_on"]').fill(datetime.date.today().isoformat())
    page.locator('#step-record_visit [name="record_visit-notes"]').fill("Cơ sở sản xuất đúng như hồ sơ.")
    page.locator("#step-record_visit").get_by_role("button").click()
    page.locator("#step-open_scoring").get_by_role("button").click()
    expect(page.get_by_text(re.compile("Hội đồng đang chấm điểm|Council scoring")).first).to_be_visible()
    journey.shot(page, "office opens scoring")

    choice = choices_for_4_stars(int(product["scoring_set"]))
    for n in range(3):
        member = account("council", n)
        log_in(page, member)
        open_dossier(page, product["name"])
        page.get_by_role("link", name=re.compile("Chấm điểm hồ sơ|Score this dossier")).click()
        tick(page, choice)
        if n == 0:
            journey.shot(page, "member scores")
        page.get_by_role("button", name=re.compile("Nộp phiếu chấm|Submit my score sheet")).click()
        expect(page.get_by_text(re.compile("Đã nộp phiếu chấm|Score sheet submitted")).first).to_be_visible()

    log_in(page, account("approver"))
    open_dossier(page, product["name"])
    expect(page.locator(".evaluation-result")).to_contain_text("4★")
    page.locator('#step-decide [name="decide-number"]').fill("999/QĐ-UBND")
    page.locator('#step-decide [name="decide-decided_on"]').fill(datetime.date.today().isoformat())
    journey.shot(page, "approver decides")
    page.locator("#step-decide").get_by_role("button").click()
    expect(page.get_by_text(re.compile("Đã cấp giấy chứng nhận|Certificate issued")).first).to_be_visible()
    journey.shot(page, "decided")

    # The public sees it: the product page and search under 4★.
    page.context.clear_cookies()
    page.goto(f"/search/?q={product['name']}&stars=4")
    link = page.get_by_role("link", name=product["name"]).first
    expect(link).to_be_visible()
    journey.shot(page, "search under 4 stars")
    link.click()
    expect(page.get_by_text("999/QĐ-UBND").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("4")
    journey.shot(page, "product page")
