"""Re-evaluation reminders (issue 12, part 2): the stages, the daily job over a simulated
month (each stage's e-mail exactly once, to the producer and to the office), the officials'
lists with their permissions, the producer's home panel and the start link it offers."""

import datetime
import smtplib
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from catalog.models import Certificate
from cms.evaluation import workflow
from cms.evaluation.models import Kind, State
from cms.lifecycle import reminders, stages
from cms.lifecycle.models import CertificateReminder, Stage
from tests import evaluation, factories

pytestmark = pytest.mark.django_db

OFFICE_ALIAS = "vp-ocop@example.vn"
SUBJECTS = {
    Stage.WINDOW_OPEN: "Đến hạn nộp hồ sơ đánh giá lại sản phẩm OCOP",
    Stage.WINDOW_MISSED: "Đã quá hạn nộp hồ sơ đánh giá lại sản phẩm OCOP",
    Stage.EXPIRING: "Giấy chứng nhận OCOP sắp hết hạn",
    Stage.LAPSED: "Giấy chứng nhận OCOP đã hết hạn",
}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is down")


def days(n):
    return datetime.timedelta(days=n)


def certificate(product, *, expires_in, day0, decided_before=1000, **kwargs):
    """A certificate of `product` expiring `expires_in` days after `day0`."""
    return factories.certificate(
        product,
        age_days=(timezone.localdate() - day0).days + decided_before,
        expiry_date=day0 + days(expires_in),
        **kwargs,
    )


@pytest.fixture
def ctx(tree, rulebook, settings):
    settings.OCOP_OFFICE_EMAIL = OFFICE_ALIAS
    settings.OCOP_BASE_URL = "https://ocop.example.vn"
    ctx = evaluation.build(tree)
    ctx.day0 = timezone.localdate()
    product = lambda name: factories.register_product(ctx.producer, name=name, scoring_set=7)  # noqa: E731
    # Day numbers below are days after day0 (the first run).
    # The window opens on day 11 (expiry − 180).
    ctx.opening = certificate(product("Cà phê mở cửa sổ"), expires_in=191, day0=ctx.day0)
    # Inside the window on day 0; it closes on day 5; missed from day 6.
    ctx.closing = certificate(product("Tiêu sắp lỡ hạn"), expires_in=125, day0=ctx.day0)
    # Past the window on day 0 (missed); expiring from day 12 (expiry − 30).
    ctx.expiring = certificate(product("Mật ong sắp hết hạn"), expires_in=42, day0=ctx.day0)
    # Expiring on day 0; lapsed on day 21.
    ctx.lapsing = certificate(product("Bơ sắp hết hạn"), expires_in=20, day0=ctx.day0)
    # Inside the window, with a re-evaluation dossier submitted: never mailed in the window
    # nor as missed (it is valid past the window).
    ctx.filed_product = product("Hạt điều đã nộp hồ sơ")
    ctx.filed = certificate(ctx.filed_product, expires_in=125, day0=ctx.day0)
    dossier = workflow.start(ctx.owner, ctx.filed_product, Kind.REEVALUATION)
    workflow.save_answers(dossier, ctx.owner, evaluation.best(list(dossier.sheet.criteria())))
    ctx.dossier = workflow.submit(dossier, ctx.owner)
    # Replaced by a later certificate: never mailed, though it expires this month.
    renewed = product("Chuối đã đánh giá lại")
    ctx.superseded = certificate(renewed, expires_in=10, day0=ctx.day0)
    ctx.renewal = certificate(renewed, expires_in=1000, day0=ctx.day0, decided_before=96)
    # Entered by hand, lapsed long ago: history, never mailed.
    ctx.historic = certificate(product("Rượu cần cũ"), expires_in=-400, day0=ctx.day0)
    # Revoked: never mailed by this job (the revocation notice is its own).
    ctx.revoked = certificate(product("Gạo bị thu hồi"), expires_in=20, day0=ctx.day0, revoked_on=ctx.day0 - days(3))
    ctx.producer_to = sorted({"htx@example.vn", ctx.owner.email})
    ctx.office_to = sorted({ctx.office.email, OFFICE_ALIAS})
    mail.outbox.clear()
    return ctx


