"""Who may do what with a dossier, proved with crafted HTTP requests to the admin screens
(issue 11, part 4): every role × every action × every state, as a table, and the evidence
files (checked by content, stored privately, served only to those who may see the dossier).

Each state gets one dossier, driven there through the workflow; every request of the table
runs in a savepoint rolled back afterwards, so each starts from the same dossier.
"""

import io
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from cms.evaluation.models import Dossier, Evidence, MemberAnswer, State
from tests import evaluation
from tests.evaluation import ASSESSMENT

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


ROLES = (
    "owner",
    "other_producer",
    "officer",
    "other_officer",
    "office",
    "member",
    "unseated",
    "approver",
    "consumer",
    "anonymous",
)
COUNCIL_STATES = {State.SCORING, State.SCORED, State.PROPOSED, State.DECIDED}
ALL_BUT_DRAFT = set(State.values) - {State.DRAFT}

# Who sees the dossier at all, by state (everyone else gets 404; anonymous users and accounts
# without admin access are sent to the admin's login).
SEES = {
    "owner": set(State.values),
    "other_producer": set(),
    "officer": ALL_BUT_DRAFT,
    "other_officer": set(),
    "office": ALL_BUT_DRAFT,
    "member": COUNCIL_STATES,
    "unseated": set(),
    "approver": ALL_BUT_DRAFT,
}
# Each step: who takes it, from which states, to which state.
STEPS = {
    "submit": ("owner", {State.DRAFT, State.RETURNED}, State.SUBMITTED),
    "return": ("officer", {State.SUBMITTED}, State.RETURNED),
    "forward": ("officer", {State.SUBMITTED}, State.FORWARDED),
    "request_documents": ("office", {State.FORWARDED, State.ACCEPTED}, State.DOCUMENTS_REQUESTED),
    "provide_documents": ("owner", {State.DOCUMENTS_REQUESTED}, State.FORWARDED),
    "accept": ("office", {State.FORWARDED}, State.ACCEPTED),
    "record_visit": ("office", {State.ACCEPTED}, State.ACCEPTED),
    "open_scoring": ("office", {State.ACCEPTED}, State.SCORING),
    "decide": ("approver", {State.SCORED}, State.DECIDED),
    "record_ministry": ("approver", {State.PROPOSED}, State.DECIDED),
}
# The producer edits its answers only in these; it adds evidence also when documents are asked.
EDITS = {State.DRAFT, State.RETURNED}
ADDS_EVIDENCE = EDITS | {State.DOCUMENTS_REQUESTED}

ACTIONS = (
    "GET detail",
    "GET evidence",
    "GET edit",
    "POST edit",
    *(f"POST act {step}" for step in STEPS),
    "GET score",
    "POST score",
)

STATES = (
    State.DRAFT,
    State.SUBMITTED,
    State.RETURNED,
    State.FORWARDED,
    State.DOCUMENTS_REQUESTED,
    State.ACCEPTED,
    State.SCORING,
    State.SCORED,
    State.PROPOSED,
    State.DECIDED,
)


def expected(role, action, state):
    """(status, whether the request changes the dossier)."""
    if role in ("anonymous", "consumer"):
        return "login", False
    if state not in SEES[role]:
        return 404, False
    if action in ("GET detail", "GET evidence"):
        return 200, False
    if action == "GET edit":
        return (200, False) if role == "owner" and state in ADDS_EVIDENCE else (302, False)
    if action == "POST edit":
        if role == "owner" and state in ADDS_EVIDENCE:
            return 302, state in EDITS  # when documents are asked, the answers stay as they are
        return 403, False
    if action.startswith("POST act "):
        who, sources, _ = STEPS[action.removeprefix("POST act ")]
        return (302, True) if role == who and state in sources else (403, False)
    if action == "GET score":
        return (200, False) if role == "member" else (404, False)
    if action == "POST score":
        if role != "member":
            return 404, False
        return (302, True) if state == State.SCORING else (403, False)
    raise AssertionError(action)


@pytest.fixture
def ctx(rulebook, tree):
    return evaluation.build(tree)


def clients(ctx):
    result = {"anonymous": Client()}
    for role in ROLES[:-1]:
        result[role] = Client()
        result[role].force_login(getattr(ctx, role))
    return result


def act_data(ctx, step):
    today = ctx.today.isoformat()
    fields = {
        "return": {"comment": "Thiếu giấy phép"},
        "forward": ASSESSMENT,
        "request_documents": {"comment": "Bổ sung phiếu kiểm nghiệm"},
        "accept": {"round": ctx.round.pk},
        "record_visit": {"visited_on": today, "notes": "Cơ sở đạt yêu cầu"},
        "decide": {"number": "200/QĐ-UBND", "decided_on": today},
        "record_ministry": {"number": "7/QĐ-BNNMT", "decided_on": today, "stars": 5},
    }.get(step, {})
    return {f"{step}-{name}": value for name, value in fields.items()}


