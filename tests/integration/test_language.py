"""Vietnamese first: the browser's language does not switch the site; the switcher does."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_vietnamese_by_default_even_for_an_english_browser(tree, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="vi"' in html and "Bỏ qua đến nội dung chính" in html
    assert response.headers["Content-Language"] == "vi"


def test_switcher_chooses_english(tree, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Skip to content" in html


def test_menu_lists_the_index_pages(tree, client):
    html = client.get("/").content.decode()
    assert f'href="{tree.product_index.url}"' in html
    assert f'href="{tree.producer_index.url}"' in html
