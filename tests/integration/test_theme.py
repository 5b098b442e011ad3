"""The theme: one shell for every page (Oscar's included), labelled controls, the sales-point map.

Markup is checked with the standard library's HTML parser; the browser tests run axe-core later.
"""

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from oscar.core.loading import get_model

from cms import theme
from storefront.partner import display
from tests import factories
from tests.shop import add

pytestmark = pytest.mark.django_db

THEME = Path(settings.BASE_DIR) / "themes" / "ocop"
Basket = get_model("basket", "Basket")


class Markup(HTMLParser):
    """Collects what the checks below need: tags, ids, labels, scripts, headings, landmarks."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.label_for = set()
        self.ids = set()
        self.h1 = 0
        self._open_labels = 0
        self.controls = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label":
            self._open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag == "h1":
            self.h1 += 1
        if tag in ("input", "select", "textarea"):
            if attrs.get("type") not in ("hidden", "submit", "button", "image"):
                self.controls.append((tag, attrs, self._open_labels > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels -= 1

    def find(self, tag, **wanted):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]

    def unlabelled(self):
        return [
            attrs
            for tag, attrs, wrapped in self.controls
            if not (
                wrapped or attrs.get("id") in self.label_for or attrs.get("aria-label") or attrs.get("aria-labelledby")
            )
        ]


def page_markup(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Markup(response.content.decode())


def assert_site_shell(markup, url):
    """Landmarks, skip link, one h1, our stylesheet and nothing loaded from elsewhere."""
    assert markup.find("a", **{"class": "skip-link", "href": "#main"}), url
    assert markup.find("main", id="main"), url
    assert markup.find("header", **{"class": "site-header"}) and markup.find("footer", **{"class": "site-footer"}), url
    assert markup.find("nav", **{"aria-label": "Menu chính"}), url
    assert markup.find("form", role="search"), url
    assert markup.find("nav", **{"class": "lang"}), url
    assert markup.h1 == 1, f"{url}: {markup.h1} h1"
    stylesheets = [a["href"] for t, a in markup.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert "/static/ocop/site.css" in stylesheets, url
    loaded = [a.get("src") or "" for t, a in markup.tags if t == "script"] + [
        a.get("href") or "" for t, a in markup.tags if t == "link" and a.get("rel") not in ("canonical", "alternate")
    ]
    external = [url for url in loaded if re.match(r"(https?:)?//", url)]
    assert external == [], f"{url} loads {external}"
    assert not [h for h in stylesheets if "oscar/" in h or "bootstrap" in h], url
    assert markup.unlabelled() == [], f"{url}: unlabelled controls {markup.unlabelled()}"


def test_site_pages_share_the_shell(tree, client):
    for url in [
        "/",
        tree.product_index.url,
        tree.product_a.url,
        tree.producer_index.url,
        tree.producer_a.url,
        tree.announcement.get_parent().url,
        tree.announcement.url,
        tree.sales_point.get_parent().url,
        tree.sales_point.url,
        "/search/?q=b%C6%A1",
    ]:
        assert_site_shell(page_markup(client, url), url)


def test_shop_pages_use_the_theme_not_bootstrap(tree, client):
    for url in ["/shop/basket/", "/shop/accounts/login/"]:
        assert_site_shell(page_markup(client, url), url)
    client.force_login(tree.consumer)
    add(client, tree.product_a, 2)
    for url in ["/shop/basket/", "/shop/accounts/profile/", "/shop/accounts/orders/", "/shop/accounts/profile/edit/"]:
        markup = page_markup(client, url)
        assert_site_shell(markup, url)
        assert not [a for t, a in markup.tags if t == "script" and "jquery" in (a.get("src") or "")]


def test_basket_lines_can_be_removed_without_javascript(tree, client):
    add(client, tree.product_a, 2)
    markup = page_markup(client, "/shop/basket/")
    remove = markup.find("input", name="form-0-DELETE")
    assert remove and remove[0]["type"] == "checkbox" and remove[0]["id"] in markup.label_for
    response = client.post(
        "/shop/basket/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": markup.find("input", name="form-0-id")[0]["value"],
            "form-0-quantity": "2",
            "form-0-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert "Giỏ hàng của bạn trống." in client.get("/shop/basket/").content.decode()


def test_header_shows_the_basket_count(tree, client):
    assert 'class="count">0<' in client.get("/").content.decode()
    add(client, tree.product_a, 2)
    add(client, tree.product_b, 1)
    assert 'class="count">3<' in client.get("/").content.decode()


def test_basket_count_costs_no_query_without_a_basket(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.basket = Basket()  # what Oscar's middleware gives a visitor without a basket
    with django_assert_num_queries(0):
        assert display.basket_item_count(request) == 0


def test_footer_shows_the_site_contact(tree, client):
    from wagtail.models import Site

    from cms.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_email, site_settings.contact_phone = "lienhe@example.vn", "0263 3822 000"
    site_settings.save()
    html = client.get("/shop/basket/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="mailto:lienhe@example.vn"' in footer and 'href="tel:02633822000"' in footer


# Sales points: the list holds everything; the map is data for a deferred script.


def sales_points_with_coordinates(tree):
    first = tree.sales_point
    first.latitude, first.longitude, first.opening_hours = Decimal("11.942100"), Decimal("108.437000"), "7:00–20:00"
    factories.publish(first)
    second = factories.sales_point("Điểm bán Pleiku")
    second.latitude, second.longitude = Decimal("13.982200"), Decimal("108.001600")
    factories.publish(second)
    without = factories.sales_point("Điểm bán chưa có toạ độ")
    return first, second, without


def test_sales_points_list_without_javascript_and_map_data(tree, client):
    first, second, without = sales_points_with_coordinates(tree)
    html = client.get(first.get_parent().url).content.decode()
    markup = Markup(html)
    # The list: every point, with its address, link and opening hours, as plain HTML.
    for point in (first, second, without):
        assert f'href="{point.url}"' in html and point.title in html and point.full_address in html
    assert "7:00–20:00" in html
    # The map's data: every point that has coordinates, and only those.
    data = json.loads(
        re.search(r'<script id="sales-map-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert {(p["id"], p["lat"], p["lng"], p["url"]) for p in data} == {
        (first.pk, 11.9421, 108.437, first.url),
        (second.pk, 13.9822, 108.0016, second.url),
    }
    # The map box is hidden until the script shows it; the scripts are local and deferred.
    box = markup.find("div", id="sales-map")[0]
    assert "hidden" in box and box["data-tile-url"] == settings.OCOP_MAP_TILE_URL
    scripts = [a for t, a in markup.tags if t == "script" and a.get("src")]
    assert [s["src"] for s in scripts] == [
        "/static/ocop/suggest.js",  # every page's: search as you type in the header
        "/static/ocop/sales-map.js",
    ]
    assert all("defer" in s for s in scripts)
    # Leaflet is fetched by sales-map.js after the first paint (issue 16, phones): no
    # render-blocking stylesheet and no 144 KB script in the page itself.
    assert box["data-leaflet-js"] == "/static/ocop/vendor/leaflet/leaflet.js"
    assert box["data-leaflet-css"] == "/static/ocop/vendor/leaflet/leaflet.css"
    assert [a["href"] for a in markup.find("link", rel="stylesheet")] == ["/static/ocop/site.css"]
    assert (THEME / "static/ocop/vendor/leaflet/leaflet.js").is_file()
    assert (THEME / "static/ocop/vendor/leaflet/images/marker-icon.png").is_file()


def test_sales_points_without_tiles_is_just_the_list(tree, client, settings):
    settings.OCOP_MAP_TILE_URL = ""
    first, _, _ = sales_points_with_coordinates(tree)
    html = client.get(first.get_parent().url).content.decode()
    assert first.title in html and "sales-map" not in html and "leaflet" not in html


def test_sales_point_map_data_makes_no_query(tree, django_assert_num_queries):
    first, second, without = sales_points_with_coordinates(tree)
    points = list(first.get_parent().specific.get_context(RequestFactory().get("/"))["sales_points"])
    for point in points:
        point.url  # noqa: B018 (warms Wagtail's site cache as the template's links do)
    with django_assert_num_queries(0):
        data = theme.sales_point_map_data(points)
    assert len(data) == 2


# Colour contrast of the theme's text colours on the surfaces they are used on (WCAG 2.1 AA: 4.5:1).


def luminance(hex_colour):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_aa_contrast():
    css = (THEME / "static/ocop/site.css").read_text()
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    var["white"] = "#ffffff"
    pairs = [
        ("ink", "bg"),
        ("ink", "surface"),
        ("muted", "bg"),
        ("muted", "surface"),
        ("green", "bg"),
        ("green", "surface"),
        ("green-dark", "green-soft"),
        ("green", "green-soft"),
        ("gold", "surface"),
        ("gold", "gold-soft"),
        ("red", "surface"),
        ("red", "red-soft"),
        ("blue", "surface"),
        ("white", "green"),
        ("white", "green-dark"),
        ("white", "red"),
        ("ink", "gold-soft"),
    ]
    low = {
        f"{fg} on {bg}": round(contrast(var[fg], var[bg]), 2) for fg, bg in pairs if contrast(var[fg], var[bg]) < 4.5
    }
    assert low == {}
    # Fixed colours: footer text, demo notice, brand mark.
    assert contrast("#ecebe6", "#2b2b27") >= 4.5 and contrast("#5c4400", "#fff3cd") >= 4.5
    assert contrast("#1d1d1b", "#f2b705") >= 4.5 and contrast("#1f5a96", "#eaf1f8") >= 4.5
