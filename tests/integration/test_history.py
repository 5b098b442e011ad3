"""The register's history: every change to a certificate and a producer is kept, dated and
signed; figures for a past day read the register as it stood then (catalog/history.py)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from catalog import history, rules
from catalog.models import Certificate, Producer
from tests import factories

D = datetime.date


def refused(response):
    """Wagtail answers a permission failure with 403 or a redirect away from the form."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url != response.request["PATH_INFO"]
    )


def certificate_form(product, **changes):
    form = {
        "product": product.pk,
        "decision_number": "15/QĐ-UBND",
        "kind": "first",
        "decision_date": "2026-01-05",
        "level": "province",
        "issuer": "UBND tỉnh Gia Lai",
        "score_a": "35",
        "score_b": "20",
        "score_c": "31.33",
        "stars": "",
        "rule_version": "",
        "issue_date": "",
        "expiry_date": "",
        "revoked_on": "",
        "revocation_reason": "",
    }
    return {**form, **changes}


def producer_form(producer, **changes):
    form = {
        "name": producer.name,
        "slug": producer.slug,
        "legal_form": producer.legal_form,
        "size": producer.size,
        "province": producer.province_id,
        "commune": producer.commune_id or "",
        "district": producer.district_id or "",
        "address": producer.address,
        "representative": producer.representative,
        "phone": producer.phone,
        "email": producer.email,
        "website": producer.website,
        "founded_year": producer.founded_year or "",
        "effective_from": "",
    }
    for flag in ("women_led", "ethnic_minority_led"):
        if getattr(producer, flag):
            form[flag] = "on"
    form.update(changes)
    return {key: value for key, value in form.items() if value is not False}


def registered_since(obj, day):
    """Date `obj`'s first history row to `day`, as the history migration does for the rows
    already in the register."""
    obj.history.filter(history_type="+").update(history_date=history.start_of(day))


def day_of(moment):
    return timezone.localdate(moment)


