"""The officials' certificate list (issue 12, part 1): each filter narrows it to the right
rows, its CSV export holds exactly what it shows, its queries do not grow with its rows,
and a certificate entered by hand is checked against the rule version of its decision date.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Certificate, ProductGroup
from catalog.rules import Status
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_catalog_certificate:list")
ADD = reverse("wagtailsnippets_catalog_certificate:add")


class Register:
    """Certificates in every status, two provinces and districts, a group and its sub-group."""


@pytest.fixture
def register(tree, rulebook):
    reg = Register()
    reg.tree = tree
    reg.today = timezone.localdate()
    a = tree.product_a.register_product
    reg.valid_a, reg.valid_b = tree.certificate_a, tree.certificate_b
    reg.expiring = factories.certificate(a, score=(25, 15, 20), age_days=1090, level="district")
    reg.expired = factories.certificate(a, score=(25, 15, 20), age_days=1100, level="district")
    reg.revoked = factories.certificate(tree.product_b, score=(30, 20, 25), revoked_on=reg.today)
    gia_lai = factories.ProvinceFactory(code="64", name="Gia Lai", slug="gia-lai")
    an_khe = factories.DistrictFactory(slug="an-khe", name="Thị xã An Khê", former_province="Gia Lai", province=gia_lai)
    reg.drinks = ProductGroup.objects.create(code="2", name="Đồ uống")
    reg.tea = ProductGroup.objects.create(code="2.1", name="Trà", parent=reg.drinks)
    reg.far_producer = factories.ProducerFactory(name="HTX Trà An Khê", province=gia_lai, district=an_khe)
    tea = factories.register_product(reg.far_producer, name="Trà An Khê", group=reg.tea, code="64-23500-1-2025")
    reg.ministry = factories.certificate(
        tea, score=(38, 24, 32), age_days=200, level="ministry", issuer="Bộ Nông nghiệp và Môi trường"
    )
    reg.all = {reg.valid_a, reg.valid_b, reg.expiring, reg.expired, reg.revoked, reg.ministry}
    reg.province, reg.district = gia_lai, an_khe
    return reg


def listed(response):
    assert response.status_code == 200, response.content[:2000]
    return set(response.context["object_list"])


def test_status_filter_follows_the_status_rule(register):
    for status in Status:
        expected = {c for c in register.all if c.status(register.today) == status}
        assert set(Certificate.objects.with_status(status, register.today)) == expected, status
    assert {c.status(register.today) for c in register.all} == set(Status)  # every status is tried
    later = register.today + datetime.timedelta(days=400)
    for status in Status:  # another day, another answer, the same rule
        expected = {c for c in register.all if c.status(later) == status}
        assert set(Certificate.objects.with_status(status, later)) == expected, status


def test_each_filter_narrows_the_list(register, client):
    reg = register
    client.force_login(reg.tree.official)
    assert listed(client.get(LIST)) == reg.all
    soon = reg.today + datetime.timedelta(days=20)
    cases = {
        "status=valid": {reg.valid_a, reg.valid_b, reg.ministry},
        "status=expiring": {reg.expiring},
        "status=expired": {reg.expired},
        "status=revoked": {reg.revoked},
        "stars=4": {reg.valid_a, reg.revoked},
        "stars=5": {reg.ministry},
        "level=district": {reg.expiring, reg.expired},
        "level=ministry": {reg.ministry},
        "rule_version=26-2026": {c for c in reg.all if c.rule_version_id == "26-2026"},
        "rule_version=148-2023": {c for c in reg.all if c.rule_version_id == "148-2023"},
        f"province={reg.province.pk}": {reg.ministry},
        f"district={reg.district.pk}": {reg.ministry},
        f"district={reg.tree.producer_a.producer.district_id}": reg.all - {reg.ministry},
        f"group={reg.drinks.pk}": {reg.ministry},  # the top group includes its sub-group
        f"group={reg.tea.pk}": {reg.ministry},
        f"group={reg.tree.product_a.group.pk}": reg.all - {reg.ministry},
        f"producer={reg.tree.producer_a.producer_id}": {reg.valid_a, reg.expiring, reg.expired},
        f"expiry_date_from={reg.today}&expiry_date_to={soon}": {reg.expiring},
        f"expiry_date_to={reg.today - datetime.timedelta(days=1)}": {reg.expired},
        f"status=valid&province={reg.province.pk}": {reg.ministry},
    }
    assert {c.rule_version_id for c in reg.all} >= {"26-2026", "148-2023"}, "the data covers two versions"
    for query, expected in cases.items():
        assert listed(client.get(f"{LIST}?{query}")) == expected, query


def test_the_list_shows_status_and_producer_in_vietnamese(register, client):
    client.force_login(register.tree.official)
    html = client.get(LIST).content.decode()
    for text in ("Trạng thái", "Còn hiệu lực", "Sắp hết hạn", "Hết hạn", "Đã thu hồi", "HTX Trà An Khê"):
        assert text in html, text
    filters = client.get(LIST, {"status": "nonsense", "expiry_date_from": "not a date", "group": "x"})
    assert filters.status_code == 200  # bad filter values are a form error, not a 500


def test_the_list_queries_do_not_grow_with_its_rows(register, client):
    client.force_login(register.tree.official)
    client.get(LIST)  # warm caches (content types, site settings)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    before = count()
    for n in range(6):
        producer = factories.ProducerFactory()
        product = factories.register_product(producer, name=f"Thêm {n}")
        factories.certificate(product, age_days=10 + n)
    assert count() == before


def exported(client, query=""):
    response = client.get(f"{LIST}?export=csv&{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "giay-chung-nhan-ocop.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_is_what_the_list_shows(register, client):
    reg = register
    client.force_login(reg.tree.official)
    heading, *rows = exported(client, "status=valid")
    assert heading == [
        "Số quyết định",
        "Sản phẩm",
        "Mã sản phẩm",
        "Chủ thể OCOP",
        "Nhóm sản phẩm",
        "Hạng sao",
        "Điểm",
        "Cấp công nhận",
        "Cơ quan ban hành",
        "Ngày quyết định",
        "Loại đánh giá",
        "Ngày hết hạn",
        "Trạng thái",
        "Văn bản áp dụng",
        "Ngày thu hồi",
        "Căn cứ thu hồi",
    ]
    shown = listed(client.get(LIST, {"status": "valid"}))
    assert sorted(row[0] for row in rows) == sorted(c.decision_number for c in shown)
    tea = next(row for row in rows if row[0] == reg.ministry.decision_number)
    assert tea[1:8] == [
        "Trà An Khê",
        "64-23500-1-2025",
        "HTX Trà An Khê",
        "2.1. Trà",
        "5",
        "94.00",
        "Bộ, cấp trung ương",
    ]
    assert tea[9:14] == [
        reg.ministry.decision_date.isoformat(),
        "Đánh giá lần đầu",
        reg.ministry.expiry_date.isoformat(),
        "Còn hiệu lực",
        reg.ministry.rule_version.name,
    ]
    # A revoked row carries its date and ground; filters combine as in the list.
    _, *revoked = exported(client, f"status=revoked&producer={reg.tree.producer_b.producer_id}")
    assert [row[0] for row in revoked] == [reg.revoked.decision_number]
    with translation.override("vi"):
        ground = str(Certificate.Ground.CRITERIA_NOT_KEPT.label)
    assert revoked[0][12:] == ["Đã thu hồi", reg.revoked.rule_version.name, reg.today.isoformat(), ground]
    _, *everything = exported(client)
    assert len(everything) == len(reg.all)


def test_producers_cannot_export_the_register(register, client):
    client.force_login(register.tree.producer_user_a)
    response = client.get(f"{LIST}?export=csv")
    assert response.status_code in (302, 403)


def certificate_form(product, *, decision_date, level, score=(30, 15, 15), number="77/QĐ-UBND"):
    a, b, c = score
    return {
        "product": product.pk,
        "decision_number": number,
        "kind": "first",
        "decision_date": decision_date,
        "rule_version": "",
        "level": level,
        "issuer": "UBND huyện Krông Nô" if level == "district" else "UBND tỉnh Lâm Đồng",
        "score_a": a,
        "score_b": b,
        "score_c": c,
        "stars": "",
        "issue_date": "",
        "expiry_date": "",
        "revoked_on": "",
        "revocation_reason": "",
    }


@pytest.mark.parametrize(
    "decision_date, level, refusal",
    [
        (
            "2024-03-15",
            "province",
            "Theo QĐ 148/QĐ-TTg (2023), sản phẩm 3★ do UBND cấp huyện công nhận, không phải UBND cấp tỉnh.",
        ),
        ("2024-03-15", "district", None),
        ("2026-03-15", "district", "sản phẩm 3★ do UBND cấp tỉnh công nhận, không phải UBND cấp huyện."),
        ("2026-03-15", "province", None),
    ],
)
def test_a_certificate_entered_by_hand_follows_its_rule_version(register, client, decision_date, level, refusal):
    client.force_login(register.tree.official)
    product = register.tree.product_b.register_product
    before = Certificate.objects.count()
    response = client.post(ADD, certificate_form(product, decision_date=decision_date, level=level))
    if refusal:
        assert response.status_code == 200
        assert refusal in response.content.decode()
        assert "level" in response.context["form"].errors
        assert Certificate.objects.count() == before
    else:
        assert response.status_code == 302, response.content[:3000]
        assert Certificate.objects.get(decision_number="77/QĐ-UBND").level == level


def test_five_stars_only_from_the_ministry_and_no_certificate_below_three(register, client):
    client.force_login(register.tree.official)
    product = register.tree.product_b.register_product
    response = client.post(
        ADD, certificate_form(product, decision_date="2026-03-15", level="province", score=(38, 24, 32))
    )
    assert response.status_code == 200
    assert (
        "sản phẩm 5★ do Bộ Nông nghiệp và Môi trường công nhận, không phải UBND cấp tỉnh" in response.content.decode()
    )
    response = client.post(
        ADD, certificate_form(product, decision_date="2024-03-15", level="district", score=(20, 10, 10))
    )
    assert response.status_code == 200
    assert "sản phẩm 2★ không được công nhận: chỉ công nhận từ 3★ trở lên" in response.content.decode()
    assert "stars" in response.context["form"].errors
    assert not Certificate.objects.filter(decision_number="77/QĐ-UBND").exists()
    response = client.post(
        ADD, certificate_form(product, decision_date="2026-03-15", level="ministry", score=(38, 24, 32))
    )
    assert response.status_code == 302


def test_a_revocation_entered_in_the_form_needs_its_ground_and_decision(register, client):
    client.force_login(register.tree.official)
    form = certificate_form(register.tree.product_b.register_product, decision_date="2026-03-15", level="province")
    form.update(revoked_on="2026-06-01", revocation_reason="Hậu kiểm không đạt")
    response = client.post(ADD, form)
    assert response.status_code == 200  # a message on the form, not a 500
    errors = response.context["form"].errors
    assert "revocation_ground" in errors and "revocation_decision_number" in errors
    assert not Certificate.objects.filter(decision_number="77/QĐ-UBND").exists()
    form.update(
        revocation_ground=Certificate.Ground.MARK_MISUSE,
        revocation_decision_number="12/QĐ-UBND",
        revocation_level="province",
        revocation_issuer="Chủ tịch UBND tỉnh Lâm Đồng",
    )
    assert client.post(ADD, form).status_code == 302
    revoked = Certificate.objects.get(decision_number="77/QĐ-UBND")
    assert (revoked.revoked_on.isoformat(), revoked.revocation_ground) == ("2026-06-01", "mark_misuse")
    assert revoked.status(datetime.date(2026, 6, 1)) == Status.REVOKED
