"""cms/template_loader.py: templates kept once per language with their fixed texts resolved
print exactly what Django's own cached loader prints, in each language."""

import re
from itertools import pairwise

import pytest
from django.template import Context, Engine, engines
from django.template.base import TextNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch, set_script_prefix, set_urlconf
from django.utils import translation

from cms.template_loader import Loader, SiteUrlNode, TextRunNode

TEMPLATES = {
    "page.html": (
        '{% load i18n static %}<p title="{% translate "Basket" %}">{% translate "Skip to content" %}</p>'
        '|{% translate "50% <b>off</b>" %}|{% translate greeting %}|{% translate "Basket" as word %}{{ word|upper }}'
        '|{% translate "Buy again" context "Buy again" %}|{% translate "Menu" noop %}'
        '|{% if show %}{% for i in items %}{% translate "Search" %}{% endfor %}{% else %}{% translate "Log in" %}{% endif %}'
        '|{% static "ocop/site.css" %}|{% static path %}|{% include "part.html" %}'
        '|{% load ocop_i18n %}<a href="{% site_url "basket:summary" %}">{% translate "Basket" %}</a>'
        '<a href="{% site_url "wagtail_serve" "" %}">|{% site_url "basket:summary" as basket %}{{ basket }}'
    ),
    "part.html": '{% load i18n %}{% blocktranslate %}Basket{% endblocktranslate %}{% translate "Home" %}',
    # Printed forms are always Vietnamese (evaluation/print/base.html), whatever the active language.
    "print.html": '{% load i18n %}{% translate "Home" %}|{% language "vi" %}{% block body %}{% endblock %}{% endlanguage %}',
    "sheet.html": '{% extends "print.html" %}{% load i18n %}{% block body %}{% translate "Basket" %}{% endblock %}',
}


def engine(loader):
    children = [("django.template.loaders.locmem.Loader", TEMPLATES)]
    libraries = {
        "i18n": "django.templatetags.i18n",
        "static": "django.templatetags.static",
        "ocop_i18n": "cms.templatetags.ocop_i18n",
    }
    return Engine(loaders=[(loader, children)], libraries=libraries)


def render(the_engine, language, **context):
    with translation.override(language):
        template = the_engine.get_template("page.html")
        values = {"greeting": "Home", "show": True, "items": [1, 2], "path": "ocop/a b.js", **context}
        return template.render(Context(values, autoescape=True))


def translate_nodes(nodelist):
    return [node for node in nodelist.get_nodes_by_type(TranslateNode)]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("show", [True, False])
def test_prints_what_djangos_cached_loader_prints(language, show):
    ours = render(engine("cms.template_loader.Loader"), language, show=show)
    djangos = render(engine("django.template.loaders.cached.Loader"), language, show=show)
    assert ours == djangos
    if language == "vi":
        assert "Bỏ qua đến nội dung chính" in ours and 'title="Giỏ hàng"' in ours and "GIỎ HÀNG" in ours
    else:
        assert "Skip to content" in ours and 'title="Cart"' in ours and "CART" in ours  # the English catalogue's word
    assert "/static/ocop/site.css" in ours and "/static/ocop/a%20b.js" in ours
    basket = "/shop/basket/" if language == "vi" else "/en/shop/basket/"
    assert f'<a href="{basket}">' in ours


def test_a_url_under_another_script_prefix_is_reversed_again():
    """A site mounted under a path (SCRIPT_NAME) gets its own URLs, not the ones folded first."""
    the_engine = engine("cms.template_loader.Loader")
    render(the_engine, "vi")  # loaded (and folded) at the root
    set_script_prefix("/ocop/")
    try:
        ours = render(the_engine, "vi")
        djangos = render(engine("django.template.loaders.cached.Loader"), "vi")
    finally:
        set_script_prefix("/")
    assert ours == djangos and '<a href="/ocop/shop/basket/">' in ours


def test_a_url_under_another_urlconf_is_reversed_again(settings):
    the_engine = engine("cms.template_loader.Loader")
    render(the_engine, "vi")  # loaded outside a request: the URLconf is ROOT_URLCONF
    set_urlconf(settings.ROOT_URLCONF)  # what Django's handler does at the start of each request
    try:
        assert render(the_engine, "vi") == render(engine("django.template.loaders.cached.Loader"), "vi")
        set_urlconf("tests.integration.test_template_loader")  # no basket here: reversing fails as Django's would
        with pytest.raises(NoReverseMatch):
            render(the_engine, "vi")
    finally:
        set_urlconf(None)


def test_a_request_prints_the_folded_urls(client, tree, monkeypatch):
    """In a request (where Django sets the URLconf), a fixed `{% site_url %}` is the text folded at
    load, not reversed again."""
    client.get(tree.product_a.url)  # loads the templates
    answers = []
    current = SiteUrlNode.current
    monkeypatch.setattr(SiteUrlNode, "current", lambda node: answers.append(current(node)) or answers[-1])
    assert client.get(tree.product_a.url).status_code == 200
    assert answers and all(answers)


urlpatterns = []


def test_each_language_has_its_own_copy_with_the_fixed_texts_in_place():
    the_engine = engine("cms.template_loader.Loader")
    copies = {}
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            copies.setdefault(language, []).append(the_engine.get_template("page.html"))
    assert copies["vi"][0] is copies["vi"][1] and copies["vi"][0] is not copies["en"][0]
    nodelist = copies["en"][0].template.nodelist if hasattr(copies["en"][0], "template") else copies["en"][0].nodelist
    # Left to Django: a variable, an `as`, a noop; the fixed texts (also inside if/for) are text now.
    left = translate_nodes(nodelist)
    assert sorted((n.asvar or "", bool(n.noop)) for n in left) == [("", False), ("", True), ("word", False)]
    statics = nodelist.get_nodes_by_type(StaticNode)
    assert len(statics) == 1 and statics[0].path.is_var  # the fixed path's URL is text now
    # Neighbouring fixed texts are one node: the paragraph, its title and the text after it.
    first = nodelist[1]
    assert isinstance(first, TextRunNode) and first.text.startswith('<p title="Cart">Skip to content</p>|')
    assert not any(type(a) is type(b) is TextNode for a, b in pairwise(nodelist))
    with translation.override("en"):
        the_engine.template_loaders[0].reset()
        assert the_engine.get_template("page.html") is not copies["en"][0]


def test_the_site_uses_it_and_pages_come_in_each_language(client, tree):
    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
    vietnamese = client.get(tree.product_a.url).content.decode()
    english = client.get("/en" + tree.product_a.url).content.decode()
    assert ">Giỏ hàng <" in vietnamese and ">Cart <" in english
    assert re.search(r'<link rel="stylesheet" href="/static/ocop/site\.css', english)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_text_rendered_in_another_language_than_loaded_is_translated_as_django_would(language):
    outputs = []
    for loader in ("cms.template_loader.Loader", "django.template.loaders.cached.Loader"):
        the_engine = engine(loader)
        with translation.override(language):
            outputs.append(the_engine.get_template("sheet.html").render(Context({})))
    assert outputs[0] == outputs[1] == ("Home|Giỏ hàng" if language == "en" else "Trang chủ|Giỏ hàng")
