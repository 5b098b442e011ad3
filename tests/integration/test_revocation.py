"""Revocation (Decision 26/2026 art. 8) and inspections after certification, as officials
do them in the admin, and what the public then sees: the product leaves the shop, the list
and the search; its page says why and never shows the old stars."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Certificate
from cms.lifecycle.models import Inspection
from search.models import SearchDocument
from storefront.partner import sync
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _rules(rulebook):
    """The rule versions with their levels (who recognises, so who revokes, which stars)."""


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def revoke_url(certificate, query=""):
    return reverse("lifecycle:revoke", args=[certificate.pk]) + query


def revocation_post(**overrides):
    data = {
        "ground": Certificate.Ground.CRITERIA_NOT_KEPT,
        "decision_number": "15/QĐ-UBND",
        "kind": "first",
        "decided_on": TODAY.isoformat(),
        "level": Certificate.Level.PROVINCE,
        "issuer": "Chủ tịch UBND tỉnh Lâm Đồng",
        "reason": "Kết quả kiểm nghiệm không đạt chỉ tiêu đã công bố.",
        "notify": "on",
    }
    data.update(overrides)
    return data


def certificate_section(html):
    return re.search(r'<section class="certificate".*?</section>', html, re.S).group(0)


def test_an_official_revokes_and_the_product_leaves_shop_list_and_search(
    tree, client, django_capture_on_commit_callbacks
):
    page, certificate = tree.product_a, tree.certificate_a
    assert page.title in client.get("/san-pham/").content.decode()
    assert f'href="{page.url}"' in client.get("/search/", {"q": page.title}).content.decode()
    client.force_login(tree.official)
    form = client.get(revoke_url(certificate))
    assert form.status_code == 200
    # The rules in force today: the province revokes a 4★ certificate.
    assert form.context["form"].initial["level"] == Certificate.Level.PROVINCE
    assert SearchDocument.objects.filter(kind="product", object_id=page.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(revoke_url(certificate), revocation_post())

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_on == TODAY
    assert certificate.revocation_ground == Certificate.Ground.CRITERIA_NOT_KEPT
    assert certificate.revocation_decision_number == "15/QĐ-UBND"
    assert certificate.status() == "revoked"
    # The index drops it in the same transaction (an engine through the outbox, search/outbox.py).
    assert not SearchDocument.objects.filter(kind="product", object_id=page.pk).exists()
    # Written notice to the producer, in Vietnamese.
    (notice,) = mail.outbox
    assert tree.producer_user_a.email in notice.to
    assert notice.subject.startswith("Thông báo thu hồi Giấy chứng nhận OCOP")
    assert "15/QĐ-UBND" in notice.body and "Không duy trì các tiêu chí" in notice.body

    client.logout()
    assert page.title not in client.get("/san-pham/").content.decode()
    assert f'href="{page.url}"' not in client.get("/search/", {"q": page.title}).content.decode()
    html = client.get(page.url).content.decode()
    section = certificate_section(html)
    assert "Sản phẩm này không còn là sản phẩm OCOP" in section
    assert "15/QĐ-UBND" in section and "Kết quả kiểm nghiệm không đạt" in section
    assert "★" not in section and "star-badge" not in section
    assert '"award"' not in html
    assert "add-to-basket" not in html
    label = client.get(page.url + "tem/").content.decode()
    assert "★" not in label and "sao" not in label.split("<main", 1)[1].split("</main>")[0].replace(
        "không còn là sản phẩm OCOP", ""
    )
    refused = client.post(reverse("basket:add", args=[sync.product_for(page).pk]), {"quantity": 1})
    assert refused.status_code in (302, 400)
    assert not client.get(reverse("basket:summary")).context["basket"].all_lines()


def test_an_expired_certificate_shows_no_stars_anywhere(tree, client):
    page = factories.product_page(tree.producer_a, title="Cà phê hết hạn")
    factories.certificate(page, score=(35, 22, 33), age_days=1200)  # 90 → 5★, expired
    html = client.get(page.url).content.decode()
    section = certificate_section(html)
    assert "không còn là sản phẩm OCOP" in section and "hết hiệu lực" in section
    assert "★" not in section
    assert '"award"' not in html
    assert "★" not in client.get(page.url + "tem/").content.decode()
    assert page.title not in client.get("/san-pham/").content.decode()


def test_the_level_that_revokes_follows_the_rules(tree, client):
    five = factories.product_page(tree.producer_a, title="Năm sao")
    certificate = factories.certificate(five, score=(38, 24, 30), level=Certificate.Level.MINISTRY)  # 92 → 5★
    client.force_login(tree.official)
    assert client.get(revoke_url(certificate)).context["form"].initial["level"] == Certificate.Level.MINISTRY
    response = client.post(revoke_url(certificate), revocation_post(level=Certificate.Level.PROVINCE))
    assert response.status_code == 400
    assert "Bộ Nông nghiệp và Môi trường" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_on is None and not mail.outbox


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"decided_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "tương lai"),
        ({"decided_on": "2020-01-01"}, "trước ngày quyết định"),
        ({"ground": "forgotten"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"decision_number": ""}, "bắt buộc"),
    ],
)
def test_bad_revocations_are_refused_in_vietnamese(tree, client, overrides, message):
    client.force_login(tree.official)
    response = client.post(revoke_url(tree.certificate_a), revocation_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    tree.certificate_a.refresh_from_db()
    assert tree.certificate_a.revoked_on is None


def test_a_lapsed_certificate_cannot_be_revoked_after_its_expiry(tree, client):
    lapsed = factories.certificate(factories.product_page(tree.producer_a, title="Đã hết hạn"), age_days=1200)
    client.force_login(tree.official)
    response = client.post(revoke_url(lapsed), revocation_post())
    assert response.status_code == 400
    assert "đã hết hiệu lực vào ngày đó" in response.content.decode()
    lapsed.refresh_from_db()
    assert lapsed.revoked_on is None


def test_a_revoked_certificate_cannot_be_revoked_again(tree, client, django_capture_on_commit_callbacks):
    client.force_login(tree.official)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(revoke_url(tree.certificate_a), revocation_post()).status_code == 302
    again = client.post(revoke_url(tree.certificate_a), revocation_post(decision_number="99/QĐ-UBND"))
    assert again.status_code == 400
    tree.certificate_a.refresh_from_db()
    assert tree.certificate_a.revocation_decision_number == "15/QĐ-UBND"
    assert len(mail.outbox) == 1


def test_a_past_revocation_can_be_recorded_without_a_notice(tree, client):
    client.force_login(tree.official)
    past = (TODAY - datetime.timedelta(days=10)).isoformat()
    data = revocation_post(decided_on=past)
    del data["notify"]
    assert client.post(revoke_url(tree.certificate_a), data).status_code == 302
    assert not mail.outbox
    tree.certificate_a.refresh_from_db()
    assert tree.certificate_a.revoked_on.isoformat() == past


@pytest.mark.parametrize("who", ["producer_user_a", "consumer", "anonymous"])
def test_others_cannot_revoke(tree, client, who):
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    get = client.get(revoke_url(tree.certificate_a))
    post = client.post(revoke_url(tree.certificate_a), revocation_post())
    assert get.status_code in (302, 403) and post.status_code in (302, 403)
    tree.certificate_a.refresh_from_db()
    assert tree.certificate_a.revoked_on is None and not mail.outbox


def inspection_post(product, **overrides):
    data = {
        "product": product.pk,
        "kind": Inspection.Kind.AD_HOC,
        "inspected_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "inspectors": "Đoàn kiểm tra liên ngành",
        "findings": "Biểu trưng OCOP in trên sản phẩm khác.",
        "criteria_kept": "on",
        "mark_use": Inspection.MarkUse.MISUSED,
        "outcome": Inspection.Outcome.REVOKE,
        "remedy_by": "",
    }
    data.update(overrides)
    return data


def test_an_inspection_is_recorded_and_leads_to_revocation(tree, client):
    client.force_login(tree.official)
    product = tree.product_a.register_product
    add = reverse("wagtailsnippets_lifecycle_inspection:add")
    response = client.post(add, inspection_post(product))
    assert response.status_code == 302, response.content.decode()[-2000:]
    inspection = Inspection.objects.get()
    assert inspection.certificate == tree.certificate_a and inspection.recorded_by == tree.official

    listing = client.get(reverse("wagtailsnippets_lifecycle_inspection:list"), {"year": TODAY.year})
    html = listing.content.decode()
    link = revoke_url(tree.certificate_a, f"?inspection={inspection.pk}")
    assert link in html
    form = client.get(link)
    assert form.context["form"].initial["ground"] == Certificate.Ground.MARK_MISUSE
    assert form.context["due"] == inspection.inspected_on + datetime.timedelta(days=15)

    assert client.post(link, revocation_post(ground=Certificate.Ground.MARK_MISUSE)).status_code == 302
    assert link not in client.get(reverse("wagtailsnippets_lifecycle_inspection:list")).content.decode()


def test_an_inspection_needs_a_certificate_in_force_that_day(tree, client):
    client.force_login(tree.official)
    bare = factories.product_page(tree.producer_a, title="Chưa có giấy").register_product
    response = client.post(reverse("wagtailsnippets_lifecycle_inspection:add"), inspection_post(bare))
    assert response.status_code == 200
    assert "không có giấy chứng nhận OCOP còn hiệu lực" in response.content.decode()
    assert not Inspection.objects.exists()


def test_inspections_are_listed_per_product_and_year(tree, client):
    a, b = tree.product_a.register_product, tree.product_b.register_product
    for product, days in ((a, 5), (b, 6), (a, 60)):
        inspection = Inspection(
            product=product,
            inspected_on=TODAY - datetime.timedelta(days=days),
            inspectors="Đoàn",
            findings=f"Ghi nhận {days}",
            mark_use=Inspection.MarkUse.CORRECT,
            outcome=Inspection.Outcome.KEPT,
        )
        inspection.clean()
        inspection.save()
    client.force_login(tree.official)
    url = reverse("wagtailsnippets_lifecycle_inspection:list")
    inspected = [TODAY - datetime.timedelta(days=d) for d in (5, 60)]
    rows = client.get(url, {"year": inspected[0].year, "product": a.pk}).context["object_list"]
    assert [i.findings for i in rows] == [
        f"Ghi nhận {d}" for d, day in zip((5, 60), inspected, strict=True) if day.year == inspected[0].year
    ]
    export = client.get(url, {"product": a.pk, "export": "csv"})
    csv_text = b"".join(export.streaming_content).decode()
    assert "Ghi nhận 5" in csv_text and "Ghi nhận 60" in csv_text and "Ghi nhận 6," not in csv_text
    assert "Đột xuất" in csv_text or "Định kỳ" in csv_text
    client.force_login(tree.producer_user_a)
    assert client.get(url).status_code in (302, 403)


def test_revoked_product_jsonld_has_no_award(tree, client):
    html = client.get(tree.product_a.url).content.decode()
    assert '"award"' in html  # certified: the award is there to begin with
    tree.certificate_a.revoked_on = TODAY
    tree.certificate_a.revocation_ground = Certificate.Ground.PRODUCTION_STOPPED
    tree.certificate_a.revocation_reason = "Ngừng sản xuất"
    tree.certificate_a.save()
    html = client.get(tree.product_a.url).content.decode()
    data = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    assert data and all("award" not in str(d) for d in data)
