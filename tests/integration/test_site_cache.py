"""The request's Wagtail Site comes from the cache (cms/site_cache.py): the same site Wagtail would
pick, no Site query per request, and a change of the sites or of a site's root page seen at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from cms import site_cache as sites
from cms.models import SiteSettings
from tests import factories


def site_queries(queries):
    """Queries of the Site table, or of the home page's own row (the root page's specific object)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "wagtailcore_site"' in q["sql"] or 'FROM "cms_homepage" ' in q["sql"]
    ]


@pytest.mark.django_db
def test_the_cached_choice_is_wagtails_own():
    home = factories.home_page()
    other = Page.get_first_root_node().add_child(instance=Page(title="Khác", slug="khac"))
    Site.objects.create(hostname="shop.example", port=80, root_page=other)
    Site.objects.create(hostname="shop.example", port=8080, root_page=home)
    Site.objects.create(hostname="two.example", port=81, root_page=other)
    Site.objects.create(hostname="two.example", port=82, root_page=home)
    Site.objects.create(hostname="one.example", port=8000, root_page=other)
    all_sites = list(Site.objects.select_related("root_page"))
    for hostname in ("localhost", "shop.example", "two.example", "one.example", "unknown.example"):
        for port in (80, 443, 8000, 8080, 81, 82):
            try:
                expected = get_site_for_hostname(hostname, port)
            except Site.DoesNotExist:
                expected = None
            assert sites.match_site(all_sites, hostname, port) == expected, (hostname, port)
    # Without a default site, several sites of a hostname on other ports match none.
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    all_sites = list(Site.objects.select_related("root_page"))
    assert sites.match_site(all_sites, "two.example", 83) is None
    with pytest.raises(Site.DoesNotExist):
        get_site_for_hostname("two.example", 83)
    assert sites.match_site(all_sites, "one.example", 83).port == 8000 == get_site_for_hostname("one.example", 83).port


def test_pages_make_no_site_query_once_cached(client, tree):
    # The first page served makes the site's settings row (Wagtail's for_site), which the cached
    # sites carry: they are read again once.
    assert client.get(tree.home.url).status_code == 200
    assert SiteSettings.objects.filter(site__is_default_site=True).exists()
    for url in (tree.home.url, tree.product_a.url, tree.producer_a.url):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert site_queries(queries) == [], url


def test_a_change_of_the_sites_is_seen_on_the_next_request(client, tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "san-pham.example"]
    assert client.get(tree.home.url).status_code == 200  # cached
    site = Site.objects.get(is_default_site=True)

    # A second site for another host, its root the product list: that host now sees it.
    Site.objects.create(hostname="san-pham.example", port=80, root_page=tree.product_index)
    response = client.get("/", HTTP_HOST="san-pham.example")
    assert response.status_code == 200 and response.context["page"].pk == tree.product_index.pk

    # The default site's root page moved to the producer list.
    site.root_page = tree.producer_index
    site.save()
    assert client.get("/").context["page"].pk == tree.producer_index.pk

    # The second site deleted: its host falls back to the default site.
    Site.objects.filter(hostname="san-pham.example").delete()
    response = client.get("/", HTTP_HOST="san-pham.example")
    assert response.status_code == 200 and response.context["page"].pk == tree.producer_index.pk


def test_a_root_page_published_is_served_anew(client, tree):
    assert "Lời chào mới" not in client.get("/").content.decode()  # the site is cached
    tree.home.intro = "Lời chào mới"
    tree.home.save_revision(log_action=False)
    assert "Lời chào mới" not in client.get("/").content.decode()  # a draft is not served
    factories.publish(tree.home)
    assert "Lời chào mới" in client.get("/").content.decode()


def test_a_root_page_at_any_depth_is_read_again(client, tree):
    site = Site.objects.get(is_default_site=True)
    site.root_page = tree.producer_index
    site.save()
    assert client.get("/").context["page"].title == tree.producer_index.title
    tree.producer_index.title = "Các chủ thể OCOP"
    factories.publish(tree.producer_index)
    assert client.get("/").context["page"].title == "Các chủ thể OCOP"


