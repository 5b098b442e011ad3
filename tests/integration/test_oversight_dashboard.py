"""The officials' dashboard (/admin/chi-tieu/, cms/oversight/views.py): who may open it, a
target's plan and actual on a small register whose figures are written out by hand, the list
behind a figure, both languages, and bad input (issue 13)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from catalog.models import District
from cms import roles
from cms.evaluation import access as evaluation_access
from cms.evaluation.models import CommuneOfficer
from cms.oversight.models import Metric, Plan, Target
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("oversight:dashboard")


def decided_on(product, day, score, kind="first"):
    return factories.certificate(product, score=score, age_days=(timezone.localdate() - day).days, kind=kind)


@pytest.fixture
def world():
    """Plan "thu-2024" (Đắk Nông, 2024) with one target: ≥ 3 new products certified ≥3★.
    By hand: in 2024, Krông Nô's producer got two first certificates at 3★ or more (4★ in
    March, 3★ in September) and one at 2★; one more came in 2023. Gia Lai's producer got one
    in 2024, outside the plan's province. So 2024 counts 2 of 3: not met; the first half 1."""
    roles.ensure_roles()
    evaluation_access.ensure_role_groups()
    w = type("World", (), {})()
    krong_no = factories.DistrictFactory()
    ia_grai = District.objects.create(
        slug="ia-grai", name="Huyện Ia Grai", former_province="Gia Lai", province=krong_no.province
    )
    w.producer = factories.ProducerFactory(name="HTX Thử Krông Nô", district=krong_no)
    other = factories.ProducerFactory(name="HTX Thử Gia Lai", district=ia_grai)
    make = factories.register_product
    w.march = make(w.producer, name="Cà phê tháng ba")
    w.september = make(w.producer, name="Mật ong tháng chín")
    w.two_stars = make(w.producer, name="Tiêu hai sao")
    w.older = make(w.producer, name="Điều năm trước")
    w.elsewhere = make(other, name="Gạo Ia Grai")
    decided_on(w.march, datetime.date(2024, 3, 1), (32, 20, 26))  # 78 → 4★
    decided_on(w.september, datetime.date(2024, 9, 10), (25, 15, 20))  # 60 → 3★
    decided_on(w.two_stars, datetime.date(2024, 5, 5), (15, 10, 15))  # 40 → 2★
    decided_on(w.older, datetime.date(2023, 6, 1), (25, 15, 20))
    decided_on(w.elsewhere, datetime.date(2024, 4, 1), (25, 15, 20))
    w.plan = Plan.objects.create(
        code="thu-2024",
        number="230/KH-UBND",
        title="Kế hoạch thử OCOP 2024",
        title_en="Test OCOP plan 2024",
        former_province="Đắk Nông",
        issued_on=datetime.date(2024, 1, 15),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    w.target = Target.objects.create(
        plan=w.plan,
        metric=Metric.NEW_PRODUCTS,
        label="Sản phẩm mới đạt 3 sao trở lên",
        label_en="New products rated 3 stars or more",
        value=Decimal(3),
        source="Mục II.1",
        note="Bảng tổng hợp ghi 4 sản phẩm.",
    )

    def user(*groups):
        account = factories.UserFactory()
        account.groups.add(*(Group.objects.get(name=name) for name in groups))
        return account

    w.users = {
        "superuser": get_user_model().objects.create_superuser("quan-tri", "qt@example.vn", "secret-pass-123"),
        "official": user(roles.OFFICIALS),
        "office": user(evaluation_access.OCOP_OFFICE),
        "approver": user(evaluation_access.APPROVERS),
        "producer": user(),
        "officer": user(evaluation_access.COMMUNE_OFFICERS),
        "customer": user(),
    }
    roles.add_producer_account(w.producer, w.users["producer"])
    CommuneOfficer.objects.create(user=w.users["officer"], commune=factories.CommuneFactory())
    w.behind = reverse("oversight:behind", args=[w.target.pk])
    return w


def test_only_officials_open_the_dashboard_and_the_lists_behind(world, client):
    crafted = [
        DASHBOARD,
        f"{DASHBOARD}?plan=thu-2024&period=2024",
        f"{world.behind}?period=2024-h1",
        f"{reverse('oversight:figures')}?plan=thu-2024&period=2024&column=new",
    ]
    for role, user in world.users.items():
        client.force_login(user)
        for url in crafted:
            response = client.get(url)
            if role in ("superuser", "official", "office", "approver"):
                assert response.status_code == 200, (role, url)
                assert "230/KH-UBND" in response.content.decode()
            elif role == "customer":
                # No admin access at all: Wagtail sends the request to its login page.
                assert response.status_code == 302 and "/login/" in response["Location"], url
            else:
                assert response.status_code == 403, (role, url)
                assert "Mật ong tháng chín" not in response.content.decode()
    # The menu item "Chỉ tiêu OCOP" only for those allowed.
    for role, shown in (("office", True), ("producer", False)):
        client.force_login(world.users[role])
        assert (DASHBOARD in client.get(reverse("wagtailadmin_home")).content.decode()) == shown, role


def test_a_target_its_plan_its_actual_and_the_products_behind(world, client):
    client.force_login(world.users["official"])
    response = client.get(DASHBOARD, {"plan": "thu-2024", "period": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(rf'<tr data-target="{world.target.pk}" data-state="([a-z_]+)">(.*?)</tr>', html, re.S)
    assert row, html
    state, cells = row.groups()
    assert state == "not_met"  # 2 of ≥ 3, and 2024 is over
    assert "≥ 3" in cells and "Mục II.1" in cells and "Bảng tổng hợp ghi 4 sản phẩm." in cells
    actual = re.search(r'<a href="([^"]+)" class="oversight-actual">([^<]+)</a>', cells)
    assert actual.group(2) == "2"
    assert '<progress max="100" value="67"' in cells
    assert "chưa đạt" in cells  # Vietnamese first

    behind = client.get(actual.group(1).replace("&amp;", "&"))
    assert behind.status_code == 200
    listed = [line["object"].pk for line in behind.context["lines"]]
    assert sorted(listed) == sorted([world.march.pk, world.september.pk])
    page = behind.content.decode()
    assert reverse("wagtailsnippets_catalog_product:edit", args=[world.march.pk]) in page
    assert "Tiêu hai sao" not in page and "Gạo Ia Grai" not in page and "Điều năm trước" not in page

    # Read for the first half: 1 so far, and the plan runs on, so "in progress", not "not met".
    half = client.get(DASHBOARD, {"plan": "thu-2024", "period": "2024-h1"}).content.decode()
    assert re.search(rf'data-target="{world.target.pk}" data-state="running">.*?oversight-actual">1<', half, re.S)
    first_half = client.get(world.behind, {"period": "2024-h1"})
    assert [line["object"].pk for line in first_half.context["lines"]] == [world.march.pk]

    # A breakdown's figure: Krông Nô's new products in 2024 are the same two.
    district = re.search(r'id="by-district">.*?</table>', html, re.S).group(0)
    link = re.search(r'<a href="([^"]+)" data-figure="new">2</a>', district).group(1).replace("&amp;", "&")
    figure = client.get(link)
    assert "Huyện Krông Nô" in figure.content.decode()
    listed = figure.context["lines"]
    assert sorted(line["object"].pk for line in listed) == sorted([world.march.pk, world.september.pk])

    # English for an official who chose it in the admin's account settings.
    UserProfile.objects.update_or_create(user=world.users["official"], defaults={"preferred_language": "en"})
    english = client.get(DASHBOARD, {"plan": "thu-2024", "period": "2024"}).content.decode()
    assert "Test OCOP plan 2024" in english and "New products rated 3 stars or more" in english
    assert "not met" in english and "Targets" in english


@pytest.mark.parametrize(
    "query, reason",
    [
        ("period=2031", "Kỳ báo cáo nằm ngoài các năm của kế hoạch"),
        ("period=x'%20or%201=1", "không hợp lệ"),
        ("period=2024-h3", "Kỳ báo cáo “2024-h3” không hợp lệ"),
        ("plan=khong-co", "Không có kế hoạch này"),
    ],
)
def test_bad_input_is_a_400_with_a_reason_in_vietnamese(world, client, query, reason):
    client.force_login(world.users["office"])
    response = client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    alert = re.search(r'role="alert">([^<]*)<', html).group(1)
    assert reason in alert, alert
    assert f'data-target="{world.target.pk}"' in html  # the default period is shown instead
    assert client.get(f"{world.behind}?{query}").status_code in (200, 400)
    figures = client.get(reverse("oversight:figures"), {"plan": "thu-2024", "column": "x", "by": "district"})
    assert figures.status_code == 400 and "Không có số liệu này" in figures.content.decode()
    assert client.get(reverse("oversight:behind", args=[world.target.pk + 999])).status_code == 404
