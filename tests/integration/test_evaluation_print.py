"""The evaluation's printable documents (Mẫu 01–03, a member's score sheet, the round's
summary) and a round's public results page, rendered from a dossier built in the
database: the filled values are on the page, the ticked options are marked, the proposed
decision follows the stars, and who may not see them does not."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from catalog.rulebook import RuleSet
from cms.evaluation.models import Answer, CouncilSeat, Dossier, DossierEvent, MemberAnswer, MemberScore, Round, State
from tests import factories

pytestmark = pytest.mark.django_db


def _dossier(product, rule_set, sheet, user, **fields):
    producer = product.producer
    defaults = {
        "product": product,
        "rule_set": rule_set,
        "sheet": sheet,
        "created_by": user,
        "unit_name": producer.name,
        "representative": "Nguyễn Thị Hoa",
        "address": "Thôn 3, xã Thử",
        "phone": "0263 3822 123",
        "email": "htx@example.vn",
        "product_name": product.name,
        "self_assessed_stars": 4,
        "submitted_on": datetime.date(2026, 6, 2),
    }
    return Dossier.objects.create(**{**defaults, **fields})


@pytest.fixture
def evaluation(rulebook, tree):
    """A decided round of three dossiers (4★ certified with a page, 5★ proposed without a
    page, 2★ not ranked with a page), a
    chair and a member who scored the first one, and the self-assessment of the first."""
    data = factories.Tree()
    rule_set = RuleSet.objects.get(code="26-2026")
    sheet = rule_set.sheets.get(number=4)
    data.criteria = list(sheet.criteria())
    data.producer_user = tree.producer_user_a
    data.superuser = get_user_model().objects.create_superuser("admin-print", "admin@example.vn", "secret-pass-123")
    data.chair = factories.UserFactory(username="chair", first_name="Trần Văn", last_name="An")
    data.member = factories.UserFactory(username="member", first_name="Lê Thị", last_name="Bình")
    data.round = Round.objects.create(
        name="Đợt 1 năm 2026",
        rule_set=rule_set,
        proposals_by=datetime.date(2026, 6, 30),
        decide_by=datetime.date(2026, 8, 31),
    )
    CouncilSeat.objects.create(round=data.round, member=data.chair, role=CouncilSeat.Role.CHAIR)
    CouncilSeat.objects.create(round=data.round, member=data.member)

    producer = tree.producer_a.producer
    producer.commune = factories.CommuneFactory(name="Xã Nam Dong")
    producer.save()
    product = tree.product_a.register_product
    product.code = "68-24817-3-2026"
    product.save()
    decided = {
        "state": State.DECIDED,
        "round": data.round,
        "decision_number": "123/QĐ-UBND",
        "decision_date": datetime.date(2026, 8, 20),
    }
    data.certified = _dossier(
        product,
        rule_set,
        sheet,
        data.superuser,
        commune_raw_materials="Mật ong thu từ rừng cà phê trong xã.",
        commune_labour="12 lao động, đều là người trong xã.",
        commune_idea="Nghề nuôi ong truyền thống.",
        commune_identity="Mật ong hoa cà phê đặc trưng của vùng.",
        score_a=Decimal("31.50"),
        score_b=Decimal("18.25"),
        score_c=Decimal("26.00"),
        score=Decimal("75.75"),
        result_stars=4,
        held_back="",
        **decided,
    )
    data.certified.certificate = factories.certificate(product, decision_number="123/QĐ-UBND", score=(31.5, 18.25, 26))
    data.certified.save()
    DossierEvent.objects.create(
        dossier=data.certified, actor=data.superuser, action="forward", from_state="submitted", to_state="forwarded"
    )
    data.proposed = _dossier(
        factories.register_product(producer, name="Trà thảo mộc thử"),
        rule_set,
        sheet,
        data.superuser,
        score_a=Decimal("38.00"),
        score_b=Decimal("23.00"),
        score_c=Decimal("31.33"),
        score=Decimal("92.33"),
        result_stars=5,
        **{**decided, "state": State.PROPOSED},
    )
    data.unranked = _dossier(
        tree.product_b.register_product,
        rule_set,
        sheet,
        data.superuser,
        score_a=Decimal("20.00"),
        score_b=Decimal("10.00"),
        score_c=Decimal("15.50"),
        score=Decimal("45.50"),
        result_stars=2,
        held_back="A 1.1 Nguồn gốc sản phẩm: cần 3 điểm cho 3★\nC 8.2 Kiểm nghiệm: cần 2 điểm cho 3★",
        **decided,
    )
    # The producer ticks the best option of the first criterion, the worst of the others.
    data.best = max(data.criteria[0].options.all(), key=lambda o: o.points)
    data.worst = {c.pk: min(c.options.all(), key=lambda o: o.points) for c in data.criteria[1:] if c.options.all()}
    Answer.objects.create(dossier=data.certified, criterion=data.criteria[0], option=data.best)
    for criterion_pk, option in data.worst.items():
        Answer.objects.create(dossier=data.certified, criterion_id=criterion_pk, option=option)
    # The member ticks the best option everywhere.
    data.sheet = MemberScore.objects.create(
        dossier=data.certified,
        member=data.member,
        opinion="Sản phẩm có câu chuyện tốt, bao bì cần cải thiện.",
        submitted_at=timezone.now(),
    )
    data.member_best = {c.pk: max(c.options.all(), key=lambda o: o.points) for c in data.criteria if c.options.all()}
    for criterion_pk, option in data.member_best.items():
        MemberAnswer.objects.create(score=data.sheet, criterion_id=criterion_pk, option=option)
    return data


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _print_urls(data):
    pk = data.certified.pk
    return [
        reverse("evaluation:print", args=[pk, "mau-01"]),
        reverse("evaluation:print", args=[pk, "mau-02"]),
        reverse("evaluation:print", args=[pk, "mau-03"]),
        reverse("evaluation:print_member_sheet", args=[pk, data.member.pk]),
        reverse("evaluation:print_round", args=[data.round.pk]),
    ]


def test_forms_are_filled_from_the_dossier(client, evaluation):
    data, dossier = evaluation, evaluation.certified
    mau01 = _get(client, data.superuser, reverse("evaluation:print", args=[dossier.pk, "mau-01"]))
    assert '<html lang="vi">' in mau01
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in mau01 and "Độc lập - Tự do - Hạnh phúc" in mau01
    assert "PHIẾU ĐĂNG KÝ" in mau01
    for value in (dossier.unit_name, "Nguyễn Thị Hoa", "0263 3822 123", "htx@example.vn", "68-24817-3-2026"):
        assert value in mau01
    assert dossier.product_name in mau01
    assert 'Lần đầu <span class="box">☑</span>' in mau01
    assert 'Nâng hạng: <span class="box">☐</span>' in mau01
    assert "4 sao" in mau01  # self-assessed
    assert "của tỉnh Lâm Đồng năm 2026" in mau01
    assert "Xã Nam Dong, ngày 02 tháng 06 năm 2026" in mau01

    mau02 = _get(client, data.superuser, reverse("evaluation:print", args=[dossier.pk, "mau-02"]))
    assert "BÁO CÁO TỰ ĐÁNH GIÁ VỀ SẢN PHẨM" in mau02
    ticked = mau02.count("☑")
    assert ticked == 1 + len(data.worst) + 1  # one per answered criterion, plus the legend's
    first = data.criteria[0]
    assert f'<span class="box">☑</span> {data.best.title}' in mau02
    expected = {part: Decimal(0) for part in "abc"}
    expected[first.group.part] += data.best.points
    for criterion in data.criteria[1:]:
        if criterion.pk in data.worst:
            expected[criterion.group.part] += data.worst[criterion.pk].points
    total = sum(expected.values())
    assert f'<td>Tổng cộng</td><td class="num">100</td><td class="num">{_vi(total)}</td>' in mau02

    mau03 = _get(client, data.superuser, reverse("evaluation:print", args=[dossier.pk, "mau-03"]))
    assert "ỦY BAN NHÂN DÂN" in mau03 and "XÃ NAM DONG" in mau03
    for value in (
        dossier.commune_raw_materials,
        dossier.commune_labour,
        dossier.commune_idea,
        dossier.commune_identity,
    ):
        assert value in mau03
    assert "Ủy ban nhân dân xã Nam Dong đề nghị Ủy ban nhân dân tỉnh Lâm Đồng đánh giá, phân hạng" in mau03
    assert "T.M ỦY BAN NHÂN DÂN" in mau03
    assert "Loại hình tổ chức: Hợp tác xã" in mau03
    assert "sidebar" not in mau03 and "wagtailadmin" not in mau03  # a standalone page, no admin chrome


def test_forms_stay_vietnamese_for_an_english_admin(client, evaluation):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(evaluation.superuser)
    profile.preferred_language = "en"
    profile.save()
    page = _get(client, evaluation.superuser, reverse("evaluation:print", args=[evaluation.certified.pk, "mau-03"]))
    assert "Loại hình tổ chức: Hợp tác xã" in page and "Cooperative" not in page


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Lâm Đồng", "tỉnh Lâm Đồng"), ("Thành phố Hà Nội", "thành phố Hà Nội"), ("", "tỉnh ....")],
)
def test_province_in_a_sentence(name, expected):
    from django.template.loader import render_to_string

    assert render_to_string("evaluation/print/province.html", {"name": name}).strip().startswith(expected)


def _vi(number):
    """`number` as the Vietnamese locale prints floatformat:"-2" (comma decimals)."""
    text = f"{Decimal(number):.2f}".replace(".", ",")
    return text.removesuffix(",00")


def test_member_sheet_marks_the_ticked_options_and_totals(client, evaluation):
    data = evaluation
    page = _get(
        client, data.superuser, reverse("evaluation:print_member_sheet", args=[data.certified.pk, data.member.pk])
    )
    assert "PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP" in page
    assert f"Bộ sản phẩm số 4: {data.certified.sheet.name}" in page
    assert "Mã số sản phẩm: 68-24817-3-2026" in page
    assert page.count("☑") == len(data.member_best)
    for option in list(data.member_best.values())[:5]:
        assert f'<span class="box">☑</span> {option.title}' in page
    parts = {part: Decimal(0) for part in "abc"}
    for criterion in data.criteria:
        if criterion.pk in data.member_best:
            parts[criterion.group.part] += data.member_best[criterion.pk].points
    maxima = data.certified.rule_set.part_maxima
    for part in "abc":
        assert f'<td class="num">{maxima[part]}</td><td class="num">{_vi(parts[part])}</td>' in page
    total = _vi(sum(parts.values()))
    assert f'<td>Tổng cộng</td><td class="num">100</td><td class="num">{total}</td>' in page
    assert "Lê Thị Bình" in page
    assert data.sheet.opinion in page
    assert "THÀNH VIÊN HỘI ĐỒNG" in page


def test_round_summary_proposes_the_decision_by_stars(client, evaluation):
    data = evaluation
    page = _get(client, data.superuser, reverse("evaluation:print_round", args=[data.round.pk]))
    assert "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert [data.proposed.product_name in rows[0], data.certified.product_name in rows[1]] == [True, True]
    assert "Đề nghị Trung ương đánh giá 5 sao" in rows[0] and "92,33" in rows[0]
    assert "Đề nghị công nhận 4 sao" in rows[1] and "75,75" in rows[1] and "31,50" in rows[1]
    assert "Không đủ điều kiện công nhận" in rows[2]
    assert "A 1.1 Nguồn gốc sản phẩm: cần 3 điểm cho 3★<br>C 8.2" in rows[2]
    assert "Xã Nam Dong, Lâm Đồng" in rows[1]
    assert "trung vị" in page and "lấy mức thấp hơn trong hai mức ở giữa" in page
    assert "CHỦ TỊCH HỘI ĐỒNG" in page and "THƯ KÝ HỘI ĐỒNG" in page
    assert "Trần Văn An" in page


def test_print_pages_need_a_login_and_a_right(client, evaluation):
    data = evaluation
    for url in _print_urls(data):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
    # A council member may print its own sheet, not the producer's forms of a round it
    # does not sit on, nor the round's summary (the office's and the approver's).
    outsider = factories.UserFactory(username="outsider")
    outsider.user_permissions.add(*_admin_access())
    client.force_login(outsider)
    for url in _print_urls(data):
        assert client.get(url).status_code == 404, url


def test_members_and_producers_print_only_what_they_may_see(client, evaluation):
    data, dossier = evaluation, evaluation.certified
    dossier.state = State.SCORING
    dossier.save()
    # The chair's own sheet is a draft: it prints as such; the submitted sheet of another
    # member stays hidden until the chair has submitted its own.
    MemberScore.objects.create(dossier=dossier, member=data.chair)
    data.chair.user_permissions.add(*_admin_access())
    own = _get(client, data.chair, reverse("evaluation:print_member_sheet", args=[dossier.pk, data.chair.pk]))
    assert "BẢN NHÁP" in own and "☑" not in own
    other = reverse("evaluation:print_member_sheet", args=[dossier.pk, data.member.pk])
    assert client.get(other).status_code == 404
    # The chair signs the round's summary, so prints it.
    assert client.get(reverse("evaluation:print_round", args=[data.round.pk])).status_code == 200
    # The producer prints its own forms, not the council's sheets nor the round's summary.
    client.force_login(data.producer_user)
    for form in ("mau-01", "mau-02", "mau-03"):
        assert client.get(reverse("evaluation:print", args=[dossier.pk, form])).status_code == 200, form
    assert client.get(other).status_code == 404
    assert client.get(reverse("evaluation:print_round", args=[data.round.pk])).status_code == 404


def _admin_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")


def test_public_results_once_published(client, evaluation):
    data = evaluation
    url = reverse("evaluation-public:public_results", args=[data.round.pk])
    assert client.get(url).status_code == 404  # not published yet
    data.round.published_on = datetime.date(2026, 8, 25)
    data.round.save()
    # The product with a live page is linked; a product without one is not; a product
    # the round did not recognise is not published.
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đợt 1 năm 2026" in page and "25/08/2026" in page and "20/08/2026" in page
    product_url = data.certified.product.page.get_url()
    assert f'<a href="{product_url}">{data.certified.product_name}</a>' in page
    assert '<th scope="row" data-label="Sản phẩm">Trà thảo mộc thử</th>' in page
    assert data.unranked.product_name not in page and "45,50" not in page
    assert "75,75" in page and "92,33" in page
    assert "Quyết định số 123/QĐ-UBND ngày" in page
    assert "Đề nghị Trung ương đánh giá 5 sao" in page and "Chờ Trung ương đánh giá" in page
    assert "Kết quả đánh giá, phân hạng sản phẩm OCOP" in page
    # In English, with the same figures.
    english = client.get("/en" + url).content.decode()
    assert "OCOP evaluation results" in english and "Awaiting the ministry" in english
    # A round that does not exist is a 404 too, not an error.
    assert client.get(reverse("evaluation-public:public_results", args=[999999])).status_code == 404


def test_unknown_form_is_404(client, evaluation):
    client.force_login(evaluation.superuser)
    assert client.get(reverse("evaluation:print", args=[evaluation.certified.pk, "mau-09"])).status_code == 404
