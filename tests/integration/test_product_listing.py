"""The product listing (/san-pham/) filters, counts, sorts and pages through the search service."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalog.models import District, ProductGroup, Province
from tests import factories

QUERIES_SEEN = []


@pytest.fixture
def listing(tree):
    """Seven more certified products (two producers, two districts, two groups) with images."""
    gia_lai, _ = Province.objects.get_or_create(code="64", defaults={"name": "Gia Lai", "slug": "gia-lai"})
    dak_doa, _ = District.objects.get_or_create(
        slug="dak-doa", defaults={"name": "Huyện Đắk Đoa", "former_province": "Gia Lai", "province": gia_lai}
    )
    drinks, _ = ProductGroup.objects.get_or_create(code="2", defaults={"name": "Đồ uống", "name_en": "Drinks"})
    bees = factories.producer_page(
        factories.ProducerFactory(name="HTX Ong Đắk Đoa", province=gia_lai, district=dak_doa)
    )
    tree.bees = bees
    tree.extra = []
    for i in range(7):
        parent, group = (bees, drinks) if i % 2 else (tree.producer_a, None)
        image = get_image_model().objects.create(title=f"Ảnh {i}", file=get_test_image_file(f"p{i}.png"))
        page = factories.product_page(
            parent, title=f"Sản phẩm danh sách {i}", group=group, price=10000 * (i + 1), image=image
        )
        factories.certificate(page, score=(38, 24, 30) if i == 0 else (32, 20, 26))  # one 5★, six 4★
        tree.extra.append(page)
    return tree


def get(client, tree, **params):
    response = client.get(tree.product_index.url, params)
    assert response.status_code == 200
    return response


def facet(response, name):
    return {v["label"]: v["count"] for f in response.context["facets"] if f["name"] == name for v in f["values"]}


def test_filters_and_counts_are_the_search_facets(client, listing):
    everything = get(client, listing, page_size="50")
    assert everything.context["result"].total == 9  # products only: no producer or announcement
    assert everything.context["result"].query.kind == "product"
    stars = facet(everything, "stars")
    assert stars == {"5★": 1, "4★": 7, "3★": 1}
    district = listing.bees.producer.district
    by_district = get(client, listing, district=district.slug)
    assert {p.title for p in by_district.context["products"]} == {p.title for p in listing.extra[1::2]}
    # The district facet ignores its own filter; the others count within it.
    assert facet(by_district, "district") == facet(everything, "district")
    assert facet(by_district, "stars") == {"4★": 3}
    assert facet(by_district, "group") == {"Đồ uống": 3}
    both = get(client, listing, district=district.slug, stars="5")
    assert list(both.context["products"]) == []
    assert "Không có sản phẩm nào" in both.content.decode() or "No product" in both.content.decode()
    by_group = get(client, listing, group="2", stars="4")
    assert len(by_group.context["products"]) == 3
    html = by_group.content.decode()
    assert "?stars=4" in html  # the active filter's remove link keeps the other one
    # The same answer as /search/ for the same filters, narrowed to products.
    api = client.get("/api/search/", {"group": "2", "stars": "4"}).json()
    assert sorted(r["name"] for r in api["results"] if r["name"].startswith("Sản phẩm")) == sorted(
        p.title for p in by_group.context["products"]
    )


def test_sorting_and_pages(client, listing):
    by_stars = get(client, listing)
    products = by_stars.context["products"]
    assert len(products) == 9 and products[0].title == "Sản phẩm danh sách 0"  # 5★ first
    assert [p.current_stars for p in products] == sorted((p.current_stars for p in products), reverse=True)
    by_price = get(client, listing, sort="price")
    prices = [p.price for p in by_price.context["products"]]
    assert prices == sorted(prices)
    first = get(client, listing, sort="price", page_size="4")  # the listing's page size is its own
    assert len(first.context["products"]) == 9
    factories_more = [factories.product_page(listing.producer_a, title=f"Thêm {i}") for i in range(4)]
    for page in factories_more:
        factories.certificate(page)
    page1 = get(client, listing, sort="price")
    page2 = get(client, listing, sort="price", page="2")
    assert page1.context["num_pages"] == 2 and len(page1.context["products"]) == 12
    assert len(page2.context["products"]) == 1
    assert not {p.pk for p in page1.context["products"]} & {p.pk for p in page2.context["products"]}
    assert 'rel="next" href="?sort=price&amp;page=2"' in page1.content.decode()


def test_a_page_past_the_last_keeps_the_count_and_the_facets(client, listing):
    first = get(client, listing, stars="4")
    past = get(client, listing, stars="4", page="7")
    assert list(past.context["products"]) == [] and past.context["result"].total == first.context["result"].total == 7
    assert facet(past, "group") == facet(first, "group") and facet(past, "stars") == {"5★": 1, "4★": 7, "3★": 1}


def test_facet_labels_are_in_the_pages_language(client, listing):
    vietnamese = get(client, listing)
    english = client.get("/en" + listing.product_index.url)
    assert english.status_code == 200
    assert "Đồ uống" in facet(vietnamese, "group") and "Drinks" not in facet(vietnamese, "group")
    assert "Drinks" in facet(english, "group") and "Đồ uống" not in facet(english, "group")
    assert "Đồ uống" in facet(get(client, listing), "group")  # and back: each language its own statement


@pytest.mark.usefixtures("no_page_cache")  # the queries of computing the page
def test_sql_queries_stay_few_and_do_not_grow_with_the_products_listed(client, listing):
    # Warm caches (site root paths, settings); the site's first page makes its settings row,
    # which the cached site carries: it is read again once.
    get(client, listing)
    get(client, listing)

    def count(**params):
        with CaptureQueriesContext(connection) as queries:
            response = get(client, listing, **params)
        QUERIES_SEEN[:] = queries.captured_queries
        return len(queries), len(response.context["products"])

    few_queries, few = count(district=listing.bees.producer.district.slug)
    many_queries, many = count()
    assert (few, many) == (3, 9)
    assert many_queries <= 15, "\n".join(q["sql"][:150] for q in QUERIES_SEEN)
    assert many_queries == few_queries


def test_cards_read_only_their_own_rendition(client, listing):
    """The cards prefetch the card's rendition, not every rendition of every product image."""
    from cms.product_display import CARD_SPEC

    for page in listing.extra:  # the product page's sizes, made as its page would
        page.image.get_renditions("width-800|format-webp", "fill-1200x630|format-jpeg")
    get(client, listing)  # makes the card renditions
    products = get(client, listing).context["products"]
    with_image = [p for p in products if p.image_id]
    assert len(with_image) == 7
    for page in with_image:
        assert [r.filter_spec for r in page.image.prefetched_renditions] == [CARD_SPEC]
