"""The public statistics page (/thong-ke/, /en/thong-ke/) and the open data files
(/du-lieu-mo/san-pham-ocop.csv and .json) for an anonymous visitor, on a small register whose
figures are written out by hand below.

Y is this year. The register (all decided on the days given, entered today):
  producer A (Krông Nô, Lâm Đồng): a1 4★ food, 01/03/Y-2; a2 3★ drink, 01/06/Y-1
  producer B (Krông Nô, Lâm Đồng): b1 5★ food, today; b2 4★ food, 01/02/Y-1, revoked today
  producer C (Chư Sê, Gia Lai):    c1 3★ drink, 10/01/Y-4 (expired 10/01/Y-1);
                                   c2 3★ food, 01/11/Y-1; c3 2★ food, 03/03/Y-1 (not OCOP)
Today: a1, a2, b1, c2 → 4 products of 3 producers; 5★ 1, 4★ 1, 3★ 2; food 3, drink 1;
Lâm Đồng 3, Gia Lai 1; Krông Nô 3, Chư Sê 1.
At the end of Y-1: a1, a2, b2, c2 (c1 expired) → 3★ 2, 4★ 2, 5★ 0; Y-2: c1, a1; Y-4: c1.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.utils import timezone

from catalog.models import Certificate
from tests import factories
from tests.integration.test_theme import assert_site_shell, page_markup

pytestmark = pytest.mark.django_db

SCORES = {5: (38, 24, 30), 4: (32, 20, 26), 3: (25, 15, 20), 2: (20, 10, 15)}


@pytest.fixture
def register():
    factories.home_page()
    today = timezone.localdate()
    y = today.year
    lam_dong = factories.ProvinceFactory()
    gia_lai = factories.ProvinceFactory(code="64", name="Gia Lai", slug="gia-lai")
    krong_no = factories.DistrictFactory()
    chu_se = factories.DistrictFactory(slug="chu-se", name="Huyện Chư Sê", former_province="Gia Lai", province=gia_lai)
    food = factories.ProductGroupFactory()
    drink = factories.ProductGroupFactory(code="2", name="Đồ uống", name_en="Drinks")
    a = factories.ProducerFactory(name="HTX A", province=lam_dong, district=krong_no)
    b = factories.ProducerFactory(name="HTX B", province=lam_dong, district=krong_no)
    c = factories.ProducerFactory(name="HTX C", province=gia_lai, district=chu_se)

    def cert(producer, name, group, stars, decided, **kwargs):
        product = factories.register_product(producer, name=name, group=group)
        return factories.certificate(
            product, score=SCORES[stars], age_days=(today - decided).days, decision_number=f"{name}/QĐ", **kwargs
        )

    cert(a, "a1", food, 4, datetime.date(y - 2, 3, 1))
    cert(a, "a2", drink, 3, datetime.date(y - 1, 6, 1))
    cert(b, "b1", food, 5, today)
    cert(b, "b2", food, 4, datetime.date(y - 1, 2, 1), revoked_on=today)
    cert(c, "c1", drink, 3, datetime.date(y - 4, 1, 10))
    cert(c, "c2", food, 3, datetime.date(y - 1, 11, 1))
    cert(c, "c3", food, 2, datetime.date(y - 1, 3, 3))
    return today


def row(label, *numbers):
    return f'<tr><th scope="row">{label}</th>' + "".join(f'<td class="num">{n}</td>' for n in numbers) + "</tr>"


def test_statistics_page_in_both_languages(client, register):
    today, y = register, register.year
    response = client.get("/thong-ke/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Số liệu đến ngày {today:%d/%m/%Y}" in html
    tiles = [("Sản phẩm OCOP còn hiệu lực", 4), ("Chủ thể OCOP", 3), ("Sản phẩm 5 sao", 1), ("Sản phẩm 4 sao", 1), ("Sản phẩm 3 sao", 2)]  # fmt: skip
    for label, number in tiles:
        assert f"<dt>{label}</dt><dd>{number}</dd>" in html
    for label, number in [("Thực phẩm", 3), ("Đồ uống", 1), ("Lâm Đồng", 3), ("Gia Lai", 1), ("Huyện Krông Nô", 3), ("Huyện Chư Sê", 1)]:  # fmt: skip
        assert row(label, number) in html
    # At each year end (3★, 4★, 5★, total); this year's row is today's.
    assert row(str(y - 4), 1, 0, 0, 1) in html and row(str(y - 3), 1, 0, 0, 1) in html
    assert row(str(y - 2), 1, 1, 0, 2) in html and row(str(y - 1), 2, 2, 0, 4) in html
    assert row(f"{today:%d/%m/%Y}", 2, 1, 1, 4) in html
    assert row("2021", 0, 0, 0, 0) in html or y - 4 <= 2021
    # Four charts, inline, each labelled; links to both files; no third-party address.
    assert html.count('role="img" aria-label=') == 4
    assert 'href="/du-lieu-mo/san-pham-ocop.csv"' in html and 'href="/du-lieu-mo/san-pham-ocop.json"' in html
    assert 'hreflang="en" href="http://localhost/en/thong-ke/"' in html
    assert_site_shell(page_markup(client, "/thong-ke/"), "/thong-ke/")  # the theme's shell, nothing from elsewhere
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # the inline charts' ids do not collide

    response = client.get("/en/thong-ke/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Figures as of {today:%d/%m/%Y}" in html and row("Drinks", 1) in html
    assert "<dt>Certified OCOP products in force</dt><dd>4</dd>" in html


def test_open_data_csv_and_json(client, register):
    today = register
    response = client.get("/du-lieu-mo/san-pham-ocop.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"san-pham-ocop-{today.isoformat()}.csv" in response["Content-Disposition"]
    assert "max-age=300" in response["Cache-Control"] and response["Last-Modified"] and response["ETag"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["product"] for r in rows] == ["c1", "a1", "b2", "a2", "c2", "b1"]  # by decision date; no 2★
    b2 = rows[2]
    assert (b2["status"], b2["status_label"], b2["revoked_on"]) == ("revoked", "Đã thu hồi", today.isoformat())
    assert rows[0]["status"] == "expired"
    a1 = rows[1]
    assert a1["producer"] == "HTX A" and a1["group"] == "Thực phẩm" and a1["stars"] == "4"
    assert (a1["district"], a1["former_province"], a1["province"]) == ("Huyện Krông Nô", "Đắk Nông", "Lâm Đồng")
    assert a1["decision_number"] == "a1/QĐ" and a1["decision_date"] == f"{today.year - 2}-03-01"
    assert a1["level"] == Certificate.Level.PROVINCE and a1["status"] in ("valid", "expiring")

    again = client.get("/du-lieu-mo/san-pham-ocop.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.head("/du-lieu-mo/san-pham-ocop.csv").status_code == 200
    assert client.post("/du-lieu-mo/san-pham-ocop.csv").status_code == 405

    response = client.get("/du-lieu-mo/san-pham-ocop.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["as_of"] == today.isoformat() and data["source"]
    assert [c["product"] for c in data["certificates"]] == [r["product"] for r in rows]
    assert list(data["certificates"][0]) == data["columns"] == list(rows[0])
    assert data["certificates"][2]["status"] == "revoked" and data["certificates"][2]["stars"] == 4
