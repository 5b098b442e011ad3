"""The periodic reports (issue 13, part 3): both files opened and their figures checked against
a small register whose expected figures are written out by hand below; the download's
permissions with crafted requests; the scheduled job mails each period's report once.

The register (decisions of 2022–2025; three historical districts, two in Đắk Nông):

  product  producer (district, form)          group      certificates
  A        P1 (Krông Nô, cooperative)         Thực phẩm  4★ first 10/05/2023; 5★ upgrade 20/05/2025
  E        P1                                 Thực phẩm  2★ first 10/06/2025 (not OCOP)
  B        P3 (Cư Jút, cooperative)           Đồ uống    3★ first 01/03/2022; 3★ re-evaluation 20/02/2025
  C        P2 (Krông Nô, enterprise)          Thực phẩm  3★ first 15/03/2025
  D        P4 (Cư Jút, household)             Đồ uống    4★ first 01/04/2025, revoked 01/09/2025
  F        P3                                 Thực phẩm  3★ first 01/08/2025 (after the half-year)
  G        P5 (Chư Sê, Gia Lai, cooperative)  Thực phẩm  3★ first 05/05/2025

First half of 2025, as of 30/06/2025: in force A 5★, B 3★, C 3★, D 4★ (revoked only later),
G 3★: 5 products, 5 producers. Decided in the half: B re-evaluated, C, D and G new, A
upgraded. The year 2025, as of 31/12/2025: D revoked, F new: A 5★, B, C, F, G 3★.
"""

import datetime
import io
import re

import openpyxl
import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Certificate, Producer, ProductGroup
from cms import roles
from cms.oversight import tasks
from cms.oversight.models import Metric, Plan, ReportDispatch, Target
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/chi-tieu/bao-cao/"
OFFICE = "vanphong-ocop@example.vn"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORES = {5: (33, 24, 33), 4: (32, 20, 26), 3: (25, 15, 20), 2: (15, 10, 12)}


def decide(product, day, stars, kind, number, **kwargs):
    return factories.certificate(
        product,
        age_days=(timezone.localdate() - day).days,
        score=SCORES[stars],
        stars=stars,
        kind=kind,
        decision_number=number,
        **kwargs,
    )


@pytest.fixture
def register(settings):
    settings.OCOP_OFFICE_EMAIL = OFFICE
    roles.ensure_roles()
    province = factories.ProvinceFactory()
    krong_no = factories.DistrictFactory(slug="krong-no", name="Huyện Krông Nô", former_province="Đắk Nông")
    cu_jut = factories.DistrictFactory(slug="cu-jut", name="Huyện Cư Jút", former_province="Đắk Nông")
    chu_se = factories.DistrictFactory(slug="chu-se", name="Huyện Chư Sê", former_province="Gia Lai")
    food, _ = ProductGroup.objects.update_or_create(code="1", defaults={"name": "Thực phẩm", "name_en": "Food"})
    drinks, _ = ProductGroup.objects.update_or_create(code="2", defaults={"name": "Đồ uống", "name_en": "Drinks"})
    form = Producer.LegalForm

    def producer(name, district, legal_form):
        return factories.ProducerFactory(name=name, district=district, province=province, legal_form=legal_form)

    p1 = producer("HTX Một", krong_no, form.COOPERATIVE)
    p2 = producer("Công ty Hai", krong_no, form.ENTERPRISE)
    p3 = producer("HTX Ba", cu_jut, form.COOPERATIVE)
    p4 = producer("Hộ Bốn", cu_jut, form.HOUSEHOLD)
    p5 = producer("HTX Năm", chu_se, form.COOPERATIVE)
    a, e = (
        factories.register_product(p1, name="Cà phê A", group=food),
        factories.register_product(p1, name="Bánh E", group=food),
    )
    b = factories.register_product(p3, name="Rượu B", group=drinks)
    c = factories.register_product(p2, name="Mắc ca C", group=food)
    d = factories.register_product(p4, name="Trà D", group=drinks)
    f = factories.register_product(p3, name="Tiêu F", group=food)
    g = factories.register_product(p5, name="Hồ tiêu G", group=food)
    first, upgrade, again = Certificate.Kind.FIRST, Certificate.Kind.UPGRADE, Certificate.Kind.REEVALUATION
    day = datetime.date
    decide(a, day(2023, 5, 10), 4, first, "1/QĐ-A")
    decide(a, day(2025, 5, 20), 5, upgrade, "2/QĐ-A")
    decide(e, day(2025, 6, 10), 2, first, "1/QĐ-E")
    decide(b, day(2022, 3, 1), 3, first, "1/QĐ-B")
    decide(b, day(2025, 2, 20), 3, again, "2/QĐ-B")
    decide(c, day(2025, 3, 15), 3, first, "1/QĐ-C")
    decide(d, day(2025, 4, 1), 4, first, "1/QĐ-D", revoked_on=day(2025, 9, 1))
    decide(f, day(2025, 8, 1), 3, first, "1/QĐ-F")
    decide(g, day(2025, 5, 5), 3, first, "1/QĐ-G")
    plan = Plan.objects.create(
        code="thu-nghiem",
        number="1/KH-TN",
        title="Kế hoạch thử",
        former_province="Đắk Nông",
        issued_on=day(2024, 12, 1),
        starts_on=day(2025, 1, 1),
        ends_on=day(2025, 12, 31),
    )
    Target.objects.create(plan=plan, metric=Metric.NEW_PRODUCTS, label="Sản phẩm mới 2025", year=2025, value=3, order=1)
    Target.objects.create(plan=plan, metric=Metric.COOPERATIVE_SHARE, label="Tỉ lệ HTX", value=40, order=2)
    Target.objects.create(plan=plan, metric=Metric.FIVE_STAR, label="Sản phẩm 5 sao", value=1, order=3)
    return plan


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def official():
    return factories.user_with_role("official")


def workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows(sheet):
    return [tuple(row) for row in sheet.iter_rows(min_row=7, values_only=True)]


def row_of(sheet, label):
    return next(row for row in rows(sheet) if isinstance(row[0], str) and row[0].startswith(label))


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_half_year_report_as_xlsx_and_pdf(register):
    client = client_for(official())
    response = client.get(URL, {"period": "2025-h1", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-2025-h1.xlsx"'
    book = workbook(response.content)
    assert book.sheetnames == ["1. Số liệu chính", "2. Công nhận trong kỳ", "3. Chỉ tiêu", "4. Danh sách"]

    headline = book["1. Số liệu chính"]
    assert "6 tháng đầu năm 2025" in headline["A1"].value
    assert headline["A3"].value.startswith("Số liệu đến ngày 30/06/2025")
    assert row_of(headline, "Sản phẩm OCOP còn hiệu lực")[1] == 5
    assert row_of(headline, "trong đó 5★")[1] == 1
    assert row_of(headline, "trong đó 4★")[1] == 1  # D, revoked only in September
    assert row_of(headline, "trong đó 3★")[1] == 3
    assert row_of(headline, "Chủ thể có sản phẩm OCOP")[1] == 5
    assert row_of(headline, "Thực phẩm")[1] == 3 and row_of(headline, "Đồ uống")[1] == 2
    assert headline.column_dimensions["A"].width == 52

    decided = book["2. Công nhận trong kỳ"]
    # district or group, new, upgraded, re-evaluated, decided, in force at the end
    assert row_of(decided, "Huyện Krông Nô") == ("Huyện Krông Nô", 1, 1, 0, 2, 2)
    assert row_of(decided, "Huyện Cư Jút") == ("Huyện Cư Jút", 1, 0, 1, 2, 2)
    assert row_of(decided, "Huyện Chư Sê") == ("Huyện Chư Sê", 1, 0, 0, 1, 1)
    assert row_of(decided, "Thực phẩm") == ("Thực phẩm", 2, 1, 0, 3, 3)
    assert row_of(decided, "Đồ uống") == ("Đồ uống", 1, 0, 1, 2, 2)
    assert rows(decided).count(("Tổng cộng (Total)", 3, 1, 1, 5, 5)) == 2

    targets = book["3. Chỉ tiêu"]
    new = row_of(targets, "Sản phẩm mới 2025")
    assert new[4:] == ("01/01/2025 – 30/06/2025", 3, 2, None, 2, None, "chưa đạt (not met)")  # C and D; G is in Gia Lai
    share = row_of(targets, "Tỉ lệ HTX")
    assert share[5:] == (40, 50, "%", 2, 4, "đạt (met)")  # P1, P3 of P1–P4
    assert row_of(targets, "Sản phẩm 5 sao")[5:7] == (1, 1)

    listing = book["4. Danh sách"]
    day = datetime.datetime
    assert rows(listing)[2:] == [
        (1, "Rượu B", "HTX Ba", 3, "Đánh giá lại", "2/QĐ-B", day(2025, 2, 20), "Huyện Cư Jút"),
        (2, "Mắc ca C", "Công ty Hai", 3, "Mới (đánh giá lần đầu)", "1/QĐ-C", day(2025, 3, 15), "Huyện Krông Nô"),
        (3, "Trà D", "Hộ Bốn", 4, "Mới (đánh giá lần đầu)", "1/QĐ-D", day(2025, 4, 1), "Huyện Cư Jút"),
        (4, "Hồ tiêu G", "HTX Năm", 3, "Mới (đánh giá lần đầu)", "1/QĐ-G", day(2025, 5, 5), "Huyện Chư Sê"),
        (5, "Cà phê A", "HTX Một", 5, "Nâng hạng", "2/QĐ-A", day(2025, 5, 20), "Huyện Krông Nô"),
    ]

    response = client.get(URL, {"period": "2025-h1", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-2025-h1.pdf"'
    reader, text = pdf_text(response.content)
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=0.5)  # A4 portrait
    assert "Số liệu đến ngày 30/06/2025" in text and "Trang 1" in text
    assert "Sản phẩm OCOP còn hiệu lực (từ 3★) / OCOP products in force (3★ or more) 5 " in text
    assert "trong đó 5★ / of which 5★ 1 trong đó 4★ / of which 4★ 1 trong đó 3★ / of which 3★ 3 " in text
    assert "Chủ thể có sản phẩm OCOP còn hiệu lực / Producers with OCOP products in force 5 " in text
    assert "Huyện Krông Nô 1 1 0 2 2 " in text
    assert "Huyện Cư Jút 1 0 1 2 2 " in text
    assert "Huyện Chư Sê 1 0 0 1 1 " in text
    assert "Thực phẩm 2 1 0 3 3 " in text
    assert text.count("Tổng cộng / Total 3 1 1 5 5 ") == 2
    assert "Sản phẩm mới 2025 01/01/2025 – 30/06/2025 ≥ 3 2 chưa đạt" in text
    assert "Tỉ lệ HTX 01/01/2025 – 30/06/2025 ≥ 40 % 50 % (2/4) đạt" in text
    assert "1 Rượu B HTX Ba 3★ Đánh giá lại 2/QĐ-B 20/02/2025 Huyện Cư Jút" in text
    assert "5 Cà phê A HTX Một 5★ Nâng hạng 2/QĐ-A 20/05/2025 Huyện Krông Nô" in text
    assert "Bánh E" not in text and "Tiêu F" not in text  # 2★; decided after the half

    # The plan's report counts its own province's districts only: G (Gia Lai) is left out.
    response = client.get(URL, {"period": "2025-h1", "format": "xlsx", "plan": "thu-nghiem"})
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-2025-h1-thu-nghiem.xlsx"'
    book = workbook(response.content)
    assert row_of(book["1. Số liệu chính"], "Sản phẩm OCOP còn hiệu lực")[1] == 4
    assert row_of(book["1. Số liệu chính"], "trong đó 3★")[1] == 2
    assert len(rows(book["4. Danh sách"])) == 2 + 4


def test_who_may_download_and_bad_requests(register):
    producer = Producer.objects.get(name="HTX Một")
    get = {"period": "2025-h1", "format": "xlsx"}
    assert client_for(None).get(URL, get).status_code == 302  # to the admin's login
    customer = factories.user_with_role("consumer")
    assert client_for(customer).get(URL, get).status_code == 302
    response = client_for(factories.user_with_role("producer", producer)).get(URL, get)
    assert response.status_code == 403 and "Chỉ cán bộ OCOP" in response.content.decode()
    client = client_for(official())
    for period in ("2025-h3", "nửa năm", "0001", ""):
        response = client.get(URL, {**get, "period": period})
        assert response.status_code == 400 and "Kỳ báo cáo không hợp lệ" in response.content.decode()
    assert client.get(URL, {**get, "format": "docx"}).status_code == 400
    assert client.get(URL, {**get, "plan": "khong-co"}).status_code == 400
    assert reverse("oversight:report") == URL


def test_the_job_mails_each_report_once(register):
    assert tasks.due(datetime.date(2025, 6, 9)) == [] and tasks.due(datetime.date(2025, 6, 15)) == []
    assert tasks.send_reports(datetime.date(2025, 12, 10)) == "2025: sent to 1"
    assert tasks.send_reports(datetime.date(2025, 12, 11)) == "2025: already sent"
    call_command("send_reports", "--period", "2025")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [OFFICE] and message.subject.startswith("Báo cáo OCOP – Năm 2025")
    names = [name for name, _content, _type in message.attachments]
    assert names == ["bao-cao-ocop-2025.xlsx", "bao-cao-ocop-2025.pdf"]
    assert ReportDispatch.objects.get().period == "2025"
    # The year, as of 31/12/2025: D revoked in September, F certified in August.
    book = workbook(message.attachments[0][1])
    assert row_of(book["1. Số liệu chính"], "Sản phẩm OCOP còn hiệu lực")[1] == 5
    assert row_of(book["1. Số liệu chính"], "trong đó 4★")[1] == 0
    assert row_of(book["1. Số liệu chính"], "trong đó 3★")[1] == 4
    _reader, text = pdf_text(message.attachments[1][1])
    assert "Số liệu đến ngày 31/12/2025" in text and "Tổng cộng / Total 4 1 1 6 5 " in text
    call_command("send_reports", "--period", "2025-h1", "--dry-run")
    assert len(mail.outbox) == 1 and ReportDispatch.objects.count() == 1
