"""The "Smaller" list of issue 14 and the printable QR label: what a visitor, a producer and
an administrator meet on their pages (favicon, feed links, menu highlight, places, ASCII
slugs, admin avatars, e-mail history, the shop's stock in the page editor)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import chromium

LABEL_CSS = Path(settings.BASE_DIR) / "themes" / "ocop" / "static" / "ocop" / "label.css"


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response


def test_label_qr_svg_scales_to_its_box(client, tree):
    label = get(client, tree.product_a.url + "tem/").content.decode()
    svg = re.search(r"<svg[^>]*>", label).group(0)
    assert re.search(r'viewBox="0 0 (\d+) \1"', svg), svg
    # No size in pixels: the label's CSS (40 mm) sizes the whole symbol.
    assert 'width="100%"' in svg and 'height="100%"' in svg


@pytest.mark.browser
def test_printed_label_qr_is_whole_and_decodes_to_the_product_url(client, tree, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image
    from playwright.sync_api import sync_playwright

    canonical = "http://localhost" + tree.product_a.url
    html = get(client, tree.product_a.url + "tem/").content.decode()
    with sync_playwright() as p:
        browser = chromium.launch(p)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            page.set_content(html)
            page.add_style_tag(content=LABEL_CSS.read_text())
            page.emulate_media(media="print")
            box = page.locator(".label svg").bounding_box()
            # 40 mm at 96 CSS px per inch, and the symbol is drawn to the box's edges.
            assert abs(box["width"] - 40 / 25.4 * 96) < 2 and abs(box["height"] - box["width"]) < 1
            page.locator(".label").screenshot(path=tmp_path / "label.png")
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert pdf.startswith(b"%PDF")
    decoded = zxingcpp.read_barcodes(Image.open(tmp_path / "label.png"))
    assert [code.text for code in decoded] == [canonical]


def test_public_pages_favicon_feeds_menu_and_places(client, tree):
    from catalog.models import Commune

    # favicon.ico is the theme's icon (not a 404 on every page), and pages link their icons.
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    home = get(client, "/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in home and "favicon.svg" in home

    # The home page advertises the announcements' RSS and Atom feeds.
    index = tree.announcement.get_parent()
    head = home.split("</head>")[0]
    assert f'type="application/rss+xml" title="{index.title} (RSS)" href="{index.url}rss/"' in head
    assert f'type="application/atom+xml" title="{index.title} (Atom)" href="{index.url}atom/"' in head
    assert get(client, index.url + "rss/")["Content-Type"].startswith("application/rss+xml")

    # A product page highlights "Products" in the menu, not the producers it sits under.
    nav = get(client, tree.product_a.url).content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    current = re.findall(r'<a href="([^"]+)" aria-current="(\w+)"', nav)
    assert current == [(tree.product_index.url, "true")], current
    nav = get(client, tree.producer_a.url).content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)" aria-current="(\w+)"', nav) == [(tree.producer_index.url, "true")]

    # The producer list shows the current commune and province, not the abolished district.
    producer = tree.producer_a.producer
    producer.commune = Commune.objects.first()
    producer.province = producer.commune.province
    producer.save()
    listing = get(client, tree.producer_index.url).content.decode()
    assert f"{producer.commune.name}, {producer.province.name}" in listing
    assert producer.district.name not in listing


def test_new_page_slugs_are_ascii(client, tree):
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from cms.models import AnnouncementPage

    index = tree.announcement.get_parent()
    page = index.add_child(instance=AnnouncementPage(title="Thông báo đợt 1 – Đắk Nông", slug=""))
    assert page.slug == "thong-bao-dot-1-dak-nong"

    # In the admin, the slug the title's autofill writes (Vietnamese letters kept) is saved
    # transliterated.
    client.force_login(get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "x"))
    data = {
        "title": "Thông báo về sản phẩm",
        "slug": "thông-báo-về-sản-phẩm-đợt-2",
        "date": "2026-01-15",
        "category": tree.announcement.category_id,
        "intro": "",
        "body": streamfield([]),
        "documents": inline_formset([]),
        "title_en": "",
        "intro_en": "",
        "body_en": streamfield([]),
        "search_description_en": "",
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["cms", "announcementpage", index.pk]), nested_form_data(data)
    )
    assert response.status_code == 302, response.context["form"].errors
    assert AnnouncementPage.objects.get(title="Thông báo về sản phẩm").slug == "thong-bao-ve-san-pham-dot-2"


def test_admin_has_no_gravatar_and_the_editor_shows_the_shops_stock(client, tree):
    from django.urls import reverse
    from oscar.core.loading import get_model

    from tests.shop import add, checkout

    # Two units ordered; one of them shipped.
    client.force_login(tree.consumer)
    add(client, tree.product_a, quantity=2)
    order = checkout(client, "cod").context["order"]
    line = order.lines.get()
    client.force_login(tree.producer_user_a)
    for status in ("processing", "shipped"):
        assert client.post(reverse("producer-line-status", args=[line.pk]), {"status": status}).status_code == 302

    html = get(client, reverse("wagtailadmin_pages:edit", args=[tree.product_a.pk])).content.decode()
    assert "gravatar.com" not in html
    panel = html.split("data-shop-stock>")[1].split("</div>")[0]
    record = get_model("partner", "StockRecord").objects.get(page=tree.product_a)
    assert tree.product_a.stock == 10 and record.num_in_stock == 8  # the page's count vs the shop's
    assert re.findall(r"<strong>(\d+)</strong>", panel) == ["8", "0", "8", "2"]

    # A mail saved in the customer's e-mail history is readable in its frame (the srcdoc).
    client.force_login(tree.consumer)
    email = get_model("communication", "Email").objects.create(
        user=tree.consumer,
        subject=f"Xác nhận đơn hàng {order.number}",
        body_text=f"Đơn hàng {order.number}",
        body_html=f'<p>Đơn hàng <b>{order.number}</b> & "cảm ơn"</p>',
    )
    detail = get(client, reverse("customer:email-detail", args=[email.pk])).content.decode()
    frame = re.search(r'<iframe class="email-body" srcdoc="([^"]*)" sandbox=""', detail)
    assert frame, detail
    assert frame.group(1) == f"&lt;p&gt;Đơn hàng &lt;b&gt;{order.number}&lt;/b&gt; &amp; &quot;cảm ơn&quot;&lt;/p&gt;"
    assert "contentWindow" not in detail  # no inline script writing the frame (blocked by CSP)
