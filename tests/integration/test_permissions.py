"""Role boundaries, proved with crafted requests against Wagtail's admin views.

A producer edits only its own pages, and only through moderation; it can never touch a
certificate, another producer's pages or images, or which register entry its page shows.
"""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from catalog.models import Certificate, Product
from cms.models import ProducerPage, ProductPage
from tests import factories

pytestmark = pytest.mark.django_db


# The fields every page form posts besides its own (promote and settings tabs, comments).
COMMON_PAGE_FIELDS = {
    "story": streamfield([]),
    # The "English" tab (cms.translation).
    "title_en": "",
    "intro_en": "",
    "story_en": streamfield([]),
    "search_description_en": "",
    "comments": inline_formset([]),
    "seo_title": "",
    "search_description": "",
    "go_live_at": "",
    "expire_at": "",
}


def page_form(page, own_fields, changes):
    data = {"title": page.title, "slug": page.slug, "intro": page.intro, **COMMON_PAGE_FIELDS}
    data.update({name: "" if getattr(page, name) is None else getattr(page, name) for name in own_fields})
    data.update(changes)
    return nested_form_data(data)


def product_form(page, **changes):
    fields = ("price", "unit", "stock", "packaging", "net_weight", "shelf_life", "ingredients", "raw_material_area")
    # The gallery inline (cms 0003) posts its management form even when empty.
    return page_form(
        page, fields, {"register_product": page.register_product_id, "gallery_images": inline_formset([]), **changes}
    )