def edit_data(dossier):
    return {
        "m01-unit_name": dossier.unit_name,
        "m01-representative": "Lê Thị Mới",
        "m01-address": dossier.address,
        "m01-phone": dossier.phone,
        "m01-email": dossier.email,
        "m01-product_name": dossier.product_name,
        "m01-self_assessed_stars": "4",
    }


def score_data(dossier):
    answers = evaluation.worst(list(dossier.sheet.criteria()))
    return {**{f"s-c{criterion}": option.pk for criterion, option in answers.items()}, "opinion": "Nháp"}


def request(client, action, dossier, ctx, item):
    pk = dossier.pk
    if action == "GET detail":
        return client.get(reverse("evaluation:detail", args=[pk]))
    if action == "GET evidence":
        return client.get(reverse("evaluation:evidence", args=[pk, item.pk]))
    if action == "GET edit":
        return client.get(reverse("evaluation:edit", args=[pk]))
    if action == "POST edit":
        return client.post(reverse("evaluation:edit", args=[pk]), edit_data(dossier))
    if action == "GET score":
        return client.get(reverse("evaluation:score", args=[pk]))
    if action == "POST score":
        return client.post(reverse("evaluation:score", args=[pk]), score_data(dossier))
    step = action.removeprefix("POST act ")
    return client.post(reverse("evaluation:act", args=[pk, step]), act_data(ctx, step))


def snapshot(dossier):
    dossier = Dossier.objects.get(pk=dossier.pk)
    return (
        dossier.state,
        dossier.representative,
        dossier.events.count(),
        MemberAnswer.objects.filter(score__dossier=dossier).count(),
        dossier.certificate_id,
        dossier.events.last().actor_id,
    )


@pytest.mark.parametrize("state", STATES)
def test_the_permission_matrix(ctx, state):
    pdf = SimpleUploadedFile("giay-phep.pdf", PDF, content_type="application/pdf")
    dossier = evaluation.dossier_in(ctx, state, uploads=[pdf])
    assert dossier.state == state
    item = dossier.evidence.get()
    login = reverse("wagtailadmin_login")
    wrong = []
    checked = 0
    for role, client in clients(ctx).items():
        for action in ACTIONS:
            status, changes = expected(role, action, state)
            before = snapshot(dossier)
            sid = transaction.savepoint()
            try:
                response = request(client, action, dossier, ctx, item)
                after = snapshot(dossier)
            finally:
                transaction.savepoint_rollback(sid)
            checked += 1
            got = response.status_code
            if status == "login":
                ok = got == 302 and response.url.startswith(login) and after == before
            else:
                ok = got == status and (after != before) == changes
            if ok and changes and action.startswith("POST act "):
                who, _, target = STEPS[action.removeprefix("POST act ")]
                ok = after[0] == target and after[2] == before[2] + 1 and after[5] == getattr(ctx, who).pk
            if ok and action == "POST edit" and status == 302:
                ok = (after[1] == "Lê Thị Mới") == (state in EDITS)
            if ok and action == "GET edit" and status == 302:
                ok = response.url == reverse("evaluation:detail", args=[dossier.pk])
            if ok and action == "GET evidence" and status == 200:
                ok = b"".join(response.streaming_content) == PDF and response["Content-Type"] == "application/pdf"
            if not ok:
                wrong.append(f"{role:15} {action:28} expected {status}{' +change' if changes else ''}, got {got}")
    assert checked == len(ROLES) * len(ACTIONS)
    assert wrong == [], "\n".join([f"state {state}:"] + wrong)


def test_an_unknown_step_is_404(ctx):
    dossier = evaluation.dossier_in(ctx, State.SUBMITTED)
    client = Client()
    client.force_login(ctx.officer)
    assert client.post(reverse("evaluation:act", args=[dossier.pk, "approve"])).status_code == 404
    assert client.get(reverse("evaluation:act", args=[dossier.pk, "forward"])).status_code == 405


def test_a_step_with_bad_input_is_400_and_changes_nothing(ctx):
    dossier = evaluation.dossier_in(ctx, State.SUBMITTED)
    client = Client()
    client.force_login(ctx.officer)
    before = snapshot(dossier)
    response = client.post(reverse("evaluation:act", args=[dossier.pk, "return"]), {"return-comment": " "})
    assert response.status_code == 400
    response = client.post(reverse("evaluation:act", args=[dossier.pk, "forward"]), {"forward-commune_idea": "x"})
    assert response.status_code == 400
    assert snapshot(dossier) == before


def test_a_member_sees_the_others_scores_only_after_submitting(ctx):
    dossier = evaluation.dossier_in(ctx, State.SCORING)
    criteria = list(dossier.sheet.criteria())
    first, second = ctx.members[0], ctx.members[1]
    evaluation.workflow.save_score(dossier, second, evaluation.best(criteria), submit=True)
    client = Client()
    client.force_login(first)
    detail = reverse("evaluation:detail", args=[dossier.pk])
    response = client.get(detail)
    assert response.status_code == 200
    assert response.context["member_scores"] is None
    office = Client()
    office.force_login(ctx.office)
    assert office.get(detail).context["member_scores"] is None  # not before the council has finished
    evaluation.workflow.save_score(dossier, first, evaluation.best(criteria), submit=True)
    assert [s.member for s in client.get(detail).context["member_scores"]] != []


