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
