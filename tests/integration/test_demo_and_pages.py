"""Demo data loads (twice, without duplicates) and every page type renders on it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from catalog.models import Certificate, Producer
from catalog.rules import Status
from cms import models as cms_models

PAGE_TYPES = [
    cms_models.HomePage,
    cms_models.ProductIndexPage,
    cms_models.ProducerIndexPage,
    cms_models.ProducerPage,
    cms_models.ProductPage,
    cms_models.AnnouncementIndexPage,
    cms_models.AnnouncementPage,
    cms_models.SalesPointIndexPage,
    cms_models.SalesPointPage,
]


def counts():
    return {
        "pages": Page.objects.count(),
        "producers": Producer.objects.count(),
        "certificates": Certificate.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_twice_without_duplicates(capsys):
    call_command("load_demo_data")
    first = counts()
    output = capsys.readouterr().out
    assert "products" in output and "71/71" in output  # progress is shown
    assert "chuthe" in output  # the demo logins are printed
    call_command("load_demo_data", "--quiet-accounts")
    assert counts() == first
    assert "nothing new" in capsys.readouterr().out

    assert cms_models.ProductPage.objects.live().count() >= 60
    stars = {c.stars for c in Certificate.objects.all()}
    assert {3, 4, 5} <= stars
    statuses = [c.status() for c in Certificate.objects.all()]
    assert statuses.count(Status.EXPIRING) >= 1 and statuses.count(Status.EXPIRED) >= 1
    assert statuses.count(Status.REVOKED) >= 1
    assert cms_models.AnnouncementPage.objects.live().count() >= 10
    assert cms_models.SalesPointPage.objects.live().count() >= 5
    for role in ("admin", "canbo", "chuthe", "khachhang"):
        assert get_user_model().objects.filter(username=role).exists()
    # Each producer page is scoped to its producer's own accounts group.
    chuthe = get_user_model().objects.get(username="chuthe")
    page = cms_models.ProducerPage.objects.get(producer__slug="htx-bo-nui-lua-krong-no")
    assert page.permissions_for_user(chuthe).can_edit()
    assert not page.permissions_for_user(chuthe).can_publish()
    other = cms_models.ProducerPage.objects.exclude(pk=page.pk).first()
    assert not other.permissions_for_user(chuthe).can_edit()

    # Every page type renders with status 200 on demo data, in Vietnamese.
    from django.test import Client

    client = Client()
    for model in PAGE_TYPES:
        page = model.objects.live().first()
        response = client.get(page.url)
        assert response.status_code == 200, (model.__name__, page.url)
        assert 'lang="vi"' in response.content.decode()
    home = client.get("/").content.decode()
    assert "Bỏ qua đến nội dung chính" in home  # translated chrome
    attachment = cms_models.AnnouncementDocument.objects.select_related("page", "document").get()
    assert attachment.document.url in client.get(attachment.page.url).content.decode()
    index = cms_models.AnnouncementIndexPage.objects.get()
    for feed, marker in (("rss/", "<rss"), ("atom/", "<feed")):
        response = client.get(index.url + feed)
        assert response.status_code == 200 and marker in response.content.decode()
        # Every link is on the Wagtail site's host, not the sites framework's example.com.
        feed_text = response.content.decode()
        assert "example.com" not in feed_text
        assert index.get_site().root_url + index.announcements().first().url in feed_text

    # The demo's English (fixtures/en/): every page type renders under /en/, in English.
    avocado = cms_models.ProductPage.objects.get(slug="bo-nui-lua-krong-no")
    assert avocado.title_en == "Krông Nô volcanic avocado" and avocado.intro_en
    producer = avocado.producer_page
    assert producer.title_en == "Krông Nô Volcanic Avocado Agricultural Services Cooperative"
    for model in PAGE_TYPES:
        page = model.objects.live().first()
        response = client.get("/en" + page.url)
        assert response.status_code == 200, (model.__name__, page.url)
        assert 'lang="en"' in response.content.decode()
    html = client.get("/en" + avocado.url).content.decode()
    assert "<h1>Krông Nô volcanic avocado</h1>" in html and "Fresh avocados grown on red basalt soil" in html
    assert "<h1>OCOP products of Lâm Đồng – Gia Lai</h1>" in client.get("/en/").content.decode()
    assert ">Food</a>" in client.get("/en/san-pham/").content.decode()  # group names (facets)
