"""Every catalogue string a shopper or a producer meets is translated, in both languages.

Method. The msgids of the installed gettext catalogues the pages draw on (Django's,
Wagtail's, Oscar's, ours: the `.po` files beside each `.mo`) are read with Babel (Oscar's
own dependency). The pages a shopper sees (home, product list, product, producer,
announcement, sales point, search, basket, each checkout step, login/register, account,
order list and order detail) and the admin pages a producer meets (login, dashboard, page
edit, images, dossiers, orders) are rendered with the test client on one small data set
(tests/factories.build_tree), once in Vietnamese and the shop pages once more in English.

- Vietnamese: the page's visible text (text nodes, and the `placeholder`, `title`,
  `aria-label` and button `value` attributes) must not contain an English msgid. A short
  msgid ("Basket") fails when a whole text node equals it; a longer one fails when any of
  its literal runs of at least three words (split at its placeholders and HTML tags, so
  `Your basket total is now <strong>%(total)s</strong>` gives "Your basket total is now")
  appears anywhere in the text. Msgids that Vietnamese writes the same way (SAME_IN_VI) are
  skipped; a msgid counts as untranslated when Django's own lookup (gettext, ngettext,
  pgettext, as the templates call them) returns it unchanged.
- English: the text must not contain a Vietnamese msgstr of our own catalogue (same
  rule: whole text node, or a literal run of three words or more; a msgstr in plain ASCII
  is English as well and is skipped). Content is given English where the test data has
  Vietnamese that is also a msgstr (the home page's title).

What it does not see: text that JavaScript builds from data (Wagtail's sidebar menu comes as
JSON in a script), and strings not yet in any catalogue (run makemessages first).

A failure lists each page with the strings found, so the fix is an entry in
locale/vi/LC_MESSAGES/django.po (our catalogue comes first through LOCALE_PATHS).
"""

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests import factories
from tests.shop import ADDRESS, add, checkout

pytestmark = pytest.mark.django_db

# Written the same way in Vietnamese text (brands, codes, loanwords, symbols).
SAME_IN_VI = {
    "OCOP",
    "Email",
    "E-mail",
    "email",
    "VietQR",
    "QR",
    "OK",
    "ID",
    "URL",
    "HTML",
    "CSV",
    "PDF",
    "SKU",
    "UPC",
    "Wagtail",
    "Oscar",
    "Stripe",
    "Logo",
    "Menu",
    "Website",
    "Online",
    "Tag",
    "Tags",
    "Zalo",
    "Facebook",
    "Google",
    "Gmail",
    "GPS",
}
ATTRIBUTES = ("placeholder", "title", "aria-label")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[\w.]*\}|<[^>]+>|\s*\n\s*")


def catalogue_files():
    import django
    import oscar
    import wagtail

    # Wagtail's and Oscar's vi catalogues list only what they translate: their msgids come
    # from the English catalogues.
    roots = [Path(django.__file__).parent, Path(wagtail.__file__).parent, Path(oscar.__file__).parent]
    files = [path for root in roots for path in root.rglob("locale/vi/LC_MESSAGES/django.po")]
    files += [path for root in roots for path in root.rglob("locale/en/LC_MESSAGES/django.po")]
    return files


def po(path):
    with open(path, "rb") as handle:
        return [message for message in read_po(handle) if message.id]


def normal(text):
    return " ".join(text.split())


def runs(text):
    """The literal runs of a msgid or msgstr worth matching inside a page's text."""
    return [normal(part) for part in PLACEHOLDER.split(text) if len(normal(part).split()) >= 3]


@cache
def english_msgids():
    """[(msgid as written, its context, plural msgid)] of every installed catalogue."""
    ids = set()
    for path in catalogue_files():
        for message in po(path):
            singular, plural = message.id if isinstance(message.id, tuple) else (message.id, None)
            if re.search(r"[A-Za-z]{2}", singular):
                ids.add((singular, message.context, plural))
    return ids