EXPECTED = {
    ("opening", Stage.WINDOW_OPEN),
    ("closing", Stage.WINDOW_OPEN),
    ("closing", Stage.WINDOW_MISSED),
    ("expiring", Stage.WINDOW_MISSED),
    ("expiring", Stage.EXPIRING),
    ("lapsing", Stage.EXPIRING),
    ("lapsing", Stage.LAPSED),
}


def sent_mails(ctx):
    """Counter of (certificate's handle, stage, 'producer' or 'office') over the outbox."""
    handles = {getattr(ctx, name).product.name: name for name, _ in EXPECTED}
    by_subject = {vietnamese: stage for stage, vietnamese in SUBJECTS.items()}
    seen = Counter()
    for message in mail.outbox:
        vietnamese, rest = message.subject.split(" / ", 1)
        product_name = rest.rsplit(": ", 1)[1]
        assert vietnamese in by_subject, message.subject
        assert product_name in handles, message.subject
        if sorted(message.to) == ctx.producer_to:
            who = "producer"
        else:
            assert sorted(message.to) == ctx.office_to, message.to
            who = "office"
        seen[(handles[product_name], by_subject[vietnamese], who)] += 1
    return seen


def exactly_once(expected):
    return Counter({(name, stage, who): 1 for name, stage in expected for who in ("producer", "office")})


# --- the stages ---------------------------------------------------------------------------


def test_stage_of_each_certificate_on_day0(ctx):
    day0 = ctx.day0
    assert stages.stage(ctx.opening, day0) == Stage.VALID
    assert stages.stage(ctx.opening, day0 + days(11)) == Stage.WINDOW_OPEN
    assert stages.stage(ctx.closing, day0 + days(5)) == Stage.WINDOW_OPEN
    assert stages.stage(ctx.closing, day0 + days(6)) == Stage.WINDOW_MISSED
    assert stages.stage(ctx.expiring, day0) == Stage.WINDOW_MISSED
    assert stages.stage(ctx.expiring, day0 + days(12)) == Stage.EXPIRING
    assert stages.stage(ctx.lapsing, day0 + days(20)) == Stage.EXPIRING
    assert stages.stage(ctx.lapsing, day0 + days(21)) == Stage.LAPSED
    assert stages.stage(ctx.filed, day0) == Stage.WINDOW_OPEN
    assert stages.stage(ctx.filed, day0 + days(6)) == Stage.VALID  # past the window, dossier filed
    assert stages.stage(ctx.superseded, day0) == Stage.SUPERSEDED
    assert stages.stage(ctx.renewal, day0) == Stage.VALID
    assert stages.stage(ctx.historic, day0) == Stage.LAPSED
    assert stages.stage(ctx.revoked, day0) == Stage.REVOKED


def test_the_queryset_and_the_single_certificate_agree_every_day(ctx):
    for offset in range(0, 45, 3):
        day = ctx.day0 + days(offset)
        for row in stages.annotate(today=day):
            assert row.stage == stages.stage(Certificate.objects.get(pk=row.pk), day), (row, offset)


def test_the_window_and_the_dossier_are_exposed(ctx):
    row = stages.annotate(Certificate.objects.filter(pk=ctx.filed.pk), ctx.day0).get()
    assert (row.window_opens, row.window_closes) == (
        ctx.filed.expiry_date - days(180),
        ctx.filed.expiry_date - days(120),
    )
    assert row.reevaluation_pk == ctx.dossier.pk and row.reevaluation_state == State.SUBMITTED
    assert row.reevaluation_filed


def test_a_draft_is_not_filed(ctx):
    dossier = workflow.start(ctx.owner, ctx.closing.product, Kind.REEVALUATION)
    assert dossier.state == State.DRAFT
    assert stages.stage(ctx.closing, ctx.day0 + days(6)) == Stage.WINDOW_MISSED
    row = stages.annotate(Certificate.objects.filter(pk=ctx.closing.pk), ctx.day0 + days(6)).get()
    assert (row.stage, row.reevaluation_pk, row.reevaluation_state) == (Stage.WINDOW_MISSED, dossier.pk, State.DRAFT)


