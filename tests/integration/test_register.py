"""The register's rules hold: stored score and stars checked against the band and the rule
version, expiry default, constraints, and the querysets that decide what is certified."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
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
    [
        ((10, 10, 9), 29, 1),
        ((10, 10, 10), 30, 2),
        ((20, 15, 14), 49, 2),
        ((20, 15, 15), 50, 3),
        ((25, 20, 24), 69, 3),
        ((25, 20, 25), 70, 4),
        ((35, 24, 30), 89, 4),
        ((35, 25, 30), 90, 5),
        ((40, 25, 35), 100, 5),
        (("25.33", "20.00", "24.67"), 70, 4),
        (("25.33", "20.00", "24.66"), "69.99", 3),
    ],
)
def test_score_is_stored_and_stars_default_to_its_band(tree, parts, score, stars):
    certificate = factories.certificate(tree.product_a, score=tuple(Decimal(p) for p in parts))
    certificate.refresh_from_db()
    assert (certificate.score, certificate.stars) == (Decimal(score), stars)
    assert rules.stars_for_score(certificate.score) == stars  # the Python rule agrees with what is stored


def test_stars_are_what_the_decision_recognised_never_above_the_band(tree):
    held_back = factories.certificate(tree.product_a, score=(30, 20, 25), stars=3)  # 75, a 4★ minimum missed
    held_back.refresh_from_db()
    assert (held_back.score, held_back.stars) == (75, 3)
    held_back.full_clean()
    too_many = Certificate(
        product=tree.product_a.register_product,
        decision_number="9/QĐ",
        decision_date=timezone.localdate(),
        level=Certificate.Level.PROVINCE,
        issuer="UBND",
        score_a=30,
        score_b=20,
        score_c=15,
        stars=4,
    )
    with pytest.raises(ValidationError) as error:
        too_many.full_clean()
    assert "stars" in error.value.message_dict


def test_part_maxima_follow_the_rule_version(tree):
    certificate = Certificate(
        product=tree.product_a.register_product,
        decision_number="8/QĐ",
        decision_date=datetime.date(2024, 5, 1),
        level=Certificate.Level.PROVINCE,
        issuer="UBND",
        score_a=20,
        score_b=20,
        score_c=38,
    )
    with pytest.raises(ValidationError) as error:
        certificate.full_clean()  # 148/2023: part C is 35 at most
    assert "score_c" in error.value.message_dict
    certificate.decision_date = datetime.date(2021, 5, 1)
    certificate.full_clean()  # 1048/2019: part C is 40 at most
    certificate.save()
    assert certificate.rule_version_id == "1048-2019"


def test_scores_out_of_range_are_refused_by_the_database(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.certificate(tree.product_a, score=(-1, 25, 35))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.certificate(tree.product_a, score=(41, 25, 35), stars=5)


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
