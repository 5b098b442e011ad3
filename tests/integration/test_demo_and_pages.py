"""Demo data loads (twice, without duplicates) and every page type renders on it; its
certificates spread over 2021–2026, each under the rules of its day."""

import datetime
import re
from itertools import groupby, pairwise

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from catalog import rules
from catalog.history import certified_as_of
from catalog.models import Certificate, MarketplaceListing, Producer, Product, SalesChannel
from catalog.rules import Status
from cms import models as cms_models
from cms.demo import DEMO_DAY, DemoLoader
from cms.evaluation.models import Dossier

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
        "certificate rows": Certificate.history.count(),
        "sales channels": SalesChannel.objects.count(),
        "listings": MarketplaceListing.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_twice_without_duplicates(capsys):
    # The first load as one that began the day before and ran past midnight: the workflow dates
    # each filing on the real day, and the demo still decides on or after it.
    DemoLoader(today=timezone.localdate() - datetime.timedelta(days=1)).run()
    decided = Dossier.objects.exclude(decision_date=None)
    assert decided.count() >= 2 and all(d.decision_date >= d.submitted_on for d in decided)
    first = counts()
    call_command("load_demo_data")
    assert counts() == first
    output = capsys.readouterr().out
    assert "products" in output and "71/71" in output  # progress is shown
    assert "nothing new" in output
    assert "chuthe" in output  # the demo logins are printed
    check_certificate_history()
    check_market_facts()

    assert cms_models.ProductPage.objects.live().count() >= 60
    stars = {c.stars for c in Certificate.objects.all()}
    assert {3, 4, 5} <= stars
    # Fixed decision dates: some certificates expiring on the day they were chosen for, some
    # expired and one revoked (revocations stay relative to the load, like inspections).
    assert [c.status(DEMO_DAY) for c in Certificate.objects.all()].count(Status.EXPIRING) >= 1
    statuses = [c.status() for c in Certificate.objects.all()]
    assert statuses.count(Status.EXPIRED) >= 1 and statuses.count(Status.REVOKED) >= 1
    # The one real decision keeps its number and date; no invented decision is 5★.
    honey = Certificate.objects.get(decision_number="377/QĐ-BNN-VPĐP")
    assert (honey.product.name, honey.decision_date, honey.stars) == (
        "Mật ong Phương Di",
        datetime.date(2025, 1, 17),
        5,
    )
    assert honey.level == Certificate.Level.MINISTRY
    assert list(Certificate.objects.filter(stars=5)) == [honey]
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
    check_english_content(client)


# A lowercase word with a Vietnamese letter: running Vietnamese text. Proper names (places,
# producers, peoples: "Krông Nô", "M'nông", "Tết") are capitalised in English and stay.
VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
ENGLISH_CONTENT = "main .lead, main .story, main .specs dd, main .body, main figcaption, main .price"


def check_english_content(client):
    """Every /en/ product, producer, sales point and announcement page of the demo shows its
    story, specifications, captions, unit and descriptions in English: nothing in <main> falls
    back to Vietnamese (lang="vi"), and those parts hold no lowercase Vietnamese word."""
    models = [cms_models.ProductPage, cms_models.ProducerPage, cms_models.SalesPointPage, cms_models.AnnouncementPage]
    found = []
    for model in models:
        for page in model.objects.live():
            main = BeautifulSoup(client.get("/en" + page.url).content, "html.parser").main
            fallback = [tag.get_text(" ", strip=True)[:60] for tag in main.select('[lang="vi"]')]
            words = {
                word
                for tag in main.select(ENGLISH_CONTENT)
                for word in re.findall(r"[\w']+", tag.get_text(" "))
                if word[0].islower() and VIETNAMESE_LETTERS & set(word)
            }
            if fallback or words:
                found.append(f"{page.url}: {fallback} {sorted(words)}")
    assert not found, "\n".join(found)


def check_certificate_history():
    """Decisions in every year 2021–2026, each under the rule version of its day, with the
    level that version gives its stars, and kinds that follow each product's decisions."""
    certificates = list(
        Certificate.objects.select_related("product__producer__province").order_by("product_id", "decision_date", "pk")
    )
    assert {c.decision_date.year for c in certificates} >= set(range(2021, 2027))
    assert {c.decision_date.year for c in certificates if c.kind == Certificate.Kind.FIRST} >= set(range(2021, 2027))
    versions = {}
    for certificate in certificates:
        version = versions.get(certificate.decision_date) or rules.rule_set_on(certificate.decision_date)
        versions[certificate.decision_date] = version
        assert certificate.rule_version_id == version.code, certificate
        assert certificate.level == version.level_for(certificate.stars).level, certificate
    assert {v.code for v in versions.values()} == {"1048-2019", "148-2023", "148-1489-2025", "26-2026"}
    earlier_kinds = set()
    for _, rows in groupby(certificates, key=lambda c: c.product_id):
        rows = list(rows)
        assert rows[0].kind == Certificate.Kind.FIRST, rows[0]
        for previous, certificate in pairwise(rows):
            earlier_kinds.add((certificate.product.producer.province.code, certificate.kind))
            if certificate.kind == Certificate.Kind.UPGRADE:
                assert certificate.stars > previous.stars, certificate
            else:
                assert certificate.kind == Certificate.Kind.REEVALUATION, certificate
                assert certificate.stars <= previous.stars and certificate.decision_date > previous.expiry_date
    # Both provinces' products were upgraded and re-evaluated.
    assert {(p, k) for p in ("52", "68") for k in ("upgrade", "reevaluation")} <= earlier_kinds
    # Under 1048/2019 and 148/2023 the district recognised 3★; from 07/2025 the province.
    district = Certificate.objects.filter(stars=3, decision_date__lt=datetime.date(2023, 1, 1)).first()
    assert district.level == "district" and district.issuer.startswith("UBND huyện")
    assert not Certificate.objects.filter(level="district", decision_date__gte=datetime.date(2025, 7, 6)).exists()
    # A certificate revoked in 2026 still counts in the figures of the years before.
    revoked = Certificate.objects.get(revoked_on__isnull=False)
    assert certified_as_of(revoked.revoked_on - datetime.timedelta(days=1)).filter(id=revoked.pk).exists()
    assert not certified_as_of(revoked.revoked_on).filter(id=revoked.pk).exists()


def check_market_facts():
    """Producers' sizes and channels, listings for most products, dated sales points."""
    assert not Producer.objects.exclude(legal_form=Producer.LegalForm.ENTERPRISE).exclude(size="").exists()
    assert Producer.objects.exclude(size="").count() >= 5
    with_channels = Producer.objects.filter(sales_channels__isnull=False).distinct().count()
    assert Producer.objects.count() * 0.8 < with_channels < Producer.objects.count()
    assert SalesChannel.objects.filter(until__isnull=False).exists()
    listed = Product.objects.filter(listings__isnull=False).distinct().count()
    assert Product.objects.count() / 2 < listed < Product.objects.count()
    for listing in MarketplaceListing.objects.all():
        listing.full_clean()  # https, on the platform's host
    points = cms_models.SalesPointPage.objects.live()
    gia_lai = points.filter(province__code="52")
    assert 8 <= gia_lai.count() <= 10
    assert len({p.opened_on.year for p in gia_lai}) >= 4
    assert not points.filter(opened_on__isnull=True).exists()
    assert points.filter(province__code="68", district__isnull=False).count() >= 3
    # Product pages are dated as published after the product's first decision, not on the load day.
    assert cms_models.ProductPage.objects.filter(first_published_at__year__lt=2025).count() >= 30