# --- the job over a month ----------------------------------------------------------------


def test_daily_runs_over_a_month_send_each_stage_once(ctx):
    for offset in range(31):
        reminders.send_due(ctx.day0 + days(offset))
        if offset == 15:
            reminders.send_due(ctx.day0 + days(offset))  # run again the same day: nothing new
    assert sent_mails(ctx) == exactly_once(EXPECTED)
    recorded = set(CertificateReminder.objects.values_list("certificate_id", "stage"))
    assert recorded == {(getattr(ctx, name).pk, stage) for name, stage in EXPECTED}


def test_three_runs_over_a_month_with_missed_weeks_send_each_stage_once(ctx):
    reminders.send_due(ctx.day0)
    reminders.send_due(ctx.day0)  # twice on the first day
    assert sent_mails(ctx) == exactly_once(
        {("closing", Stage.WINDOW_OPEN), ("expiring", Stage.WINDOW_MISSED), ("lapsing", Stage.EXPIRING)}
    )
    reminders.send_due(ctx.day0 + days(14))  # two weeks missed
    reminders.send_due(ctx.day0 + days(29))
    assert sent_mails(ctx) == exactly_once(EXPECTED)


def test_a_job_that_missed_the_whole_window_sends_only_the_missed_mail(ctx):
    reminders.send_due(ctx.day0 + days(10))
    assert ("closing", Stage.WINDOW_OPEN, "producer") not in sent_mails(ctx)
    assert sent_mails(ctx)[("closing", Stage.WINDOW_MISSED, "producer")] == 1


def test_the_mail_says_what_to_do_in_vietnamese_then_english(ctx):
    reminders.send_due(ctx.day0)
    to_producer = next(
        m for m in mail.outbox if ctx.closing.product.name in m.subject and sorted(m.to) == ctx.producer_to
    )
    assert to_producer.subject == (
        f"{SUBJECTS[Stage.WINDOW_OPEN]} / Time to file the OCOP re-evaluation dossier: {ctx.closing.product.name}"
    )
    body = to_producer.body
    vietnamese, english = body.split("\n-----\n")
    opens, closes = ctx.closing.expiry_date - days(180), ctx.closing.expiry_date - days(120)
    assert f"Kính gửi {ctx.producer.name}" in vietnamese and f"Dear {ctx.producer.name}" in english
    assert f"{opens:%d/%m/%Y} – {closes:%d/%m/%Y}" in vietnamese
    assert ctx.closing.decision_number in vietnamese and f"{ctx.closing.stars}★" in vietnamese
    assert f"{ctx.closing.expiry_date:%d/%m/%Y}" in vietnamese
    start = f"https://ocop.example.vn/admin/ho-so/moi/?product={ctx.closing.product_id}&kind=reevaluation"
    assert f"Lập hồ sơ đánh giá lại: {start}" in vietnamese and start in english
    to_office = next(m for m in mail.outbox if ctx.closing.product.name in m.subject and m is not to_producer)
    assert sorted(to_office.to) == ctx.office_to
    assert "https://ocop.example.vn/admin/vong-doi/nhac-danh-gia-lai/?stage=window_open" in to_office.body
    assert ctx.producer.phone in to_office.body


def test_the_mail_names_the_dossier_in_progress(ctx):
    reminders.send_due(ctx.day0 + days(125 - 30))  # the filed certificate is expiring
    message = next(m for m in mail.outbox if ctx.filed_product.name in m.subject)
    assert "Hồ sơ đánh giá lại: Đang ở UBND xã" in message.body
    assert "Lập hồ sơ đánh giá lại" not in message.body  # one is in progress already