# --- evidence ---------------------------------------------------------------------------


def upload(client, dossier, files, **data):
    return client.post(reverse("evaluation:edit", args=[dossier.pk]), {**edit_data(dossier), **files, **data})


def test_evidence_is_checked_by_content_and_stored_privately(ctx):
    dossier = evaluation.dossier_in(ctx, State.DRAFT)
    criterion = evaluation.answerable(list(dossier.sheet.criteria()))[0]
    client = Client()
    client.force_login(ctx.owner)
    response = upload(
        client,
        dossier,
        {
            "evidence-general": SimpleUploadedFile("giay phep.pdf", PDF, content_type="application/octet-stream"),
            f"evidence-{criterion.pk}": SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    items = {e.name: e for e in Evidence.objects.filter(dossier=dossier)}
    assert set(items) == {"giay phep.pdf", "anh.png"}
    assert items["giay phep.pdf"].content_type == "application/pdf"
    assert items["giay phep.pdf"].criterion is None
    assert items["anh.png"].content_type == "image/png"
    assert items["anh.png"].criterion == criterion
    private = Path(settings.OCOP_PRIVATE_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    for item in items.values():
        path = Path(item.file.path).resolve()
        assert path.is_relative_to(private)
        assert not path.is_relative_to(media)
        assert path.read_bytes() in (PDF, png_bytes())
        assert path.name.startswith("evidence")  # the stored name says nothing of the upload's
        with pytest.raises(ValueError):
            item.file.url  # noqa: B018 - no public URL at all
    # Served by the dossier's view: to the owner with its type, to an outsider not at all.
    item = items["anh.png"]
    url = reverse("evaluation:evidence", args=[dossier.pk, item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert b"".join(response.streaming_content) == png_bytes()
    for role in ("other_producer", "officer", "office", "approver", "unseated"):
        outsider = Client()
        outsider.force_login(getattr(ctx, role))
        assert outsider.get(url).status_code == 404, role
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("wagtailadmin_login"))
    # An evidence id from another dossier is not found through this one.
    other = evaluation.dossier_in(
        ctx, State.DRAFT, product=evaluation.factories.register_product(ctx.producer, scoring_set=7)
    )
    assert client.get(reverse("evaluation:evidence", args=[other.pk, item.pk])).status_code == 404


@pytest.mark.parametrize(
    "name, content",
    [
        ("giay-phep.pdf", EXE),  # a program renamed .pdf
        ("anh.png", "Đây là một tệp văn bản, không phải ảnh.\n".encode()),
        ("ghi-chu.txt", b"plain text"),
        ("trang.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_other_files_are_refused_with_a_message(ctx, name, content):
    dossier = evaluation.dossier_in(ctx, State.DRAFT)
    client = Client()
    client.force_login(ctx.owner)
    stored = list(Path(settings.OCOP_PRIVATE_ROOT).rglob("*")) if Path(settings.OCOP_PRIVATE_ROOT).exists() else []
    response = upload(client, dossier, {"evidence-general": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    with translation.override("vi"):
        message = gettext("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name}
    assert escape(message) in response.content.decode()
    assert not Evidence.objects.filter(dossier=dossier).exists()
    # The whole post is undone: the registration change sent with it too.
    dossier.refresh_from_db()
    assert dossier.representative == "Nguyễn Văn An"
    after = list(Path(settings.OCOP_PRIVATE_ROOT).rglob("*")) if Path(settings.OCOP_PRIVATE_ROOT).exists() else []
    assert len(after) == len(stored)


def test_an_oversized_file_is_refused(ctx, settings):
    settings.OCOP_EVIDENCE_MAX_BYTES = 1024 * 1024
    dossier = evaluation.dossier_in(ctx, State.DRAFT)
    client = Client()
    client.force_login(ctx.owner)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (1024 * 1024))
    assert upload(client, dossier, {"evidence-general": big}).status_code == 400
    assert not Evidence.objects.filter(dossier=dossier).exists()


def test_evidence_when_documents_are_requested_but_not_after(ctx):
    dossier = evaluation.dossier_in(ctx, State.DOCUMENTS_REQUESTED)
    client = Client()
    client.force_login(ctx.owner)
    pdf = SimpleUploadedFile("kiem-nghiem.pdf", PDF)
    response = upload(client, dossier, {"evidence-general": pdf}, submit="1")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.FORWARDED  # sent back with the documents
    assert dossier.representative == "Nguyễn Văn An"  # answers and Mẫu 01 stay as filed
    assert dossier.evidence.count() == 1
    response = upload(client, dossier, {"evidence-general": SimpleUploadedFile("them.pdf", PDF)})
    assert response.status_code == 403
    assert dossier.evidence.count() == 1
