"""Vietnamese first, English under /en/: the URL decides the language, never the browser.

Content (titles, intros, stories) has English fields beside the Vietnamese ones on the
same page (cms/translation.py); empty English falls back to Vietnamese, marked lang="vi".
"""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import resolve, reverse
from django.utils import translation
from wagtail.models import Site

from tests.factories import publish

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def alternate_links(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def switcher_links(html):
    nav = re.search(r'<nav class="lang".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav))


def translate(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    return publish(page)


def test_vietnamese_by_default_even_for_an_english_browser_or_cookie(tree, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = html_of(response)
    assert '<html lang="vi">' in html and "Bỏ qua đến nội dung chính" in html
    assert response.headers["Content-Language"] == "vi"
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_english_under_en_prefix(tree, client):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE="vi")
    html = html_of(response)
    assert '<html lang="en">' in html and "Skip to content" in html
    assert response.headers["Content-Language"] == "en"


def test_page_urls_follow_the_active_language(tree, client):
    product = tree.product_a
    assert product.url == f"/chu-the/{tree.producer_a.slug}/{product.slug}/"
    with translation.override("en"):
        assert product.url == f"/en/chu-the/{tree.producer_a.slug}/{product.slug}/"
        assert reverse("basket:summary") == "/en/shop/basket/"
    html = html_of(client.get("/en/"))
    assert f'href="/en/{tree.product_index.slug}/"' in html  # the menu
    assert 'href="/en/shop/basket/"' in html and 'href="/en/shop/accounts/login/"' in html
    assert f'href="{tree.product_index.url}"' not in html


def test_english_content_is_shown_in_english(tree, client):
    translate(
        tree.product_a,
        title_en="Krong No volcanic avocado (test)",
        intro_en="Avocados from basalt soil.",
        story_en=[("paragraph", "<p>Picked when the stem turns brown.</p>")],
    )
    html = html_of(client.get("/en" + tree.product_a.url))
    assert "<h1>Krong No volcanic avocado (test)</h1>" in html
    assert '<p class="lead">Avocados from basalt soil.</p>' in html
    assert "Picked when the stem turns brown." in html
    assert "<title>Krong No volcanic avocado (test) – OCOP products</title>" in html
    # The Vietnamese page is unchanged.
    html = html_of(client.get(tree.product_a.url))
    assert "<h1>Bơ núi lửa thử</h1>" in html and "Avocados" not in html


def test_empty_english_falls_back_to_vietnamese_marked_as_vietnamese(tree, client):
    html = html_of(client.get("/en" + tree.product_b.url))
    assert '<h1 lang="vi">Mật ong thử</h1>' in html
    # The interface stays English; only the Vietnamese text is marked.
    assert '<html lang="en">' in html and '<h2 id="story-title">Product story</h2>' in html


def test_listings_show_english_titles_and_group_names(tree, client):
    translate(tree.product_a, title_en="Volcanic avocado (test)")
    translate(tree.producer_a, title_en="Avocado cooperative (test)")
    group = tree.product_a.group
    group.name_en = "Fresh produce (test)"
    group.save()
    html = html_of(client.get("/en" + tree.product_index.url))
    assert "<h2>Volcanic avocado (test)</h2>" in html
    assert "Avocado cooperative (test)" in html
    assert ">Fresh produce (test)</a>" in html
    html = html_of(client.get(tree.product_index.url))
    assert "<h2>Bơ núi lửa thử</h2>" in html and f">{group.name}</a>" in html


def test_announcement_feed_in_english(tree, client):
    translate(tree.announcement, title_en="Test notice", intro_en="A notice in English.")
    index = tree.announcement.get_parent()
    rss = client.get("/en" + index.url + "rss/").content.decode()
    assert "<title>Test notice</title>" in rss
    assert f"/en{tree.announcement.url}" in rss
    rss = client.get(index.url + "rss/").content.decode()
    assert "<title>Thông báo thử</title>" in rss


def test_switcher_links_to_the_same_page_in_the_other_language(tree, client):
    url = tree.product_index.url
    links = switcher_links(html_of(client.get(url + "?stars=4")))
    assert links == {url + "?stars=4": "vi", "/en" + url + "?stars=4": "en"}
    links = switcher_links(html_of(client.get("/en" + tree.product_a.url)))
    assert links == {tree.product_a.url: "vi", "/en" + tree.product_a.url: "en"}


@pytest.mark.parametrize("path", ["product", "/shop/basket/"])
def test_oscars_language_form_lands_on_the_english_url(tree, client, path):
    path = tree.product_a.url if path == "product" else path
    response = client.post("/i18n/setlang/", {"language": "en", "next": path})
    assert response.status_code == 302
    assert response.headers["Location"] == "/en" + path
    assert 'lang="en"' in html_of(client.get("/en" + path))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_hreflang_alternates_name_each_language_and_x_default(tree, client, prefix):
    html = html_of(client.get(prefix + tree.product_a.url))
    url = tree.product_a.url
    root = tree.product_a.get_site().root_url  # the site's own host, as in the canonical URL
    alternates = alternate_links(html)
    assert alternates == {
        "vi": root + url,
        "en": root + "/en" + url,
        "x-default": root + url,
    }
    assert html.count('hreflang="x-default"') == 1
    assert f'<link rel="canonical" href="{alternates["en" if prefix else "vi"]}">' in html


def test_no_hreflang_on_a_page_outside_the_language_urls(tree, client):
    html = client.get("/en/khong-co-trang-nay/").content.decode()
    assert alternate_links(html) == {}


def test_machine_and_staff_urls_stay_unprefixed(tree, client):
    assert resolve("/shop/stripe/webhook/").url_name == "stripe-webhook"
    assert client.get("/api/search/?q=bo").status_code == 200
    assert client.get("/api/suggest/?q=bo").status_code == 200
    assert client.get("/en/api/search/?q=bo").status_code == 404
    assert client.post("/en/shop/stripe/webhook/", data="{}", content_type="application/json").status_code == 404
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/en/admin/login/").status_code == 404


def test_login_redirect_stays_in_the_visitors_language(tree, client):
    response = client.get("/en/shop/accounts/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/en/shop/accounts/login/")
    response = client.get("/shop/accounts/")
    assert response.headers["Location"].startswith("/shop/accounts/login/")


def test_the_edit_form_has_an_english_tab(tree, client):
    client.force_login(tree.official)
    html = html_of(client.get(reverse("wagtailadmin_pages:edit", args=[tree.product_a.pk])))
    assert 'name="title_en"' in html and "story_en" in html
    with translation.override("vi"):
        assert str(tree.product_a.edit_handler.children[1].heading) == "Tiếng Anh"


def test_english_search_shows_english_titles_and_english_links(tree, client):
    translate(tree.product_a, title_en="Volcanic avocado (test)")
    translate(tree.producer_a, title_en="Test Avocado Cooperative")
    query = "?q=" + tree.product_a.title.split()[0]
    html = html_of(client.get("/en/search/" + query))
    assert f'<a href="/en{tree.product_a.url}">Volcanic avocado (test)</a>' in html
    assert "<span>Test Avocado Cooperative</span>" in html  # the product's producer, in English
    # Vietnamese: the Vietnamese title and URL, as indexed.
    html = html_of(client.get("/search/" + query))
    assert f'<a href="{tree.product_a.url}">{tree.product_a.title}</a>' in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_menu_links_are_the_pages_own_urls(tree, client, language):
    """The menu's links (reversed once per language, cms/templatetags/ocop_i18n.py) are what
    Wagtail gives each page in the menu."""
    prefix = "" if language == "vi" else "/en"
    tree.product_index.title_en = "OCOP products"  # the others have no English title: the Vietnamese shows
    tree.product_index.save_revision().publish()
    html = html_of(client.get(prefix + tree.product_a.url))
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<li><a href="([^"]+)"', nav)
    titles = [unescape(title) for title in re.findall(r"<li><a [^>]*>([^<]*)</a>", nav)]
    with translation.override(language):
        root = Site.objects.get(is_default_site=True).root_page
        pages = [page.specific for page in root.get_children().live().in_menu()]
        expected = [prefix + "/"] + [page.url for page in pages]
        expected_titles = [page.translated_title or page.title for page in pages]
    assert links == expected and len(links) > 2
    assert titles[1:] == expected_titles and ("OCOP products" in titles) is (language == "en")