def test_a_failing_mail_server_records_nothing_and_the_next_run_sends(ctx, settings):
    settings.EMAIL_BACKEND = "tests.integration.test_reminders.RefusingBackend"
    report = reminders.send_due(ctx.day0)
    assert len(report.failed) == 3 and report.sent == []
    assert not CertificateReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = reminders.send_due(ctx.day0 + days(1))
    assert len(report.sent) == 3
    assert sent_mails(ctx) == exactly_once(
        {("closing", Stage.WINDOW_OPEN), ("expiring", Stage.WINDOW_MISSED), ("lapsing", Stage.EXPIRING)}
    )


def test_nobody_to_write_to_records_nothing(ctx, settings):
    settings.OCOP_OFFICE_EMAIL = ""
    ctx.office.groups.clear()
    ctx.producer.email = ""
    ctx.producer.save()
    ctx.owner.groups.clear()
    evaluation.access.Group.objects.filter(pk=ctx.producer.group_id).get().user_set.clear()
    report = reminders.send_due(ctx.day0)
    assert report.sent == [] and len(report.no_recipient) == 3
    assert mail.outbox == [] and not CertificateReminder.objects.exists()


def test_the_command_and_the_schedule(ctx, settings):
    call_command("send_reminders", "--date", f"{ctx.day0:%Y-%m-%d}", "--dry-run")
    assert mail.outbox == []
    call_command("send_reminders", "--date", f"{ctx.day0:%Y-%m-%d}")
    assert len(mail.outbox) == 6
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("send_reminders", "--date", "31/12/2026")
    schedule = Schedule.objects.get(name="lifecycle-reminders")
    assert schedule.func == "cms.lifecycle.tasks.send_reminders" and schedule.schedule_type == Schedule.DAILY
    from cms.lifecycle import tasks

    assert tasks.send_reminders() == "sent 0, failed 0, no recipient 0"  # today's were sent above


# --- the officials' lists -----------------------------------------------------------------

LIST = "/admin/vong-doi/nhac-danh-gia-lai/"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def listed(response):
    return {int(part.split('"')[1]) for part in response.content.decode().split("data-certificate=")[1:]}


def test_lists_per_stage(ctx):
    reminders.send_due(ctx.day0)
    client = client_for(ctx.office)
    expected = {
        Stage.WINDOW_OPEN: {ctx.closing.pk, ctx.filed.pk},
        Stage.WINDOW_MISSED: {ctx.expiring.pk},
        Stage.EXPIRING: {ctx.lapsing.pk},
        Stage.LAPSED: {ctx.historic.pk},
    }
    for stage, pks in expected.items():
        response = client.get(LIST, {"stage": stage.value})
        assert response.status_code == 200
        assert listed(response) == pks, stage
    page = client.get(LIST, {"stage": "window_open"}).content.decode()
    assert "Đang ở UBND xã" in page  # the filed dossier's state
    assert f"{timezone.localdate():%d/%m/%Y}" in page  # the reminder's date
    assert "chưa gửi" in page  # the filed one's reminder was not sent
    assert 'data-stage="window_open">Trong thời hạn nộp hồ sơ đánh giá lại <span class="w-status">2' in page


def test_an_unknown_stage_is_refused_with_a_reason(ctx):
    response = client_for(ctx.office).get(LIST, {"stage": "x' or 1=1"})
    assert response.status_code == 400
    assert "Giai đoạn không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("official", 200),
        ("office", 200),
        ("approver", 200),
        ("superuser", 200),
        ("owner", 403),
        ("officer", 403),
        ("member", 403),
        ("consumer", 302),
        ("anonymous", 302),
    ],
)
def test_who_sees_the_lists(ctx, role, status):
    users = {
        "official": ctx.tree.official,
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
        "anonymous": None,
    }
    user = users[role] if role in users else getattr(ctx, role)
    response = client_for(user).get(LIST, {"stage": "lapsed"})
    assert response.status_code == status
    if status == 403:
        assert "Chỉ cán bộ OCOP" in response.content.decode()
    assert (str(ctx.historic.decision_number) in response.content.decode()) == (status == 200)
    home = client_for(user).get("/admin/")
    if user is not None and home.status_code == 200:
        assert (LIST in home.content.decode()) == (status == 200)  # the menu item and the counts panel


