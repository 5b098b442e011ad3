"""The register's rules hold in the database: computed score and stars, expiry default,
constraints, and the querysets that decide what is certified."""


import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog import rules
from catalog.models import Certificate
from catalog.rules import Status
from cms.models import ProductPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "parts, score, stars",
    [((10, 10, 9), 29, 1), ((10, 10, 10), 30, 2), ((20, 15, 14), 49, 2), ((20, 15, 15), 50, 3),
     ((25, 20, 24), 69, 3), ((25, 20, 25), 70, 4), ((35, 24, 30), 89, 4), ((35, 25, 30), 90, 5),
     ((40, 25, 35), 100, 5)],
)
def test_database_computes_score_and_stars(tree, parts, score, stars):
    certificate = factories.certificate(tree.product_a, score=parts)
    certificate.refresh_from_db()
    assert (certificate.score, certificate.stars) == (score, stars)
    assert certificate.star_rating == stars  # the Python rule agrees with the database


def test_expiry_defaults_to_36_months_after_decision(tree):
    certificate = factories.certificate(tree.product_a, age_days=0)
    assert certificate.expiry_date == rules.add_months(certificate.decision_date, 36)
    assert certificate.issue_date == certificate.decision_date


def test_part_above_its_maximum_is_refused_by_the_database(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.certificate(tree.product_a, score=(41, 0, 0))


def test_status_and_querysets_agree(tree):
    today = timezone.localdate()
    expiring = factories.certificate(tree.product_a, age_days=1090)
    expired = factories.certificate(tree.product_a, age_days=1100)
    revoked = factories.certificate(tree.product_a, revoked_on=today)
    assert expiring.status() == Status.EXPIRING
    assert expired.status() == Status.EXPIRED
    assert revoked.status() == Status.REVOKED
    in_force = set(Certificate.objects.in_force())
    assert expiring in in_force and expired not in in_force and revoked not in in_force
    assert expiring in set(Certificate.objects.expiring())
    assert tree.certificate_a not in set(Certificate.objects.expiring())


def test_certified_products_need_three_stars_in_force(tree):
    low = factories.product_page(tree.producer_a)
    factories.certificate(low, score=(20, 10, 15))  # 45 → 2★
    lapsed = factories.product_page(tree.producer_a)
    factories.certificate(lapsed, score=(35, 20, 30), age_days=1200)
    revoked = factories.product_page(tree.producer_b)
    factories.certificate(revoked, score=(35, 20, 30), revoked_on=timezone.localdate())
    uncertified = factories.product_page(tree.producer_b)

    certified = set(ProductPage.objects.certified())
    assert certified == {tree.product_a, tree.product_b}
    for page in (low, lapsed, revoked, uncertified):
        assert not ProductPage.objects.get(pk=page.pk).is_certified
    assert ProductPage.objects.get(pk=tree.product_a.pk).is_certified


def test_renewed_certificate_supersedes_the_lapsed_one(tree):
    factories.certificate(tree.product_a, score=(20, 15, 20), age_days=1200, decision_number="1/QĐ-UBND")
    product = ProductPage.objects.with_certification().get(pk=tree.product_a.pk)
    assert product.current_stars == 4  # the certificate in force, not the older one
    assert ProductPage.objects.get(pk=tree.product_a.pk).current_certificate == tree.certificate_a


def test_producer_gets_a_partner_and_an_account_group(tree):
    producer = tree.producer_a.producer
    producer.refresh_from_db()
    assert producer.partner is not None and producer.partner.name == producer.name
    assert producer.group is not None
    assert producer.has_member(tree.producer_user_a)
    assert not producer.has_member(tree.producer_user_b)


def test_historical_district_and_current_province_both_lead_to_the_product(tree, client):
    producer = tree.producer_a.producer
    url = tree.product_index.url
    by_district = client.get(url, {"district": producer.district.slug})
    by_province = client.get(url, {"province": producer.province.slug})
    for response in (by_district, by_province):
        assert response.status_code == 200
        assert tree.product_a in list(response.context["products"])
    elsewhere = client.get(url, {"district": "khong-co"})
    assert list(elsewhere.context["products"]) == []
