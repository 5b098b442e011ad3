"""The plans' targets against the register (cms/oversight): what each metric counts, as of the
period's end from the dated history, and the loader that keeps both figures where the plan's
tables disagree. Every expected figure below is worked out by hand from the small register
built here, not by the code under test."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from catalog import history
from catalog.models import (
    Certificate,
    District,
    EnterpriseSize,
    EvaluationKind,
    MarketplaceListing,
    Producer,
    ProductGroup,
    SalesChannel,
)
from cms.models import SalesPointPage
from cms.oversight import figures, periods, plans, results
from cms.oversight.models import Metric, Plan, Target
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def certify(product, day, stars, kind=EvaluationKind.FIRST, **fields):
    score = {2: (15, 10, 15), 3: (25, 15, 15), 4: (30, 20, 25), 5: (38, 25, 30)}[stars]
    return Certificate.objects.create(
        product=product,
        decision_number=f"{product.pk}-{day:%Y%m%d}/QĐ-UBND",
        decision_date=day,
        kind=kind,
        level=Certificate.Level.PROVINCE,
        issuer="UBND tỉnh Gia Lai",
        score_a=score[0],
        score_b=score[1],
        score_c=score[2],
        **fields,
    )


@pytest.fixture
def register():
    """Two Gia Lai districts (Pleiku, An Khê) and one of Đắk Nông outside the plan.

    p1  P1 cooperative, women-led, Pleiku   first 4★ 01/03/2024, revoked 01/02/2025
    p2  P2 small enterprise, Pleiku         first 3★ 01/05/2022, upgrade 4★ 01/06/2024
    p6  P2, Pleiku                          2★ 01/11/2024 (not an OCOP product)
    p3  P3 household, women, minority, An Khê  first 3★ 01/04/2021 (expires 01/04/2024),
                                            re-evaluated 3★ 10/05/2024
    p4  P4 cooperative, An Khê              first 3★ 01/09/2021 (expires 01/09/2024), not renewed
    p5  P5 cooperative, Krông Nô (Đắk Nông) first 5★ 01/02/2024
    """
    gia_lai = factories.ProvinceFactory(code="52", name="Gia Lai", slug="gia-lai")
    pleiku = factories.DistrictFactory(
        slug="pleiku", name="Thành phố Pleiku", former_province="Gia Lai", province=gia_lai
    )
    an_khe = factories.DistrictFactory(slug="an-khe", name="Thị xã An Khê", former_province="Gia Lai", province=gia_lai)
    krong_no = factories.DistrictFactory()
    food = factories.ProductGroupFactory()
    fresh = ProductGroup.objects.create(code="1.1", name="Nông sản tươi", parent=food)
    drinks = factories.ProductGroupFactory(code="2", name="Đồ uống", name_en="Drinks")

    def producer(district, legal_form=Producer.LegalForm.COOPERATIVE, **facts):
        return factories.ProducerFactory(district=district, province=district.province, legal_form=legal_form, **facts)

    p_one = producer(pleiku, women_led=True)
    p_two = producer(pleiku, Producer.LegalForm.ENTERPRISE, size=EnterpriseSize.SMALL)
    p_three = producer(an_khe, Producer.LegalForm.HOUSEHOLD, women_led=True, ethnic_minority_led=True)
    p_four = producer(an_khe)
    p_five = producer(krong_no)
    products = {
        "p1": factories.register_product(p_one, group=fresh),
        "p2": factories.register_product(p_two, group=drinks),
        "p6": factories.register_product(p_two, group=food),
        "p3": factories.register_product(p_three, group=food),
        "p4": factories.register_product(p_four, group=food),
        "p5": factories.register_product(p_five, group=food),
    }
    first_p1 = certify(products["p1"], D(2024, 3, 1), 4)
    certify(products["p2"], D(2022, 5, 1), 3)
    certify(products["p2"], D(2024, 6, 1), 4, EvaluationKind.UPGRADE)
    certify(products["p6"], D(2024, 11, 1), 2)
    certify(products["p3"], D(2021, 4, 1), 3)
    certify(products["p3"], D(2024, 5, 10), 3, EvaluationKind.REEVALUATION)
    certify(products["p4"], D(2021, 9, 1), 3)
    certify(products["p5"], D(2024, 2, 1), 5)
    # Revoked on 01/02/2025 and recorded that day: figures of 2024 must not change.
    first_p1._history_date = history.start_of(D(2025, 2, 1))
    first_p1.revoked_on = D(2025, 2, 1)
    first_p1.revocation_ground = Certificate.Ground.CRITERIA_NOT_KEPT
    first_p1.revocation_reason = "Hậu kiểm"
    first_p1.save()

    SalesChannel.objects.create(producer=p_one, kind=SalesChannel.Kind.SUPERMARKET, since=D(2023, 1, 1))
    SalesChannel.objects.create(producer=p_two, kind=SalesChannel.Kind.TRADITIONAL, since=D(2022, 1, 1))
    MarketplaceListing.objects.create(
        product=products["p2"], platform="shopee", url="https://shopee.vn/p2", listed_since=D(2024, 7, 1)
    )
    MarketplaceListing.objects.create(
        product=products["p3"], platform="tiki", url="https://tiki.vn/p3", listed_since=D(2025, 1, 10)
    )
    plan = Plan.objects.create(
        code="thu",
        number="1/KH-UBND",
        title="Kế hoạch thử",
        former_province="Gia Lai",
        issued_on=D(2022, 1, 1),
        starts_on=D(2021, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    return {"plan": plan, "products": products, "pleiku": pleiku, "an_khe": an_khe, "krong_no": krong_no}


def target(plan, metric, value=1, **fields):
    return Target.objects.create(plan=plan, metric=metric, label=metric, value=value, source="thử", **fields)


def actual(register, metric, period, **fields):
    return results.evaluate(target(register["plan"], metric, **fields), period)


Y2024 = periods.year(2024)


@pytest.mark.parametrize(
    "metric, expected, numerator, denominator",
    [
        (Metric.NEW_PRODUCTS, Decimal(1), 1, None),  # p1 (p5 is in Đắk Nông, p6 is 2★)
        (Metric.UPGRADED_PRODUCTS, Decimal(1), 1, None),  # p2
        (Metric.FOUR_STAR_EVALUATED, Decimal(2), 2, None),  # p1, p2
        (Metric.TOTAL_PRODUCTS, Decimal(4), 4, None),  # p1, p2, p3, p4
        (Metric.FIVE_STAR, Decimal(0), 0, None),  # p5 is outside the plan
        (Metric.REEVALUATED_SHARE, Decimal("50.0"), 1, 2),  # p3 of p3, p4
        (Metric.UPGRADED_SHARE, Decimal("25.0"), 1, 4),  # p2 of p1..p4
        (Metric.COOPERATIVE_SHARE, Decimal("33.3"), 1, 3),  # P1 of P1, P2, P3 (p4 expired)
        (Metric.SME_SHARE, Decimal("33.3"), 1, 3),  # P2
        (Metric.WOMEN_LED_SHARE, Decimal("66.7"), 2, 3),  # P1, P3
        (Metric.ETHNIC_MINORITY_SHARE, Decimal("33.3"), 1, 3),  # P3
        (Metric.MODERN_CHANNEL_SHARE, Decimal("66.7"), 2, 3),  # P1 supermarket, P2 Shopee listing
        (Metric.ECOMMERCE_SHARE, Decimal("33.3"), 1, 3),  # p2 of p1, p2, p3
    ],
)
def test_each_metric_as_of_the_end_of_2024(register, metric, expected, numerator, denominator):
    result = actual(register, metric, Y2024)
    assert (result.actual, result.numerator, result.denominator) == (expected, numerator, denominator)


def test_a_revocation_in_2025_leaves_2024_alone_and_counts_in_2025(register):
    assert figures.by_stars(D(2024, 12, 31)) == {5: 1, 4: 2, 3: 1}  # p5, p1, p2, p3
    # p1 revoked, p2's 3★ of 2022 expired (its 4★ holds), p3 re-evaluated to 2027.
    assert figures.by_stars(D(2025, 12, 31)) == {5: 1, 4: 1, 3: 1}
    plan_wide = actual(register, Metric.COOPERATIVE_SHARE, periods.year(2025))
    # End of 2025: P2 (4★ to 2027) and P3 (to 2027); P1's certificate revoked: no cooperative left.
    assert (plan_wide.numerator, plan_wide.denominator) == (0, 2)


def test_listings_and_pages_count_from_their_dates(register):
    page = factories.product_page(
        factories.producer_page(register["products"]["p1"].producer), register_product=register["products"]["p1"]
    )
    assert actual(register, Metric.WEBSITE_SHARE, Y2024).numerator == 0  # first published today
    type(page).objects.filter(pk=page.pk).update(first_published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    website = actual(register, Metric.WEBSITE_SHARE, Y2024)
    assert (website.actual, website.numerator, website.denominator) == (Decimal("33.3"), 1, 3)
    assert actual(register, Metric.ECOMMERCE_SHARE, periods.year(2025)).numerator == 2  # p2, p3 (p1 revoked)


def test_sales_points_by_district_and_opening_day(register):
    for district, opened in (
        (register["pleiku"], D(2023, 5, 1)),
        (register["an_khe"], D(2025, 1, 1)),
        (register["krong_no"], D(2020, 1, 1)),
    ):
        point = factories.sales_point()
        SalesPointPage.objects.filter(pk=point.pk).update(district=district, opened_on=opened)
    assert actual(register, Metric.SALES_POINTS, Y2024).numerator == 1
    assert actual(register, Metric.SALES_POINTS, periods.year(2025)).numerator == 2


def test_a_district_target_and_the_met_rule(register):
    pleiku = actual(register, Metric.NEW_PRODUCTS, Y2024, value=1, district=register["pleiku"], year=2024)
    an_khe = actual(register, Metric.NEW_PRODUCTS, Y2024, value=1, district=register["an_khe"], year=2024)
    assert (pleiku.numerator, pleiku.met, an_khe.numerator, an_khe.met) == (1, True, 0, False)
    between = actual(register, Metric.FOUR_STAR_EVALUATED, Y2024, value=1, value_max=2, comparison="between")
    more_than = actual(register, Metric.FOUR_STAR_EVALUATED, Y2024, value=2, comparison="gt")
    assert (between.met, more_than.met) == (True, False)
    assert between.counted == sorted(between.counted, key=lambda p: p.name)
    assert {p.pk for p in between.counted} == {register["products"]["p1"].pk, register["products"]["p2"].pk}


def test_breakdown_by_district_and_group(register):
    rows = {row["label"]: row for row in figures.breakdown(Y2024, "district")}
    assert {k: (v["new"], v["upgrade"], v["reevaluation"], v["certified"]) for k, v in rows.items()} == {
        "Thành phố Pleiku": (1, 1, 0, 2),
        "Thị xã An Khê": (0, 0, 1, 1),
        "Huyện Krông Nô": (1, 0, 0, 1),
    }
    by_group = {row["label"]: row["certified"] for row in figures.breakdown(Y2024, "group")}
    assert by_group == {"Thực phẩm": 3, "Đồ uống": 1}  # p1 (sub-group 1.1), p3, p5; p2


def test_evaluate_plan_measures_year_targets_in_their_year_and_plan_targets_to_date(register):
    plan = register["plan"]
    target(plan, Metric.NEW_PRODUCTS, 3)
    target(plan, Metric.NEW_PRODUCTS, 1, year=2024)
    target(plan, Metric.NEW_PRODUCTS, 1, year=2022)
    measured = results.evaluate_plan(plan, Y2024)
    assert {(r.target.year, r.numerator, r.period.start, r.period.end) for r in measured} == {
        (None, 4, D(2021, 1, 1), D(2024, 12, 31)),  # p3, p4 (2021), p2 (2022), p1 (2024)
        (2024, 1, D(2024, 1, 1), D(2024, 12, 31)),
    }


def test_the_loader_keeps_both_figures_where_the_plan_disagrees_with_itself():
    rows = csv.DictReader(open(Path(settings.BASE_DIR) / "fixtures/places/districts.csv", encoding="utf-8"))
    for row in rows:
        province = factories.ProvinceFactory(
            code=row["province_code"], name=row["former_province"], slug=row["slug"] + "-p"
        )
        District.objects.get_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "former_province": row["former_province"], "province": province},
        )
    for code, name in (
        ("1", "Thực phẩm"),
        ("2", "Đồ uống"),
        ("3", "Dược liệu và sản phẩm từ dược liệu"),
        ("4", "Hàng thủ công mỹ nghệ"),
        ("6", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
    ):
        ProductGroup.objects.get_or_create(code=code, defaults={"name": name})
    summary = plans.load()
    # Phụ lục 01 against Phụ lục 02, new products 2021–2025 per district (read off the seed text).
    kong_chro = Target.objects.filter(
        plan__code="gia-lai-2581", district__slug="kong-chro", year=None, group=None, metric=Metric.NEW_PRODUCTS
    )
    assert sorted((t.source, t.value) for t in kong_chro) == [("Phụ lục 01", 7), ("Phụ lục 02", 5)]
    assert all("Phụ lục 01 ghi 7" in t.note for t in kong_chro)
    disputed = {line.split(":")[1].strip() for line in summary.disagreements if "Sản phẩm mới 2021–2025" in line}
    assert disputed == {"Huyện Chư Sê", "Huyện Kông Chro", "Huyện Phú Thiện", "Huyện Đức Cơ"}
    assert (
        Target.objects.get(
            plan__code="gia-lai-2581", district__slug="mang-yang", year=2022, metric=Metric.NEW_PRODUCTS
        ).value
        == 15
    )
    assert Target.objects.filter(plan__code="dak-nong-230", metric=Metric.NEW_PRODUCTS, year=2024).count() == 8
    assert Target.objects.get(plan__code="gia-lai-2581", metric=Metric.FIVE_STAR).value_max == 2
    again = plans.load()
    assert again.targets == summary.targets == Target.objects.count()