def test_certificate_created_edited_and_revoked_leaves_three_dated_signed_rows(tree, client):
    official = tree.official
    client.force_login(official)
    product = tree.product_b.register_product
    response = client.post(reverse("wagtailsnippets_catalog_certificate:add"), certificate_form(product))
    assert response.status_code == 302, response.content[:3000]
    certificate = Certificate.objects.get(decision_number="15/QĐ-UBND")

    url = reverse("wagtailsnippets_catalog_certificate:edit", args=[certificate.pk])
    response = client.post(url, certificate_form(product, score_c="25", stars="3"))
    assert response.status_code == 302, response.content[:3000]

    # Revocation is recorded by the lifecycle's service in a request of its own; here by hand.
    certificate.refresh_from_db()
    certificate.revoked_on = D(2026, 6, 1)
    certificate.revocation_ground = Certificate.Ground.MARK_MISUSE
    certificate.revocation_decision_number = "7/QĐ-UBND"
    certificate.revocation_reason = "Dùng nhãn OCOP cho sản phẩm khác"
    certificate._history_user = official
    certificate.save()

    rows = list(certificate.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~", "~"]
    assert [r.history_user for r in rows] == [official, official, official]
    assert all(day_of(r.history_date) == timezone.localdate() for r in rows)
    assert rows[0].history_date < rows[1].history_date < rows[2].history_date
    assert (rows[0].score, rows[0].stars) == (Decimal("86.33"), 4)
    assert (rows[1].score, rows[1].stars) == (80, 3)
    assert (rows[1].revoked_on, rows[2].revoked_on) == (None, D(2026, 6, 1))
    changed = [label for label, _old, _new in history.changes(rows[1], rows[0])]
    assert [str(label) for label in changed] == ["Phần C: Chất lượng sản phẩm", "Hạng sao"]


def test_certificates_as_of_a_day_count_what_was_in_force_then(tree):
    product = tree.product_a.register_product
    today = timezone.localdate()

    def decided(day, **kwargs):
        return factories.certificate(product, age_days=(today - day).days, **kwargs)

    revoked = decided(D(2022, 6, 1), revoked_on=D(2025, 5, 1))  # 78 → 4★, valid until 2025
    newer = decided(D(2024, 3, 1), score=(20, 15, 20))  # 55 → 3★
    lapsed = decided(D(2019, 1, 1))  # expired on 1/1/2022
    low = decided(D(2023, 2, 1), score=(10, 10, 10))  # 30 → 2★, not an OCOP product
    mistake = decided(D(2023, 5, 1))
    mistake_pk = mistake.pk
    mistake.delete()  # entered by mistake today, deleted today: never in any figure

    def status(day):
        return dict(history.certificates_as_of(day).filter(product_id=product.pk).values_list("id", "status"))

    assert status(D(2023, 12, 31)) == {revoked.pk: "valid", lapsed.pk: "expired", low.pk: "valid"}
    assert status(D(2025, 5, 1)) == {revoked.pk: "revoked", newer.pk: "valid", lapsed.pk: "expired", low.pk: "valid"}
    certified = history.certified_as_of(D(2023, 12, 31)).filter(product_id=product.pk)
    assert list(certified.values_list("id", flat=True)) == [revoked.pk]
    assert set(history.certified_as_of(D(2025, 6, 1)).filter(product_id=product.pk).values_list("id", flat=True)) == {
        newer.pk
    }
    assert not history.certificates_as_of(D(2023, 12, 31)).filter(id=mistake_pk).exists()
    assert set(status(D(2021, 12, 31))) == {lapsed.pk}  # nothing decided later counts before its decision

    # The SQL status is rules.certificate_status on the day, at every boundary.
    days = [D(2021, 12, 31), D(2022, 1, 1), D(2022, 1, 2), D(2025, 4, 30), D(2025, 5, 1), today]
    days += [newer.expiry_date - datetime.timedelta(days=n) for n in (-1, 0, 1, 29, 30, 31, 60)]
    for day in days:
        for row in history.certificates_as_of(day).filter(product_id=product.pk):
            expected = rules.certificate_status(expiry_date=row.expiry_date, revoked_on=row.revoked_on, today=day)
            assert row.status == expected, (day, row.decision_number)


def test_a_change_counts_from_when_it_was_recorded_not_before(tree):
    """A certificate's stars lowered and a producer become women-led in 2026 do not change
    the figures of 2024; a certificate deleted in 2026 still counts in 2024."""
    product = tree.product_a.register_product
    decided = D(2023, 9, 1)
    certificate = factories.certificate(product, age_days=(timezone.localdate() - decided).days)  # 78 → 4★
    registered_since(certificate, decided)
    certificate.stars = 3
    certificate.save()
    producer = product.producer
    registered_since(producer, D(2020, 1, 1))
    producer.women_led = True
    producer.save()

    assert history.certificates_as_of(D(2024, 6, 1)).get(id=certificate.pk).stars == 4
    assert history.certificates_as_of(timezone.localdate()).get(id=certificate.pk).stars == 3
    assert not history.producers_as_of(D(2024, 12, 31)).get(id=producer.pk).women_led
    assert history.producers_as_of(timezone.localdate()).get(id=producer.pk).women_led
    assert not history.producers_as_of(D(2024, 12, 31)).filter(women_led=True, id=producer.pk).exists()

    pk = certificate.pk
    certificate.delete()
    assert history.certificates_as_of(D(2024, 6, 1)).filter(id=pk).exists()
    assert not history.certificates_as_of(timezone.localdate()).filter(id=pk).exists()


def test_producers_as_of_take_a_later_entry_as_first_recorded_but_not_before_its_founding(db):
    producer = factories.ProducerFactory(founded_year=2021, ethnic_minority_led=True, size="small")
    # Entered today, its facts are the best the register knows of 2023.
    then = history.producers_as_of(D(2023, 6, 30)).get(id=producer.pk)
    assert (then.ethnic_minority_led, then.size, then.legal_form) == (True, "small", "cooperative")
    assert not history.producers_as_of(D(2020, 12, 31)).filter(id=producer.pk).exists()


def test_an_official_dates_a_producers_change_with_effective_from(tree, client):
    producer = tree.producer_a.producer
    registered_since(producer, D(2023, 1, 1))
    url = reverse("wagtailsnippets_catalog_producer:edit", args=[producer.pk])
    client.force_login(tree.official)

    response = client.post(url, producer_form(producer, women_led="on", effective_from="2099-01-01"))
    assert response.status_code == 200
    assert "Ngày có hiệu lực không được ở tương lai." in response.context["form"].errors["effective_from"]
    response = client.post(url, producer_form(producer, women_led="on", effective_from="2022-12-31"))
    assert response.status_code == 200
    assert "01/01/2023" in response.context["form"].errors["effective_from"][0]
    assert producer.history.count() == 1

    response = client.post(url, producer_form(producer, women_led="on", size="micro", effective_from="2025-03-01"))
    assert response.status_code == 302, response.content[:3000]
    row = producer.history.latest()
    assert (row.history_type, row.history_user, row.women_led, row.size) == ("~", tree.official, True, "micro")
    assert row.history_date == history.start_of(D(2025, 3, 1))
    assert day_of(row.history_recorded_at) == timezone.localdate()

    assert not history.producers_as_of(D(2025, 2, 28)).get(id=producer.pk).women_led
    assert history.producers_as_of(D(2025, 3, 1)).get(id=producer.pk).women_led
    assert history.producers_as_of(D(2025, 3, 1)).get(id=producer.pk).size == "micro"

    # Saved again without a change: no history row. Changed without a date: dated now.
    producer.refresh_from_db()
    assert client.post(url, producer_form(producer)).status_code == 302
    assert producer.history.count() == 2
    assert client.post(url, producer_form(producer, ethnic_minority_led="on")).status_code == 302
    assert producer.history.count() == 3
    assert day_of(producer.history.latest().history_date) == timezone.localdate()


def test_the_history_panel_shows_the_changes_on_both_edit_pages(tree, client):
    certificate = tree.certificate_a
    certificate.stars = 3
    certificate._history_user = tree.official
    certificate.save()
    producer = tree.producer_a.producer
    registered_since(producer, D(2023, 1, 1))
    producer.legal_form = Producer.LegalForm.ENTERPRISE
    producer.women_led = True
    producer._history_date = history.start_of(D(2025, 3, 1))
    producer.save()

    client.force_login(tree.official)
    page = client.get(reverse("wagtailsnippets_catalog_certificate:edit", args=[certificate.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Hạng sao: 4★ → 3★" in html
    assert tree.official.get_username() in html

    page = client.get(reverse("wagtailsnippets_catalog_producer:edit", args=[producer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lịch sử thay đổi" in html and "Có hiệu lực từ ngày" in html
    assert "Loại hình chủ thể: Hợp tác xã → Doanh nghiệp" in html
    assert "Do phụ nữ làm chủ: Không → Có" in html
    assert "01/03/2025 00:00" in html  # the date it took effect, and when it was entered
    assert f"nhập ngày {timezone.localdate():%d/%m/%Y}" in html


@pytest.mark.parametrize("model", ["certificate", "producer"])
def test_a_producer_account_cannot_reach_the_history(tree, client, model):
    client.force_login(tree.producer_user_a)
    obj = tree.certificate_a if model == "certificate" else tree.producer_a.producer
    response = client.get(reverse(f"wagtailsnippets_catalog_{model}:edit", args=[obj.pk]))
    assert refused(response)
    assert "Lịch sử thay đổi" not in response.content.decode()


def test_the_history_migration_dates_the_rows_already_in_the_register(tree):
    certificate = tree.certificate_a
    founded = tree.producer_a.producer
    Producer.objects.filter(pk=founded.pk).update(founded_year=2015)
    unknown = tree.producer_b.producer
    Certificate.history.all().delete()
    Producer.history.all().delete()

    migration = importlib.import_module("catalog.migrations.0011_history")
    before = timezone.now()
    migration.first_history_rows(django_apps, None)

    row = certificate.history.get()
    assert (row.history_type, row.history_date) == ("+", history.start_of(certificate.decision_date))
    assert (row.stars, row.product_id, row.history_user) == (4, certificate.product_id, None)
    assert row.history_recorded_at >= before
    assert founded.history.get().history_date == history.start_of(D(2015, 1, 1))
    assert unknown.history.get().history_date >= before
    assert history.producers_as_of(D(2016, 1, 1)).filter(id=founded.pk).exists()
