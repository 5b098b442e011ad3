"""Builders for the evaluation tests: the people of every role, a round with a seated
council, a register product without a page, and a dossier driven to any state through the
workflow functions themselves (no row is written behind the workflow's back)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from catalog.models import Commune
from catalog.rulebook import RuleSet
from cms import roles
from cms.evaluation import access, scoring, workflow
from cms.evaluation.models import CommuneOfficer, CouncilSeat, Round, State
from tests import factories

ASSESSMENT = {
    "commune_raw_materials": "Điều thu mua tại xã",
    "commune_labour": "12 lao động địa phương",
    "commune_idea": "Ý tưởng của hợp tác xã",
    "commune_identity": "Nghề rang điều truyền thống",
}


class People:
    """Handles to the site, the accounts of every role and the round."""


def _user(group_name=None, **fields):
    user = factories.UserFactory(**fields)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def build(tree):
    """Roles, communes and a round on top of the `tree` fixture (rules must be loaded)."""
    access.ensure_role_groups()
    ctx = People()
    ctx.tree = tree
    ctx.today = timezone.localdate()
    ctx.rule_set = RuleSet.objects.get(code="26-2026")
    communes = list(Commune.objects.filter(province__code="68").order_by("code")[:2])
    ctx.commune, ctx.other_commune = communes
    ctx.producer = tree.producer_a.producer
    ctx.producer.refresh_from_db()
    ctx.producer.commune = ctx.commune
    ctx.producer.representative = "Nguyễn Văn An"
    ctx.producer.address = "Thôn 1"
    ctx.producer.phone = "0912345678"
    ctx.producer.email = "htx@example.vn"
    ctx.producer.save()
    other = tree.producer_b.producer
    other.commune = ctx.other_commune
    other.save()
    # A register product without a page, scored on sheet 7 (processed fruit and nuts).
    ctx.product = factories.register_product(ctx.producer, name="Hạt điều rang muối", scoring_set=7)
    ctx.owner = tree.producer_user_a
    ctx.other_producer = tree.producer_user_b
    ctx.consumer = tree.consumer
    ctx.officer = _user(access.COMMUNE_OFFICERS)
    CommuneOfficer.objects.create(user=ctx.officer, commune=ctx.commune)
    ctx.other_officer = _user(access.COMMUNE_OFFICERS)
    CommuneOfficer.objects.create(user=ctx.other_officer, commune=ctx.other_commune)
    ctx.office = _user(access.OCOP_OFFICE)
    ctx.approver = _user(access.APPROVERS)
    ctx.members = [_user(access.COUNCIL, first_name=f"Thành viên {n}") for n in range(3)]
    ctx.member = ctx.members[0]
    ctx.unseated = _user(access.COUNCIL)
    ctx.round = Round.objects.create(
        name="Đợt 2/2026",
        rule_set=ctx.rule_set,
        proposals_by=ctx.today + datetime.timedelta(days=30),
        decide_by=ctx.today + datetime.timedelta(days=29 + 30),
    )
    for n, member in enumerate(ctx.members):
        CouncilSeat.objects.create(round=ctx.round, member=member, role="chair" if n == 0 else "member")
    return ctx


def add_producer_account(producer):
    user = factories.UserFactory()
    roles.add_producer_account(producer, user)
    return user


# --- choosing options -------------------------------------------------------------------


def answerable(criteria):
    return [c for c in criteria if c.options.all()]


def best(criteria):
    return {c.pk: max(c.options.all(), key=lambda o: (o.points, o.sort_order)) for c in answerable(criteria)}


def worst(criteria):
    return {c.pk: min(c.options.all(), key=lambda o: (o.points, o.sort_order)) for c in answerable(criteria)}


def total(answers):
    return sum((o.points for o in answers.values()), Decimal(0))


def lowered(criteria, below, keep=None):
    """Start from the best options and lower criteria one by one until the total is below
    `below`; criteria carrying a minimum mark keep what `keep`★ requires (None: any)."""
    answers = best(criteria)
    for criterion in answerable(criteria):
        if total(answers) < below:
            break
        needed = scoring.required_points(criterion, keep) if keep else None
        floor = [o for o in criterion.options.all() if needed is None or o.points >= needed]
        answers[criterion.pk] = min(floor, key=lambda o: o.points)
    return answers


def for_stars(criteria, stars):
    """A member's sheet the council ranks `stars` (when every member ticks it)."""
    if stars == 5:
        return best(criteria)
    if stars == 4:
        return lowered(criteria, 90, keep=4)
    if stars == 3:
        return lowered(criteria, 70, keep=3)
    return worst(criteria)


def average(values):
    values = list(values)
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- driving a dossier ------------------------------------------------------------------

PATH = (
    State.DRAFT,
    State.SUBMITTED,
    State.FORWARDED,
    State.ACCEPTED,
    State.SCORING,
    State.SCORED,
    State.DECIDED,
)


def dossier_in(ctx, state, stars=4, product=None, sheets=None, uploads=()):
    """A dossier of `product` (ctx.product) driven to `state`; the council's members all
    tick the sheet `for_stars(stars)` unless `sheets` gives one per member. `uploads` are
    attached as evidence while it is a draft."""
    from cms.evaluation import evidence

    product = product or ctx.product
    dossier = workflow.start(ctx.owner, product)
    criteria = list(dossier.sheet.criteria())
    workflow.save_answers(dossier, ctx.owner, best(criteria))
    for upload in uploads:
        evidence.attach(dossier, ctx.owner, upload)
    if state == State.DRAFT:
        return dossier
    dossier = workflow.submit(dossier, ctx.owner)
    if state == State.RETURNED:
        return workflow.return_to_producer(dossier, ctx.officer, comment="Thiếu bản sao giấy phép")
    if state == State.SUBMITTED:
        return dossier
    dossier = workflow.forward(dossier, ctx.officer, assessment=ASSESSMENT)
    if state == State.DOCUMENTS_REQUESTED:
        return workflow.request_documents(dossier, ctx.office, comment="Bổ sung phiếu kiểm nghiệm")
    if state == State.FORWARDED:
        return dossier
    dossier = workflow.accept(dossier, ctx.office, round=ctx.round)
    if state == State.ACCEPTED:
        return dossier
    dossier = workflow.open_scoring(dossier, ctx.office)
    if state == State.SCORING:
        return dossier
    sheets = sheets or [for_stars(criteria, 5 if state == State.PROPOSED else stars)] * len(ctx.members)
    for member, answers in zip(ctx.members, sheets, strict=True):
        workflow.save_score(dossier, member, answers, submit=True)
    dossier.refresh_from_db()
    if state in (State.SCORED,):
        return dossier
    dossier = workflow.decide(dossier, ctx.approver, number=f"{dossier.pk}/QĐ-UBND", decided_on=ctx.today)
    assert dossier.state == state, (dossier.state, state)
    return dossier