@cache
def our_vietnamese():
    """{msgstr: its runs} of our catalogue where Vietnamese differs from the English."""
    texts = {}
    for message in po(Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po"):
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            # Vietnamese only: a msgstr in plain ASCII ("Email", "OCOP") reads as English too.
            if normal(text) != normal(msgid) and not text.isascii():
                texts[normal(text)] = runs(text)
    return texts


def untranslated_msgids():
    """English msgids Django does not translate into Vietnamese here: {msgid: runs}."""
    found = {}
    with translation.override("vi"):
        for msgid, context, plural in english_msgids():
            if normal(msgid) in SAME_IN_VI:
                continue
            if context:
                translated = translation.pgettext(context, msgid)
            elif plural:
                translated = translation.ngettext(msgid, plural, 1)
            else:
                translated = translation.gettext(msgid)
            if translated == msgid:
                found[normal(msgid)] = runs(msgid)
                if plural:
                    found[normal(plural)] = runs(plural)
    return found


def visible_text(html):
    """(text nodes and labelled attributes, the whole text joined) of a page's body."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template", "svg"]):
        tag.decompose()
    body = soup.body or soup
    nodes = [normal(s) for s in body.find_all(string=True)]
    for tag in body.find_all(True):
        for name in ATTRIBUTES:
            if tag.get(name):
                nodes.append(normal(tag[name]))
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            nodes.append(normal(tag["value"]))
    nodes = [n for n in nodes if n]
    return nodes, " ".join(nodes)


def offending(html, catalogue):
    """The catalogue strings a page shows: whole text nodes, or runs of three words or more."""
    nodes, text = visible_text(html)
    hits = {node for node in nodes if node in catalogue}
    for whole, literal_runs in catalogue.items():
        if any(run in text for run in literal_runs):
            hits.add(whole)
    return sorted(hits)


def get(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def tree(tree):
    image = get_image_model().objects.create(
        title="Ảnh thử", file=get_test_image_file(), collection=tree.producer_a.producer.collection
    )
    tree.product_a.image = image
    factories.publish(tree.product_a)
    # The home page's title is content ("Trang chủ" is also our msgstr for "Home").
    tree.home.title_en = "Home"
    factories.publish(tree.home)
    return tree


def shopper_pages(client, tree, prefix):
    """(name, html) of the shop's pages for an anonymous visitor, then for a customer who
    buys by cash on delivery."""
    pages = []
    with translation.override(prefix or "vi"):
        for name, url in [
            ("home", tree.home.url),
            ("product list", tree.product_index.url),
            ("product", tree.product_a.url),
            ("producer", tree.producer_a.url),
            ("announcement", tree.announcement.url),
            ("sales point", tree.sales_point.url),
            ("search", "/search/?q=b%C6%A1" if not prefix else "/en/search/?q=b%C6%A1"),
            ("login/register", reverse("customer:login")),
            ("password reset", reverse("password-reset")),
            ("empty basket", reverse("basket:summary")),
        ]:
            pages.append((name, get(client, url)))
        client.force_login(tree.consumer)
        add(client, tree.product_a, 2)
        pages.append(("basket", get(client, reverse("basket:summary"))))
        pages.append(("checkout: address", get(client, reverse("checkout:shipping-address"))))
        client.post(reverse("checkout:shipping-address"), ADDRESS)
        pages.append(("checkout: payment", get(client, reverse("checkout:payment-details"))))
        response = client.post(reverse("checkout:preview"), {"method": "cod"})
        pages.append(("checkout: preview", response.content.decode()))
        client.get(reverse("checkout:index"))
        thank_you = checkout(client, "cod")
        pages.append(("thank you", thank_you.content.decode()))
        order = thank_you.context["order"]
        pages.append(("account", get(client, reverse("customer:summary"))))
        pages.append(("profile edit", get(client, reverse("customer:profile-update"))))
        pages.append(("order list", get(client, reverse("customer:order-list"))))
        pages.append(("order detail", get(client, reverse("customer:order", args=[order.number]))))
        pages.append(("addresses", get(client, reverse("customer:address-list"))))
        client.logout()
    return pages


def producer_pages(client, tree):
    with translation.override("vi"):
        login = get(client, reverse("wagtailadmin_login"))
    client.force_login(tree.producer_user_a)
    with translation.override("vi"):
        return [
            ("admin login", login),
            ("admin home", get(client, reverse("wagtailadmin_home"))),
            ("page edit", get(client, reverse("wagtailadmin_pages:edit", args=[tree.product_a.pk]))),
            ("page list", get(client, reverse("wagtailadmin_explore", args=[tree.producer_a.pk]))),
            ("images", get(client, reverse("wagtailimages:index"))),
            ("image edit", get(client, reverse("wagtailimages:edit", args=[tree.product_a.image_id]))),
            ("dossiers", get(client, reverse("evaluation:index"))),
            ("orders", get(client, reverse("producer-orders"))),
        ]


def test_admin_login_labels_its_password_field_in_vietnamese(client):
    with translation.override("vi"):
        html = get(client, reverse("wagtailadmin_login"))
    assert re.search(r'<label[^>]*for="id_password"[^>]*>\s*Mật khẩu', html), "Wagtail leaves it unlabelled"


def test_pages_show_no_untranslated_catalogue_string(tree, client):
    english = untranslated_msgids()
    vietnamese = our_vietnamese()
    assert len(english) > 100 and len(vietnamese) > 500  # the catalogues were found
    failures = []
    for name, html in shopper_pages(client, tree, "") + producer_pages(client, tree):
        if found := offending(html, english):
            failures.append(f"vi {name}: {found}")
    client.logout()
    for name, html in shopper_pages(client, tree, "en"):
        if found := offending(html, vietnamese):
            failures.append(f"en {name}: {found}")
    assert not failures, "\n".join(failures)