def test_the_cache_is_dropped_again_when_the_change_commits(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        site = Site.objects.get(is_default_site=True)
        site.site_name = "OCOP thử"
        site.save()
        # Another process, before the commit, read and cached the old row.
        stale = sites.cached_sites()
        stale[0].site_name = "OCOP cũ"
        cache.set(sites.SITES_KEY, stale, None)
    assert sites.cached_sites()[0].site_name == "OCOP cũ"
    for callback in callbacks:
        callback()
    assert sites.cached_sites()[0].site_name == "OCOP thử"


def test_no_restriction_query_while_no_page_is_restricted_and_one_added_is_enforced(client, tree):
    client.get(tree.home.url)  # makes the site's settings row
    for url in (tree.home.url, tree.product_a.url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # Whether one applies is read with the page's row (routing) or the site's (the home page).
        looked_up = [q["sql"] for q in queries.captured_queries if 'FROM "wagtailcore_pageviewrestriction"' in q["sql"]]
        assert all(q.startswith(('SELECT "wagtailcore_site"', 'SELECT "cms_')) for q in looked_up), url

    restriction = PageViewRestriction.objects.create(page=tree.producer_a, restriction_type=PageViewRestriction.LOGIN)
    for url in (tree.producer_a.url, tree.product_a.url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert client.get(tree.product_b.url).status_code == 200
    assert client.get(tree.home.url).status_code == 200
    restriction.delete()
    assert client.get(tree.product_a.url).status_code == 200

    # On the home page, which the cached site carries: the cache is dropped, then it applies everywhere.
    restriction = PageViewRestriction.objects.create(page=tree.home, restriction_type=PageViewRestriction.LOGIN)
    for url in (tree.home.url, tree.product_b.url):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    restriction.delete()
    assert client.get(tree.home.url).status_code == 200


def test_site_settings_are_read_once_and_a_change_is_seen(client, tree):
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(site=site, defaults={"footer_text": "Chân trang cũ"})
    assert "Chân trang cũ" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "cms_sitesettings" in q["sql"]]
    settings_row = SiteSettings.objects.get(site=site)
    settings_row.footer_text = "Chân trang mới"
    settings_row.save()
    html = client.get("/").content.decode()
    assert "Chân trang mới" in html and "Chân trang cũ" not in html


def test_with_the_data_cache_off_each_request_reads_the_sites_in_one_query(client, tree, settings):
    """OCOP_DATA_CACHE off (what bench/vs_bakerydemo.py's uncached figures measure): nothing is
    stored, and each request reads the sites with their home page, their settings and whether a
    restriction applies to the home page in one query; a routed page's row says whether one
    applies to it: no restriction query."""
    sites.forget_all()
    settings.OCOP_DATA_CACHE = False
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"footer_text": "Chân trang"}
    )
    for url in (tree.home.url, tree.product_a.url):
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200 and "Chân trang" in response.content.decode()
            assert len(site_queries(queries)) == 1 and "cms_homepage" in site_queries(queries)[0], url
            sql = [q["sql"] for q in queries.captured_queries]
            assert sum("cms_sitesettings" in q for q in sql) == 1 and "cms_sitesettings" in site_queries(queries)[0]
            assert not [q for q in sql if q.startswith('SELECT "wagtailcore_pageviewrestriction"')], url
    assert cache.get(sites.SITES_KEY) is None
    assert isinstance(sites.cached_sites()[0].root_page, type(tree.home.specific))
    settings.OCOP_DATA_CACHE = True
    client.get(tree.home.url)
    assert cache.get(sites.SITES_KEY) is not None


@pytest.mark.django_db
def test_a_root_page_that_is_not_a_home_page_is_read_as_its_own_type():
    sites.forget_all()
    other = Page.get_first_root_node().add_child(instance=Page(title="Khác", slug="khac"))
    Site.objects.create(hostname="other.example", port=80, root_page=other)
    found = {site.hostname: site.root_page for site in sites.cached_sites()}
    assert type(found["other.example"]) is Page and found["other.example"].pk == other.pk