def producer_form(page, **changes):
    return page_form(page, (), changes)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def refused(response):
    """Wagtail answers a permission failure with 403 or a redirect away from the form."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url != response.request["PATH_INFO"]
    )


def revisions_of(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def test_producer_submits_own_product_for_moderation(tree, client):
    client.force_login(tree.producer_user_a)
    form = client.get(edit_url(tree.product_a))
    assert form.status_code == 200
    assert 'name="producer"' not in form.content.decode()  # register fields are not offered
    response = client.post(
        edit_url(tree.product_a),
        product_form(tree.product_a, title="Bơ núi lửa mới", price=99000, **{"action-submit": "1"}),
    )
    assert response.status_code == 302, response.content[:2000]
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    assert page.title == "Bơ núi lửa thử"  # the live page is unchanged until approval
    assert page.get_latest_revision_as_object().title == "Bơ núi lửa mới"
    assert page.get_latest_revision_as_object().price == 99000
    assert page.workflow_in_progress


def test_producer_cannot_publish_without_approval(tree, client):
    client.force_login(tree.producer_user_a)
    client.post(edit_url(tree.product_a), product_form(tree.product_a, title="Tự xuất bản", **{"action-publish": "1"}))
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    assert page.title == "Bơ núi lửa thử"
    assert page.has_unpublished_changes  # saved as a draft at most, never published


def test_official_approves_producer_change(tree, client):
    client.force_login(tree.producer_user_a)
    client.post(edit_url(tree.product_a), product_form(tree.product_a, title="Bơ đã duyệt", **{"action-submit": "1"}))
    task_state = ProductPage.objects.get(pk=tree.product_a.pk).current_workflow_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[tree.product_a.pk, "approve", task_state.pk])

    # The producer cannot approve its own change with a crafted request.
    client.post(approve, {"comment": ""})
    assert ProductPage.objects.get(pk=tree.product_a.pk).title == "Bơ núi lửa thử"

    client.force_login(tree.official)
    response = client.post(approve, {"comment": "Đồng ý"})
    assert response.status_code in (200, 302)
    assert ProductPage.objects.get(pk=tree.product_a.pk).title == "Bơ đã duyệt"


def test_producer_cannot_edit_another_producers_product(tree, client):
    client.force_login(tree.producer_user_a)
    before = revisions_of(tree.product_b)
    assert refused(client.get(edit_url(tree.product_b)))
    response = client.post(
        edit_url(tree.product_b), product_form(tree.product_b, title="Chiếm quyền", **{"action-submit": "1"})
    )
    assert refused(response)
    assert revisions_of(tree.product_b) == before
    assert ProductPage.objects.get(pk=tree.product_b.pk).get_latest_revision_as_object().title == "Mật ong thử"


def test_producer_cannot_edit_another_producers_page(tree, client):
    client.force_login(tree.producer_user_a)
    before = revisions_of(tree.producer_b)
    response = client.post(edit_url(tree.producer_b), producer_form(tree.producer_b, intro="Chiếm quyền"))
    assert refused(response)
    assert revisions_of(tree.producer_b) == before


def test_producer_cannot_add_a_product_under_another_producer(tree, client):
    client.force_login(tree.producer_user_a)
    url = reverse("wagtailadmin_pages:add", args=["cms", "productpage", tree.producer_b.pk])
    count = ProductPage.objects.count()
    response = client.post(url, product_form(tree.product_b, title="Lén", slug="len"))
    assert refused(response)
    assert ProductPage.objects.count() == count


def test_producer_can_add_a_product_under_its_own_page(tree, client):
    registered = factories.register_product(tree.producer_a.producer, name="Sản phẩm mới")
    client.force_login(tree.producer_user_a)
    url = reverse("wagtailadmin_pages:add", args=["cms", "productpage", tree.producer_a.pk])
    form = product_form(tree.product_a, title="Sản phẩm mới", slug="san-pham-moi", register_product=registered.pk)
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    new = ProductPage.objects.get(slug="san-pham-moi")
    assert not new.live and new.get_parent().pk == tree.producer_a.pk
    assert new.register_product == registered


@pytest.mark.parametrize("whose", ["another producer's", "already presented"])
def test_producer_cannot_present_a_product_not_its_own_or_presented_already(tree, client, whose):
    """Crafted POSTs: the register product must be the producer's own and have no page yet."""
    if whose == "already presented":
        registered = tree.product_a.register_product
    else:
        registered = factories.register_product(tree.producer_b.producer)
    client.force_login(tree.producer_user_a)
    url = reverse("wagtailadmin_pages:add", args=["cms", "productpage", tree.producer_a.pk])
    form = product_form(tree.product_a, title="Sản phẩm lạ", slug="san-pham-la", register_product=registered.pk)
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the field's error
    assert "register_product" in response.context["form"].errors
    assert not ProductPage.objects.filter(slug="san-pham-la").exists()


def test_producer_cannot_change_its_pages_register_entry(tree, client):
    client.force_login(tree.producer_user_a)
    other = tree.producer_b.producer
    response = client.post(
        edit_url(tree.producer_a), producer_form(tree.producer_a, intro="Giới thiệu mới", producer=other.pk)
    )
    assert response.status_code == 302, response.content[:2000]
    draft = ProducerPage.objects.get(pk=tree.producer_a.pk).get_latest_revision_as_object()
    assert draft.intro == "Giới thiệu mới"
    assert draft.producer_id == tree.producer_a.producer_id  # the crafted field was ignored


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_producer_cannot_change_its_own_certificate(tree, client, action):
    client.force_login(tree.producer_user_a)
    certificate = tree.certificate_a
    url = reverse(f"wagtailsnippets_catalog_certificate:{action}", args=[certificate.pk])
    response = client.post(
        url,
        {
            "product": tree.product_a.pk,
            "decision_number": certificate.decision_number,
            "kind": "first",
            "decision_date": certificate.decision_date.isoformat(),
            "level": "ministry",
            "issuer": "x",
            "score_a": 40,
            "score_b": 25,
            "score_c": 35,
            "issue_date": "",
            "expiry_date": "2099-01-01",
            "revoked_on": "",
            "revocation_reason": "",
        },
    )
    assert refused(response)
    certificate.refresh_from_db()
    assert (certificate.score, certificate.stars) == (78, 4)
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_officials_register_products_and_producers_cannot(tree, client):
    """Register products are official data: an official adds one; a producer's crafted POST is refused."""
    form = {
        "name": "Cà phê thử",
        "name_en": "",
        "producer": tree.producer_a.producer_id,
        "group": tree.product_a.group.pk,
        "scoring_set": "13",
        "code": "68-24817-3-2026",
    }
    url = reverse("wagtailsnippets_catalog_product:add")
    client.force_login(tree.producer_user_a)
    assert refused(client.post(url, form))
    assert not Product.objects.filter(name="Cà phê thử").exists()
    client.force_login(tree.official)
    assert client.get(reverse("wagtailsnippets_catalog_product:list")).status_code == 200
    response = client.post(url, {**form, "code": "68-2481-3-2026"})
    assert response.status_code == 200 and "code" in response.context["form"].errors  # commune codes have 5 digits
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]
    assert Product.objects.get(name="Cà phê thử").code == "68-24817-3-2026"