# --- the producer's home ------------------------------------------------------------------


def test_the_producer_home_shows_its_own_certificates_and_the_link(ctx):
    other = certificate(
        factories.register_product(ctx.tree.producer_b.producer, name="Sản phẩm chủ thể khác"),
        expires_in=125,
        day0=ctx.day0,
    )
    page = client_for(ctx.owner).get("/admin/").content.decode()
    shown = {int(part.split('"')[1]) for part in page.split("data-certificate=")[1:]}
    assert other.pk not in shown and ctx.tree.certificate_b.pk not in shown
    assert {ctx.closing.pk, ctx.filed.pk, ctx.expiring.pk, ctx.lapsing.pk, ctx.renewal.pk} <= shown
    assert ctx.superseded.pk not in shown
    row = page.split(f'data-certificate="{ctx.closing.pk}"')[1].split("</tr>")[0]
    assert "Trong thời hạn nộp hồ sơ đánh giá lại" in row
    assert f"?product={ctx.closing.product_id}&amp;kind=reevaluation" in row and "Lập hồ sơ đánh giá lại" in row
    row = page.split(f'data-certificate="{ctx.filed.pk}"')[1].split("</tr>")[0]
    assert reverse("evaluation:detail", args=[ctx.dossier.pk]) in row and "Lập hồ sơ" not in row
    row = page.split(f'data-certificate="{ctx.renewal.pk}"')[1].split("</tr>")[0]
    assert "Còn hiệu lực" in row and "Lập hồ sơ" not in row
    row = page.split(f'data-certificate="{ctx.historic.pk}"')[1].split("</tr>")[0]
    assert "Đã hết hạn" in row and "Lập hồ sơ" not in row


def test_the_start_link_preselects_only_the_producers_own_product(ctx):
    client = client_for(ctx.owner)
    page = client.get("/admin/ho-so/moi/", {"product": ctx.closing.product_id, "kind": "reevaluation"})
    html = page.content.decode()
    assert f'<option value="{ctx.closing.product_id}" selected>' in html
    assert '<option value="reevaluation" selected>' in html
    theirs = ctx.tree.product_b.register_product
    html = client.get("/admin/ho-so/moi/", {"product": theirs.pk, "kind": "reevaluation"}).content.decode()
    assert f'value="{theirs.pk}"' not in html  # neither offered nor chosen
    assert '<option value="" selected>' in html and '<option value="reevaluation" selected>' in html
    response = client.get("/admin/ho-so/moi/", {"product": "abc", "kind": "<script>"})
    html = response.content.decode()
    assert response.status_code == 200 and html.count(" selected>") == 1  # the empty product choice
    # Following the link: the re-evaluation starts, linked to the certificate.
    response = client.post("/admin/ho-so/moi/", {"product": ctx.closing.product_id, "kind": "reevaluation"})
    assert response.status_code == 302
    assert ctx.closing.renewals.get().kind == Kind.REEVALUATION


def test_the_officials_home_counts_the_stages(ctx):
    page = client_for(ctx.tree.official).get("/admin/").content.decode()
    assert "Chứng nhận cần theo dõi" in page
    assert f'href="{LIST}?stage=window_missed"' in page


def test_a_dossier_without_the_link_counts_from_the_windows_first_day(ctx):
    """A re-evaluation dossier entered without previous_certificate is the certificate's when
    it was submitted on or after the window's first day (checked in SQL and in Python)."""
    opens = ctx.filed.expiry_date - days(180)
    after_window = ctx.day0 + days(6)
    for submitted_on, filed in ((opens - days(1), False), (opens, True)):
        type(ctx.dossier).objects.filter(pk=ctx.dossier.pk).update(previous_certificate=None, submitted_on=submitted_on)
        row = stages.annotate(Certificate.objects.filter(pk=ctx.filed.pk), after_window).get()
        assert row.reevaluation_filed is filed
        expected = Stage.VALID if filed else Stage.WINDOW_MISSED
        assert row.stage == stages.stage(ctx.filed, after_window) == expected
