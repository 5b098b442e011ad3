"""The admin's input paths answer 4xx or a form error, never 500 (issue 10).

Corrupt image uploads (a truncated PNG, a GIF header followed by text) are refused by the
image form (cms/forms.py); a malformed page-edit POST is a 4xx; a producer cannot attach
another producer's image to its page by id, through any field a page form has.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, streamfield

from cms.models import ProducerPage, ProductPage
from tests.integration.test_permissions import edit_url, product_form, refused

pytestmark = pytest.mark.django_db

Image = get_image_model()
DAMAGED_VI = "Tệp bị hỏng hoặc không phải ảnh"


def png_bytes(size=(64, 64)):
    buffer = io.BytesIO()
    PILImage.effect_noise(size, 60).convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


CORRUPT = {
    "truncated.png": png_bytes()[:-200],
    "header-only.png": png_bytes()[:60],
    "text.gif": b"GIF89a" + b"this is not an image, just text\n" * 20,
    "text.jpg": b"\xff\xd8\xff\xe0" + b"not a jpeg" * 50,
    "text.webp": b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"junk" * 40,
}


def upload(name, content):
    kind = name.rsplit(".", 1)[1].replace("jpg", "jpeg")
    return SimpleUploadedFile(name, content, content_type=f"image/{kind}")


@pytest.mark.parametrize("who", ["official", "producer_user_a"])
def test_corrupt_images_are_a_form_error(tree, client, who):
    client.force_login(getattr(tree, who))
    collection = tree.producer_a.producer.collection if who == "producer_user_a" else Collection.get_first_root_node()
    before = Image.objects.count()
    for name, content in CORRUPT.items():
        response = client.post(
            reverse("wagtailimages:add"), {"title": name, "file": upload(name, content), "collection": collection.pk}
        )
        assert response.status_code == 200, name
        assert DAMAGED_VI in response.content.decode() or "không phải ảnh" in response.content.decode(), name
        # The chooser's upload and the multiple uploader use the same form.
        response = client.post(
            reverse("wagtailimages_chooser:create"),
            {
                "image-chooser-upload-title": name,
                "image-chooser-upload-file": upload(name, content),
                "image-chooser-upload-collection": collection.pk,
            },
        )
        assert response.status_code < 500, name
        response = client.post(
            reverse("wagtailimages:add_multiple"), {"files[]": upload(name, content), "collection": collection.pk}
        )
        assert response.status_code < 500 and b'"success": false' in response.content, name
    assert Image.objects.count() == before
    # A sound image still goes through.
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "tốt", "file": upload("ok.png", png_bytes()), "collection": collection.pk},
    )
    assert response.status_code == 302
    assert Image.objects.count() == before + 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda data: {},
        lambda data: {k: v for k, v in data.items() if not k.startswith("gallery_images")},
        lambda data: {k: v for k, v in data.items() if not k.startswith("story")},
        lambda data: {**data, "gallery_images-TOTAL_FORMS": "abc"},
        lambda data: {**data, "gallery_images-TOTAL_FORMS": "99999999"},
        lambda data: {**data, "story-count": "-5"},
        lambda data: {**data, "story-count": "3"},
        lambda data: {**data, "story": '[{"type": "nope"}]'},
        lambda data: {**data, "comments-TOTAL_FORMS": "x"},
        lambda data: {**data, "price": "-1e999", "stock": "NaN"},
        lambda data: {**data, "register_product": "not-a-number"},
        lambda data: {**data, "image": "999999999999999999999"},
        lambda data: {**data, "go_live_at": "31/02/2026 25:61"},
    ],
)
def test_a_malformed_page_edit_post_is_not_a_500(tree, client, mangle):
    client.force_login(tree.official)
    data = product_form(tree.product_a, **{"action-publish": "1"})
    response = client.post(edit_url(tree.product_a), mangle(data))
    assert response.status_code < 500


def own_image(tree, producer_page, title):
    collection = ProducerPage.objects.get(pk=producer_page.pk).producer.collection
    buffer = io.BytesIO(png_bytes((8, 8)))
    from django.core.files.images import ImageFile

    return Image.objects.create(title=title, collection=collection, file=ImageFile(buffer, name=f"{title}.png"))


@pytest.fixture
def images(tree):
    return own_image(tree, tree.producer_a, "cua-a"), own_image(tree, tree.producer_b, "cua-b")


def list_block(values):
    """A ListBlock's form data (Wagtail's form_data helpers have none)."""
    items = {str(i): {"value": v, "deleted": "", "order": str(i), "id": f"item{i}"} for i, v in enumerate(values)}
    return {"count": str(len(values)), **items}


def latest(page):
    return ProductPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_the_image_chooser_offers_a_producer_only_its_own_images(tree, client, images):
    mine, theirs = images
    client.force_login(tree.producer_user_a)
    response = client.get(reverse("wagtailimages_chooser:choose"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "cua-a" in body and "cua-b" not in body
    assert refused(client.get(reverse("wagtailimages_chooser:chosen", args=[theirs.pk])))


def test_a_producer_cannot_attach_another_producers_image_by_id(tree, client, images):
    mine, theirs = images
    client.force_login(tree.producer_user_a)
    url = edit_url(tree.product_a)
    image_block = ("image", {"image": theirs.pk, "caption": "", "alt_text": ""})
    crafted = {
        "main image": product_form(tree.product_a, image=theirs.pk, **{"action-submit": "1"}),
        "gallery": product_form(
            tree.product_a,
            gallery_images=inline_formset([{"image": theirs.pk, "caption": "x"}]),
            **{"action-submit": "1"},
        ),
        "story image": product_form(tree.product_a, story=streamfield([image_block]), **{"action-submit": "1"}),
        "story gallery": product_form(
            tree.product_a,
            story=streamfield([("gallery", {"title": "", "images": list_block([image_block[1]])})]),
            **{"action-submit": "1"},
        ),
    }
    for what, data in crafted.items():
        response = client.post(url, data)
        assert response.status_code == 200, what  # the form again, with the error
        page = latest(tree.product_a)
        assert page.image_id != theirs.pk, what
        assert theirs.pk not in [g.image_id for g in page.gallery_images.all()], what
        assert f'"image": {theirs.pk}' not in str(page.story.get_prep_value()).replace("'", '"'), what

    # Its own image goes through every one of those fields.
    mine_block = ("image", {"image": mine.pk, "caption": "", "alt_text": ""})
    data = product_form(
        tree.product_a,
        image=mine.pk,
        gallery_images=inline_formset([{"image": mine.pk, "caption": "x"}]),
        story=streamfield([mine_block]),
        **{"action-submit": "1"},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    page = latest(tree.product_a)
    assert page.image_id == mine.pk and [g.image_id for g in page.gallery_images.all()] == [mine.pk]


def test_an_official_may_attach_any_image(tree, client, images):
    _, theirs = images
    client.force_login(tree.official)
    response = client.post(edit_url(tree.product_a), product_form(tree.product_a, image=theirs.pk))
    assert response.status_code == 302
    assert latest(tree.product_a).image_id == theirs.pk


def test_the_producer_page_form_is_scoped_too(tree, client, images):
    from tests.integration.test_permissions import producer_form

    _, theirs = images
    client.force_login(tree.producer_user_a)
    page = ProducerPage.objects.get(pk=tree.producer_a.pk)
    response = client.post(edit_url(page), producer_form(page, image=theirs.pk, **{"action-submit": "1"}))
    assert response.status_code == 200
    assert ProducerPage.objects.get(pk=page.pk).get_latest_revision_as_object().image_id != theirs.pk