def test_producer_cannot_create_a_certificate(tree, client):
    client.force_login(tree.producer_user_a)
    url = reverse("wagtailsnippets_catalog_certificate:add")
    count = Certificate.objects.count()
    response = client.post(
        url,
        {
            "product": tree.product_a.pk,
            "decision_number": "9/QĐ",
            "kind": "first",
            "decision_date": "2026-01-01",
            "level": "province",
            "issuer": "x",
            "score_a": 40,
            "score_b": 25,
            "score_c": 35,
        },
    )
    assert refused(response)
    assert Certificate.objects.count() == count


def test_official_can_keep_the_register(tree, client):
    client.force_login(tree.official)
    url = reverse("wagtailsnippets_catalog_certificate:add")
    response = client.post(
        url,
        {
            "product": tree.product_b.register_product_id,
            "decision_number": "15/QĐ-UBND",
            "kind": "first",
            "decision_date": "2026-01-05",
            "level": "province",
            "issuer": "UBND tỉnh Gia Lai",
            "score_a": 35,
            "score_b": 20,
            "score_c": "31.33",
            "stars": "",
            "rule_version": "",
            "issue_date": "",
            "expiry_date": "",
            "revoked_on": "",
            "revocation_reason": "",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    certificate = Certificate.objects.get(decision_number="15/QĐ-UBND")
    assert (certificate.score, certificate.stars) == (Decimal("86.33"), 4)
    assert certificate.rule_version_id == "148-1489-2025"
    assert certificate.expiry_date.isoformat() == "2029-01-05"


def png_upload(name="anh.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), (10, 120, 40)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_producer_uploads_only_to_its_own_collection(tree, client):
    client.force_login(tree.producer_user_a)
    own = tree.producer_a.producer.collection
    other = ProducerPage.objects.get(pk=tree.producer_b.pk).producer.collection
    Image = get_image_model()
    url = reverse("wagtailimages:add")

    client.post(url, {"title": "Lén", "file": png_upload(), "collection": other.pk})
    client.post(url, {"title": "Lén gốc", "file": png_upload(), "collection": Collection.get_first_root_node().pk})
    assert not Image.objects.filter(title__startswith="Lén").exclude(collection=own).exists()

    response = client.post(url, {"title": "Ảnh của tôi", "file": png_upload(), "collection": own.pk})
    assert response.status_code == 302, response.content[:2000]
    assert Image.objects.get(title="Ảnh của tôi").collection == own


def test_consumer_and_anonymous_cannot_open_the_admin(tree, client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and "login" in response.url
    client.force_login(tree.consumer)
    assert refused(client.get(reverse("wagtailadmin_home")))
    assert refused(client.post(edit_url(tree.product_a), product_form(tree.product_a, title="x")))
    assert ProductPage.objects.get(pk=tree.product_a.pk).get_latest_revision_as_object().title == "Bơ núi lửa thử"
