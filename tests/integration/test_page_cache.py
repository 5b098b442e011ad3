"""The page cache (cms/page_cache.py): public pages stored for anonymous visitors, dropped when
anything they show changes, and nothing of one visitor ever served to another."""

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from oscar.core.loading import get_model
from wagtail.models import Site

from catalog.models import Certificate
from cms import page_cache
from cms.models import ProductPage, SiteSettings
from tests import factories
from tests.shop import add, product_of

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def tree(tree):
    # The site's settings row is made on the first page ever served: a change, once, before.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return tree


def visit(url, client=None):
    """GET `url` as a new anonymous visitor (or as `client`); returns (state, page text)."""
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.headers.get("X-Page-Cache"), response.content.decode()


def stored(url):
    """Visit `url` until it is stored; the second visitor must get it from the cache."""
    assert visit(url)[0] == "miss"
    state, text = visit(url)
    assert state == "hit"
    return text


def republish(page, **changes):
    page = ProductPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return factories.publish(page)


def vi(message):
    with translation.override("vi"):
        return html.escape(gettext(message))


def test_public_pages_are_stored_once_and_rendering_them_changes_nothing(tree):
    urls = [
        tree.home.url,
        tree.product_index.url,
        tree.product_a.url,
        tree.producer_a.url,
        tree.announcement.url,
        "/search/?q=m%E1%BA%ADt+ong",
        "/en" + tree.product_a.url,
    ]
    for url in urls:
        visit(url)
    # Every page's rendering (renditions, QR codes, the basket count) wrote nothing that counts
    # as a change: each is now served from the cache.
    for url in urls:
        assert visit(url)[0] == "hit", url


def test_a_stored_page_gives_each_visitor_a_csrf_token_of_their_own_that_works(tree):
    url = tree.product_a.url
    first = Client()
    _, first_page = visit(url, first)
    second = Client(enforce_csrf_checks=True)
    state, second_page = visit(url, second)
    assert state == "hit"
    token = CSRF_INPUT.search(second_page).group(1)
    secret = second.cookies["csrftoken"].value
    assert _unmask_cipher_token(token) == secret != first.cookies["csrftoken"].value
    assert CSRF_INPUT.search(first_page).group(1) not in second_page
    # The form on the stored page works for this visitor.
    response = second.post(
        f"/shop/basket/add/{product_of(tree.product_a).pk}/", {"quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert second.get("/shop/basket/").context["basket"].num_items == 1


def test_a_buyer_sees_their_basket_and_message_and_no_one_else_does(tree):
    url = tree.home.url
    stored(url)
    buyer = Client()
    add(buyer, tree.product_a, 2)
    response = buyer.get(url)
    assert "X-Page-Cache" not in response.headers  # a basket cookie: the page is computed
    assert '<span class="count">2</span>' in response.content.decode()
    assert tree.product_a.title in "".join(m.message for m in response.context["messages"])
    # The basket's writes are not changes to the site: the next visitor still gets the stored
    # page, with an empty basket and no message.
    state, text = visit(url)
    assert state == "hit" and '<span class="count">0</span>' in text
    assert 'class="messages' not in text


def test_logged_in_users_and_posts_never_get_nor_leave_a_stored_page(tree):
    url = tree.product_a.url
    stored(url)
    member = Client()
    member.force_login(tree.consumer)
    response = member.get(url)
    assert "X-Page-Cache" not in response.headers and "logout-form" in response.content.decode()
    assert "X-Page-Cache" not in Client().post(url).headers
    state, text = visit(url)
    assert state == "hit" and "logout-form" not in text


def test_other_cookies_pages_not_found_and_private_views_are_left_alone(tree):
    with_message = Client()
    with_message.cookies["messages"] = "x"
    assert "X-Page-Cache" not in with_message.get(tree.home.url).headers
    for _ in range(2):
        response = Client().get("/khong-co-trang-nay/")
        assert response.status_code == 404 and "X-Page-Cache" not in response.headers
        assert "X-Page-Cache" not in Client().get("/shop/basket/").headers


def test_publishing_and_unpublishing_drop_the_stored_pages(tree):
    product, home = tree.product_a.url, tree.home.url
    stored(product)
    stored(home)
    republish(tree.product_a, title="Bơ núi lửa mùa mới")
    state, text = visit(product)
    assert state == "miss" and "Bơ núi lửa mùa mới" in text
    ProductPage.objects.get(pk=tree.product_a.pk).unpublish()
    assert Client().get(product).status_code == 404
    assert "Bơ núi lửa" not in visit(home)[1]


def test_a_price_or_stock_change_drops_the_stored_page(tree):
    url = tree.product_a.url
    assert "100.000" in stored(url)
    republish(tree.product_a, price=125000)
    state, text = visit(url)
    assert state == "miss" and "125.000" in text
    visit(url)
    # An order allocates the whole stock (Oscar's StockRecord.allocate: no save() of the page).
    StockRecord.objects.get(product=product_of(tree.product_a)).allocate(10)
    state, text = visit(url)
    assert state == "miss" and "availability-outofstock" in text


def test_a_certificate_revoked_drops_the_stored_page(tree):
    url = tree.product_a.url
    assert vi("This is no longer an OCOP product.") not in stored(url)
    certificate = Certificate.objects.get(pk=tree.certificate_a.pk)
    certificate.revoked_on = timezone.localdate() - datetime.timedelta(days=1)
    certificate.revocation_ground = Certificate.Ground.CRITERIA_NOT_KEPT
    certificate.revocation_reason = "Không duy trì tiêu chí"
    certificate.save()
    state, text = visit(url)
    assert state == "miss" and vi("This is no longer an OCOP product.") in text


def test_each_language_is_stored_apart_and_an_english_edit_drops_it(tree):
    english = "/en" + tree.product_a.url
    stored(tree.product_a.url)
    assert "Volcanic avocado" not in stored(english)  # a miss first: not the Vietnamese page
    republish(tree.product_a, title_en="Volcanic avocado")
    state, text = visit(english)
    assert state == "miss" and "Volcanic avocado" in text


def test_a_change_made_by_another_process_is_seen(tree):
    url = tree.product_a.url
    stored(url)
    # Another process's change: a new generation written to the shared cache, nothing else.
    cache.set(page_cache.GENERATION_KEY, "another-process", None)
    assert visit(url)[0] == "miss"
    assert visit(url)[0] == "hit"


def test_the_page_cache_can_be_turned_off(tree, settings):
    settings.OCOP_PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert visit(tree.product_a.url)[0] is None


def test_an_upgrade_drops_every_stored_page(tree):
    # Every install and upgrade runs migrate: the new release's templates may differ.
    stored(tree.home.url)
    call_command("migrate", verbosity=0, interactive=False)
    assert visit(tree.home.url)[0] == "miss"
