"""The dossier's path through the workflow functions (cms/evaluation/workflow.py) with real
accounts in their roles: every allowed step is recorded (who, from, to), every refused one
raises StepRefused and changes nothing, due dates, the decision and its certificate, the
ministry's outcome, the re-evaluation window, and a failed decision leaving nothing behind."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.forms.models import model_to_dict

from catalog.models import Certificate, Producer
from catalog.rulebook import RuleSet
from catalog.rules import add_months
from cms.evaluation import workflow
from cms.evaluation.calendar import add_working_days
from cms.evaluation.models import DossierEvent, Kind, MemberAnswer, MemberScore, Outcome, Round, State
from cms.models import ProductPage
from tests import evaluation, factories
from tests.evaluation import ASSESSMENT

pytestmark = pytest.mark.django_db

StepRefused = workflow.StepRefused
ROLES = ("owner", "other_producer", "officer", "other_officer", "office", "member", "unseated", "approver", "consumer")


@pytest.fixture
def ctx(rulebook, tree):
    return evaluation.build(tree)


def frozen(dossier):
    """Everything about the dossier a refused step must leave as it was."""
    dossier.refresh_from_db()
    return (
        model_to_dict(dossier),
        list(dossier.events.values_list("pk", flat=True)),
        sorted(dossier.answers.values_list("criterion_id", "option_id")),
        sorted(
            MemberAnswer.objects.filter(score__dossier=dossier).values_list("score_id", "criterion_id", "option_id")
        ),
        sorted(MemberScore.objects.filter(dossier=dossier).values_list("pk", "submitted_at")),
        Certificate.objects.count(),
    )


def step_arguments(ctx):
    """Valid input for every step, so a refusal comes from the role or the state."""
    return {
        "submit": {},
        "return": {"comment": "Thiếu giấy tờ"},
        "forward": {"assessment": ASSESSMENT},
        "request_documents": {"comment": "Bổ sung phiếu kiểm nghiệm"},
        "provide_documents": {},
        "accept": {"round": ctx.round},
        "record_visit": {"visited_on": ctx.today, "notes": "Cơ sở sạch sẽ"},
        "open_scoring": {},
        "decide": {"number": "99/QĐ-UBND", "decided_on": ctx.today},
        "record_ministry": {"number": "98/QĐ-BNNMT", "decided_on": ctx.today, "stars": 5},
    }


STEP_FUNCTIONS = {
    "submit": workflow.submit,
    "return": workflow.return_to_producer,
    "forward": workflow.forward,
    "request_documents": workflow.request_documents,
    "provide_documents": workflow.provide_documents,
    "accept": workflow.accept,
    "record_visit": workflow.record_visit,
    "open_scoring": workflow.open_scoring,
    "decide": workflow.decide,
    "record_ministry": workflow.record_ministry,
}

# Who takes each step, and from which states (issue 11, part 3).
ALLOWED = {
    "submit": ("owner", {State.DRAFT, State.RETURNED}),
    "return": ("officer", {State.SUBMITTED}),
    "forward": ("officer", {State.SUBMITTED}),
    "request_documents": ("office", {State.FORWARDED, State.ACCEPTED}),
    "provide_documents": ("owner", {State.DOCUMENTS_REQUESTED}),
    "accept": ("office", {State.FORWARDED}),
    "record_visit": ("office", {State.ACCEPTED}),
    "open_scoring": ("office", {State.ACCEPTED}),
    "decide": ("approver", {State.SCORED}),
    "record_ministry": ("approver", {State.PROPOSED}),
}


def assert_refused_everywhere_else(ctx, dossier):
    """Every step by every role that may not take it now raises StepRefused, changing nothing;
    the council's and the producer's own functions too."""
    arguments = step_arguments(ctx)
    before = frozen(dossier)
    tried = 0
    for action, function in STEP_FUNCTIONS.items():
        role, states = ALLOWED[action]
        for name in ROLES:
            if name == role and dossier.state in states:
                continue
            with pytest.raises(StepRefused):
                function(dossier, getattr(ctx, name), **arguments[action])
            tried += 1
    criteria = list(dossier.sheet.criteria())
    for name in ROLES:
        if not (name == "owner" and dossier.state in (State.DRAFT, State.RETURNED)):
            with pytest.raises(StepRefused):
                workflow.save_answers(dossier, getattr(ctx, name), evaluation.worst(criteria))
        if not (name == "member" and dossier.state == State.SCORING):
            with pytest.raises(StepRefused):
                workflow.save_score(dossier, getattr(ctx, name), evaluation.worst(criteria), submit=True)
    assert frozen(dossier) == before
    return tried


def take(function, dossier, user, to_state, **arguments):
    """Take an allowed step and check what it recorded."""
    events = dossier.events.count()
    from_state = dossier.state
    dossier = function(dossier, user, **arguments)
    dossier.refresh_from_db()
    assert dossier.state == to_state
    assert dossier.events.count() == events + 1
    event = dossier.events.last()
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        user,
        function.action,
        from_state,
        to_state,
    )
    assert event.comment == arguments.get("comment", "")
    return dossier


def test_the_whole_path_to_a_4_star_certificate(ctx, django_capture_on_commit_callbacks):
    today = ctx.today
    dossier = workflow.start(ctx.owner, ctx.product)
    assert (dossier.state, dossier.rule_set, dossier.sheet.number) == (State.DRAFT, ctx.rule_set, 7)
    assert (dossier.unit_name, dossier.representative, dossier.product_name) == (
        ctx.producer.name,
        "Nguyễn Văn An",
        "Hạt điều rang muối",
    )
    start = dossier.events.get()
    assert (start.actor, start.action, start.from_state, start.to_state) == (ctx.owner, "start", "draft", "draft")
    with pytest.raises(StepRefused):
        workflow.start(ctx.owner, ctx.product)  # one dossier in progress per product
    with pytest.raises(StepRefused):
        workflow.start(ctx.other_producer, ctx.product)
    assert_refused_everywhere_else(ctx, dossier)

    criteria = list(dossier.sheet.criteria())
    with pytest.raises(StepRefused):
        workflow.submit(dossier, ctx.owner)  # nothing answered yet
    assert dossier.events.count() == 1
    workflow.save_answers(dossier, ctx.owner, evaluation.best(criteria))
    assert dossier.answers.count() == len(evaluation.answerable(criteria))

    dossier = take(workflow.submit, dossier, ctx.owner, State.SUBMITTED)
    assert dossier.submitted_on == today
    assert dossier.due_on == add_working_days(today, 15)  # the commune's 15 working days
    assert_refused_everywhere_else(ctx, dossier)

    with pytest.raises(StepRefused):
        workflow.return_to_producer(dossier, ctx.officer, comment="  ")  # reasons required
    with django_capture_on_commit_callbacks(execute=True):
        dossier = take(workflow.return_to_producer, dossier, ctx.officer, State.RETURNED, comment="Thiếu giấy phép")
    assert dossier.due_on is None
    assert len(mail.outbox) == 1
    assert ctx.owner.email in mail.outbox[0].to
    assert "Thiếu giấy phép" in mail.outbox[0].body
    assert_refused_everywhere_else(ctx, dossier)
    workflow.save_answers(dossier, ctx.owner, evaluation.best(criteria))  # editable again

    dossier = take(workflow.submit, dossier, ctx.owner, State.SUBMITTED)
    assert dossier.submitted_on == today
    with pytest.raises(StepRefused):
        workflow.forward(dossier, ctx.officer, assessment={**ASSESSMENT, "commune_idea": " "})  # Mẫu 03 incomplete
    dossier = take(workflow.forward, dossier, ctx.officer, State.FORWARDED, assessment=ASSESSMENT)
    assert dossier.commune_labour == ASSESSMENT["commune_labour"]
    assert dossier.complete_on == today
    assert dossier.due_on == add_working_days(today, ctx.rule_set.office_days)
    assert_refused_everywhere_else(ctx, dossier)

    with django_capture_on_commit_callbacks(execute=True):
        dossier = take(
            workflow.request_documents, dossier, ctx.office, State.DOCUMENTS_REQUESTED, comment="Phiếu kiểm nghiệm"
        )
    assert len(mail.outbox) == 2
    assert_refused_everywhere_else(ctx, dossier)
    dossier = take(workflow.provide_documents, dossier, ctx.owner, State.FORWARDED)

    with pytest.raises(StepRefused):
        workflow.accept(dossier, ctx.office)  # no round
    dossier = take(workflow.accept, dossier, ctx.office, State.ACCEPTED, round=ctx.round)
    assert dossier.round == ctx.round
    assert dossier.due_on == ctx.round.decide_by
    assert_refused_everywhere_else(ctx, dossier)
    with pytest.raises(StepRefused):
        workflow.record_visit(dossier, ctx.office, visited_on=today + datetime.timedelta(days=1), notes="x")
    dossier = take(workflow.record_visit, dossier, ctx.office, State.ACCEPTED, visited_on=today, notes="Đạt yêu cầu")
    assert dossier.site_visit_on == today

    dossier = take(workflow.open_scoring, dossier, ctx.office, State.SCORING)
    assert_refused_everywhere_else(ctx, dossier)

    # Three members score independently; two tick the 4★ sheet, one a slightly lower one.
    high = evaluation.for_stars(criteria, 4)
    low = dict(high)
    plain = next(
        c
        for c in evaluation.answerable(criteria)
        if not any(o.min_stars for o in c.options.all()) and high[c.pk].points > min(o.points for o in c.options.all())
    )
    low[plain.pk] = min(plain.options.all(), key=lambda o: o.points)
    sheets = [high, high, low]
    assert evaluation.total(low) < evaluation.total(high)
    for n, (member, answers) in enumerate(zip(ctx.members, sheets, strict=True)):
        events = dossier.events.count()
        workflow.save_score(dossier, member, answers, opinion="Đạt")
        assert dossier.events.count() == events  # a draft sheet records nothing
        workflow.save_score(dossier, member, answers, submit=True)
        dossier.refresh_from_db()
        if n < 2:
            assert dossier.state == State.SCORING
            assert dossier.events.count() == events + 1
            assert dossier.events.last().action == "score"
            assert dossier.events.last().actor == member
    assert dossier.state == State.SCORED
    scored = dossier.events.last()
    assert (scored.action, scored.from_state, scored.to_state, scored.actor) == (
        "scored",
        "scoring",
        "scored",
        ctx.members[2],
    )

    def part_total(answers, part):
        return sum((answers[c.pk].points for c in evaluation.answerable(criteria) if c.part == part), Decimal(0))

    parts = {part: evaluation.average(part_total(s, part) for s in sheets) for part in "abc"}
    assert (dossier.score_a, dossier.score_b, dossier.score_c) == (parts["a"], parts["b"], parts["c"])
    assert dossier.score == evaluation.average(evaluation.total(s) for s in sheets)
    assert 70 <= dossier.score < 90
    assert dossier.result_stars == 4
    assert_refused_everywhere_else(ctx, dossier)

    with pytest.raises(StepRefused):
        workflow.decide(dossier, ctx.approver, number="", decided_on=today)
    with pytest.raises(StepRefused):
        workflow.decide(dossier, ctx.approver, number="1/QĐ", decided_on=today + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = take(workflow.decide, dossier, ctx.approver, State.DECIDED, number="120/QĐ-UBND", decided_on=today)
    assert "120/QĐ-UBND" in mail.outbox[-1].body

    certificate = dossier.certificate
    assert certificate.product == ctx.product
    assert certificate.rule_version == ctx.rule_set
    assert (certificate.level, certificate.stars) == ("province", 4)
    assert (certificate.decision_number, certificate.decision_date, certificate.issue_date) == (
        "120/QĐ-UBND",
        today,
        today,
    )
    assert certificate.expiry_date == add_months(today, 36)
    assert (certificate.score_a, certificate.score_b, certificate.score_c) == (parts["a"], parts["b"], parts["c"])
    assert certificate.score == dossier.score
    assert dossier.outcome == Outcome.CERTIFIED
    assert dossier.due_on is None
    # The product had no page: a draft one under its producer's page, owned by its account.
    page = ProductPage.objects.get(register_product=ctx.product)
    assert page.live is False
    assert page.get_parent().specific == ctx.tree.producer_a
    assert ctx.producer.has_member(page.owner)
    assert page.title == "Hạt điều rang muối"
    assert_refused_everywhere_else(ctx, dossier)
    with pytest.raises(StepRefused):
        workflow.save_answers(dossier, ctx.owner, evaluation.best(criteria))  # nobody edits a decided dossier


def test_a_product_with_a_page_keeps_it(ctx):
    product = ctx.tree.product_a.register_product
    product.scoring_set = 7
    product.save()
    pages = ProductPage.objects.count()
    dossier = evaluation.dossier_in(ctx, State.DECIDED, stars=3, product=product)
    assert dossier.outcome == Outcome.CERTIFIED
    assert dossier.certificate.stars == 3
    assert ProductPage.objects.count() == pages


def test_no_draft_page_without_a_producer_page(ctx):
    producer = Producer.objects.create(
        name="HTX Không Trang",
        slug="htx-khong-trang",
        legal_form="cooperative",
        province=ctx.producer.province,
        commune=ctx.commune,
        representative="Trần B",
        address="Thôn 2",
        phone="0900000000",
        email="b@example.vn",
    )
    ctx.owner = evaluation.add_producer_account(producer)
    product = factories.register_product(producer, scoring_set=7)
    dossier = evaluation.dossier_in(ctx, State.DECIDED, product=product)
    assert dossier.certificate.stars == 4
    assert not ProductPage.objects.filter(register_product=product).exists()


def test_90_points_is_proposed_then_the_ministry_recognises_5_stars(ctx):
    dossier = evaluation.dossier_in(ctx, State.SCORED, stars=5)
    assert dossier.score >= 90
    assert dossier.result_stars == 5
    certificates = Certificate.objects.count()
    dossier = take(workflow.decide, dossier, ctx.approver, State.PROPOSED, number="130/QĐ-UBND", decided_on=ctx.today)
    assert dossier.certificate is None
    assert Certificate.objects.count() == certificates
    assert_refused_everywhere_else(ctx, dossier)
    with pytest.raises(StepRefused):
        workflow.record_ministry(dossier, ctx.approver, number="5/QĐ-BNNMT", decided_on=ctx.today, stars=2)
    dossier = take(
        workflow.record_ministry,
        dossier,
        ctx.approver,
        State.DECIDED,
        number="5/QĐ-BNNMT",
        decided_on=ctx.today,
        stars=5,
    )
    certificate = dossier.certificate
    assert (certificate.level, certificate.stars) == ("ministry", 5)
    assert certificate.issuer == ctx.rule_set.level_for(5).authority
    assert dossier.outcome == Outcome.CERTIFIED


def test_the_ministry_can_send_back_4_stars(ctx):
    dossier = evaluation.dossier_in(ctx, State.PROPOSED)
    dossier = workflow.record_ministry(dossier, ctx.approver, number="6/QĐ-BNNMT", decided_on=ctx.today, stars=4)
    assert dossier.state == State.DECIDED
    assert (dossier.certificate.level, dossier.certificate.stars) == ("province", 4)


def test_below_3_stars_is_decided_without_a_certificate(ctx):
    dossier = evaluation.dossier_in(ctx, State.SCORED, stars=1)
    assert dossier.score < 50
    certificates = Certificate.objects.count()
    dossier = take(workflow.decide, dossier, ctx.approver, State.DECIDED, number="140/QĐ-UBND", decided_on=ctx.today)
    assert dossier.outcome == Outcome.NOT_RANKED
    assert dossier.certificate is None
    assert Certificate.objects.count() == certificates
    assert not ProductPage.objects.filter(register_product=ctx.product).exists()
    # A new dossier may be started once the last one is decided.
    assert workflow.start(ctx.owner, ctx.product).state == State.DRAFT


def test_a_knock_out_by_two_of_three_members_excludes(ctx):
    dossier = evaluation.dossier_in(ctx, State.SCORING)
    answers = evaluation.for_stars(list(dossier.sheet.criteria()), 4)
    for member, note in zip(ctx.members, ("Vi phạm sở hữu trí tuệ", "Vi phạm sở hữu trí tuệ", ""), strict=True):
        workflow.save_score(dossier, member, answers, knockouts=note, submit=True)
    dossier.refresh_from_db()
    assert dossier.state == State.SCORED
    assert dossier.result_stars == 0
    assert "Vi phạm sở hữu trí tuệ" in dossier.knocked_out
    dossier = workflow.decide(dossier, ctx.approver, number="150/QĐ-UBND", decided_on=ctx.today)
    assert dossier.outcome == Outcome.EXCLUDED
    assert dossier.certificate is None


def test_a_missed_minimum_holds_a_4_star_total_at_3(ctx):
    dossier = evaluation.dossier_in(ctx, State.SCORING)
    criteria = list(dossier.sheet.criteria())
    answers = evaluation.for_stars(criteria, 4)
    marked = next(c for c in evaluation.answerable(criteria) if any(o.min_stars == 4 for o in c.options.all()))
    answers[marked.pk] = min(marked.options.all(), key=lambda o: o.points)
    assert 70 <= evaluation.total(answers) < 90
    for member in ctx.members:
        workflow.save_score(dossier, member, answers, submit=True)
    dossier.refresh_from_db()
    assert dossier.result_stars < 4
    assert marked.code in dossier.held_back
    dossier = workflow.decide(dossier, ctx.approver, number="160/QĐ-UBND", decided_on=ctx.today)
    assert dossier.certificate.stars == dossier.result_stars


def test_a_failed_decision_leaves_nothing_half_written(ctx):
    """The decision's certificate is refused inside the step's transaction (the product
    already has a certificate with that decision number): no certificate, no page, no event,
    the dossier still scored."""
    dossier = evaluation.dossier_in(ctx, State.SCORED)
    factories.certificate(ctx.product, decision_number="170/QĐ-UBND", age_days=400)
    certificates = Certificate.objects.count()
    pages = ProductPage.objects.count()
    before = frozen(dossier)
    with pytest.raises(StepRefused):
        workflow.decide(dossier, ctx.approver, number="170/QĐ-UBND", decided_on=ctx.today)
    assert frozen(dossier) == before
    dossier.refresh_from_db()
    assert dossier.state == State.SCORED
    assert dossier.decision_number == ""
    assert dossier.certificate is None
    assert Certificate.objects.count() == certificates
    assert ProductPage.objects.count() == pages
    # With another number it goes through.
    dossier = workflow.decide(dossier, ctx.approver, number="171/QĐ-UBND", decided_on=ctx.today)
    assert dossier.certificate.decision_number == "171/QĐ-UBND"


def test_a_member_submits_once_and_only_their_own_sheet(ctx):
    dossier = evaluation.dossier_in(ctx, State.SCORING)
    criteria = list(dossier.sheet.criteria())
    first, second = ctx.members[0], ctx.members[1]
    workflow.save_score(dossier, second, evaluation.worst(criteria), opinion="Nháp")
    theirs = MemberScore.objects.get(dossier=dossier, member=second)
    their_answers = sorted(theirs.answers.values_list("criterion_id", "option_id"))

    with pytest.raises(StepRefused):
        workflow.save_score(dossier, first, {}, submit=True)  # unanswered
    workflow.save_score(dossier, first, evaluation.best(criteria), submit=True)
    events = dossier.events.count()
    with pytest.raises(StepRefused):
        workflow.save_score(dossier, first, evaluation.worst(criteria), submit=True)
    with pytest.raises(StepRefused):
        workflow.save_score(dossier, first, evaluation.worst(criteria))  # not even as a draft
    mine = MemberScore.objects.get(dossier=dossier, member=first)
    assert sorted(mine.answers.values_list("option_id", flat=True)) == sorted(
        o.pk for o in evaluation.best(criteria).values()
    )
    assert dossier.events.count() == events
    # The other member's draft is untouched, and an outsider cannot write one.
    theirs.refresh_from_db()
    assert theirs.submitted_at is None
    assert sorted(theirs.answers.values_list("criterion_id", "option_id")) == their_answers
    with pytest.raises(StepRefused):
        workflow.save_score(dossier, ctx.unseated, evaluation.best(criteria), submit=True)
    assert not MemberScore.objects.filter(dossier=dossier, member=ctx.unseated).exists()
    # An option of another sheet is refused.
    other_sheet = ctx.rule_set.sheets.get(number=1)
    foreign = evaluation.best(list(other_sheet.criteria()))
    with pytest.raises(StepRefused):
        workflow.save_score(dossier, second, foreign)


def reevaluation_dossier(ctx, expires_in_days):
    factories.certificate(
        ctx.product,
        age_days=1000,
        expiry_date=ctx.today + datetime.timedelta(days=expires_in_days),
        rule_version=ctx.rule_set,
    )
    dossier = workflow.start(ctx.owner, ctx.product, kind=Kind.REEVALUATION)
    workflow.save_answers(dossier, ctx.owner, evaluation.best(list(dossier.sheet.criteria())))
    return dossier


@pytest.mark.parametrize(
    "expires_in_days, filed",
    [
        (181, False),  # the window opens tomorrow
        (180, True),
        (150, True),
        (120, True),
        (119, False),  # closed yesterday
        (30, False),
    ],
)
def test_a_reevaluation_is_filed_180_to_120_days_before_expiry(ctx, expires_in_days, filed):
    dossier = reevaluation_dossier(ctx, expires_in_days)
    assert dossier.previous_certificate.expiry_date == ctx.today + datetime.timedelta(days=expires_in_days)
    if filed:
        dossier = take(workflow.submit, dossier, ctx.owner, State.SUBMITTED)
    else:
        before = frozen(dossier)
        with pytest.raises(StepRefused, match="120"):
            workflow.submit(dossier, ctx.owner)
        assert frozen(dossier) == before


def test_a_reevaluation_needs_a_certificate_in_force(ctx):
    with pytest.raises(StepRefused):
        workflow.start(ctx.owner, ctx.product, kind=Kind.REEVALUATION)


def test_a_reevaluation_is_decided_within_45_days_on_written_opinions(ctx):
    dossier = reevaluation_dossier(ctx, 150)
    dossier = workflow.submit(dossier, ctx.owner)
    dossier = workflow.forward(dossier, ctx.officer, assessment=ASSESSMENT)
    assert dossier.due_on == ctx.today + datetime.timedelta(days=45)
    dossier = workflow.accept(dossier, ctx.office, round=ctx.round)
    assert dossier.due_on == min(ctx.round.decide_by, ctx.today + datetime.timedelta(days=45))
    dossier = workflow.open_scoring(dossier, ctx.office)
    answers = evaluation.for_stars(list(dossier.sheet.criteria()), 4)
    with pytest.raises(StepRefused):
        workflow.save_score(dossier, ctx.members[0], answers, submit=True)  # no written opinion
    for member in ctx.members:
        workflow.save_score(dossier, member, answers, opinion="Giữ hạng 4 sao", submit=True)
    dossier.refresh_from_db()
    assert dossier.state == State.SCORED


def test_the_commune_and_office_steps_need_their_input(ctx):
    dossier = evaluation.dossier_in(ctx, State.FORWARDED)
    before = frozen(dossier)
    with pytest.raises(StepRefused):
        workflow.request_documents(dossier, ctx.office, comment="")
    past = Round.objects.create(
        name="Đợt cũ",
        rule_set=ctx.rule_set,
        proposals_by=ctx.today - datetime.timedelta(days=60),
        decide_by=ctx.today - datetime.timedelta(days=1),
    )
    with pytest.raises(StepRefused):
        workflow.accept(dossier, ctx.office, round=past)
    old_rules = Round.objects.create(
        name="Đợt theo QĐ 148",
        rule_set=RuleSet.objects.get(code="148-2023"),
        proposals_by=ctx.today + datetime.timedelta(days=10),
        decide_by=ctx.today + datetime.timedelta(days=40),
    )
    with pytest.raises(StepRefused):
        workflow.accept(dossier, ctx.office, round=old_rules)
    assert frozen(dossier) == before


def test_scoring_needs_a_seated_council(ctx):
    dossier = evaluation.dossier_in(ctx, State.ACCEPTED)
    ctx.round.seats.all().delete()
    with pytest.raises(StepRefused):
        workflow.open_scoring(dossier, ctx.office)
    dossier.refresh_from_db()
    assert dossier.state == State.ACCEPTED
    assert DossierEvent.objects.filter(dossier=dossier, action="open_scoring").count() == 0
