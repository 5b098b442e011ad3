"""{% image %} and {% srcset_image %} of cms/templatetags/ocop_images.py print what Wagtail's do,
prefetched or not, and give a missing source file Wagtail's "not-found" rendition."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.template import engines
from PIL import Image as PILImage
from wagtail.images import get_image_model

TAGS = (
    '{% image img fill-400x300 format-webp loading="lazy" alt="" %}'
    "|{% image img width-1000 format-webp as r %}{{ r.url }} {{ r.width }}x{{ r.height }}"
    '|{% srcset_image img width-{320,640} format-webp sizes="33vw" alt=title %}'
    "|{% image missing width-100 %}"
)


def render(library, image, **context):
    template = engines["django"].from_string("{% load " + library + " %}" + TAGS)
    return template.render({"img": image, "title": "Ảnh <thử>", "missing": None, **context})


def jpeg_image(title="Ảnh thử", size=(900, 600)):
    # The renditions cache outlives a test's rollback, and image ids are reused.
    get_image_model().get_rendition_model().cache_backend.clear()
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 60)).save(buffer, format="JPEG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="anh-the.jpg"))


@pytest.mark.django_db
def test_same_html_as_wagtails_tags_prefetched_or_not():
    image = jpeg_image()
    wagtails = render("wagtailimages_tags", image)  # makes the renditions
    assert wagtails.count("<img") == 2 and ".format-webp" in wagtails
    assert render("ocop_images", image) == wagtails
    specs = ["fill-400x300|format-webp", "width-1000|format-webp", "width-320|format-webp", "width-640|format-webp"]
    prefetched = get_image_model().objects.prefetch_renditions(*specs).get(pk=image.pk)
    assert render("ocop_images", prefetched) == wagtails
    # Twice from one compiled template (the filters kept on its nodes): the same again.
    template = engines["django"].from_string("{% load ocop_images %}" + TAGS)
    context = {"img": image, "title": "Ảnh <thử>", "missing": None}
    assert template.render(context) == template.render(context) == wagtails


@pytest.mark.django_db
def test_a_missing_source_file_renders_wagtails_not_found_image():
    image = jpeg_image()
    image.file.storage.delete(image.file.name)
    wagtails = render("wagtailimages_tags", image)
    assert "not-found" in wagtails
    assert render("ocop_images", image) == wagtails


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "widths"), [((900, 600), [480, 800, 900]), ((300, 200), [300])])
def test_lead_picture_offers_each_width_once_and_phones_at_most_800(size, widths):
    image = jpeg_image(size=size)
    html = engines["django"].from_string('{% load ocop_images %}{% lead_picture img alt=alt sizes="55vw" %}')
    html = html.render({"img": image, "alt": "Bơ <núi lửa>"})
    urls = {w: image.get_rendition(f"width-{w}|format-webp").url for w in (480, 800, 1200)}
    source = re.search(
        r'<source media="\(max-width: 59.99em\)" type="image/webp" sizes="100vw" srcset="([^"]+)">', html
    )
    img = re.search(r'<img src="([^"]+)" srcset="([^"]+)" sizes="\(min-width: 60em\) 55vw, 100vw" width="(\d+)"', html)
    assert [int(e.rsplit(" ", 1)[1][:-1]) for e in img.group(2).split(", ")] == widths
    assert [int(e.rsplit(" ", 1)[1][:-1]) for e in source.group(1).split(", ")] == [w for w in widths if w <= 800]
    assert img.group(1) == urls[480] and int(img.group(3)) == min(480, size[0])
    assert 'alt="Bơ &lt;núi lửa&gt;" loading="eager" fetchpriority="high"' in html
    assert engines["django"].from_string("{% load ocop_images %}{% lead_picture None %}").render({}) == ""
