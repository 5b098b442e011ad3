"""The dossier's path: every step a recorded state change with its role and due date.

    draft ─submit→ submitted (commune, ≤ RuleSet.commune_days working days)
    submitted ─return→ returned ─submit→ submitted            (reasons required)
    submitted ─forward→ forwarded (office; Mẫu 03 required)
    forwarded/accepted ─request_documents→ documents ─provide_documents→ forwarded
    forwarded ─accept→ accepted (into an open round) ─record_visit→ accepted
    accepted ─open_scoring→ scoring ─(last member submits)→ scored
    scored ─decide→ decided (certificate for 3★/4★) or proposed (≥ 90: the ministry)
    proposed ─record_ministry→ decided

Each function locks the dossier row, checks the role (access.py) and the state, applies
the change and records a DossierEvent, in one transaction: a crash leaves the dossier as
it was. Messages to the producer go out after the commit (notify.py). Bad input raises
StepRefused with a message for the user.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import rules
from catalog.models import Certificate
from catalog.rulebook import GroupSheet, points
from cms.evaluation import access, notify, scoring
from cms.evaluation.calendar import add_working_days
from cms.evaluation.models import Answer, Dossier, DossierEvent, Kind, MemberAnswer, MemberScore, Outcome, State
from cms.evaluation.pages import ensure_draft_page


class StepRefused(Exception):
    """The step cannot be taken: the message says why, for the user."""


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str
    role: str
    label: str


TRANSITIONS = {
    "submit": Transition((State.DRAFT, State.RETURNED), State.SUBMITTED, "producer", gettext_lazy("Submit")),
    "return": Transition((State.SUBMITTED,), State.RETURNED, "commune", gettext_lazy("Return to the producer")),
    "forward": Transition((State.SUBMITTED,), State.FORWARDED, "commune", gettext_lazy("Forward to the province")),
    "request_documents": Transition(
        (State.FORWARDED, State.ACCEPTED), State.DOCUMENTS_REQUESTED, "office", gettext_lazy("Ask for documents")
    ),
    "provide_documents": Transition(
        (State.DOCUMENTS_REQUESTED,), State.FORWARDED, "producer", gettext_lazy("Send the documents")
    ),
    "accept": Transition((State.FORWARDED,), State.ACCEPTED, "office", gettext_lazy("Accept into a round")),
    "record_visit": Transition((State.ACCEPTED,), State.ACCEPTED, "office", gettext_lazy("Record the site visit")),
    "open_scoring": Transition((State.ACCEPTED,), State.SCORING, "office", gettext_lazy("Open council scoring")),
    "decide": Transition((State.SCORED,), State.DECIDED, "approver", gettext_lazy("Record the decision")),
    "record_ministry": Transition(
        (State.PROPOSED,), State.DECIDED, "approver", gettext_lazy("Record the ministry's outcome")
    ),
}


# What the history says of each recorded action.
ACTION_LABELS = {
    "start": gettext_lazy("Draft created"),
    "score": gettext_lazy("Score sheet submitted"),
    "scored": gettext_lazy("Council scoring complete"),
    **{action: transition.label for action, transition in TRANSITIONS.items()},
}


def allowed(user, action, dossier):
    transition = TRANSITIONS[action]
    return dossier.state in transition.sources and access.role_allows(user, transition.role, dossier)


def available(user, dossier):
    """The actions `user` may take on the dossier now, in the order above."""
    return [action for action in TRANSITIONS if allowed(user, action, dossier)]


def record(dossier, user, action, from_state, comment=""):
    return DossierEvent.objects.create(
        dossier=dossier, actor=user, action=action, from_state=from_state, to_state=dossier.state, comment=comment
    )


def _locked(dossier):
    return Dossier.objects.select_for_update().select_related("product__producer", "rule_set").get(pk=dossier.pk)


def step(action):
    """Decorator: lock, check role and state, run the step, save and record it."""

    def decorate(apply):
        def run(dossier, user, comment="", **data):
            with transaction.atomic():
                locked = _locked(dossier)
                if not allowed(user, action, locked):
                    raise StepRefused(_("This step is not open to you for a dossier in this state."))
                before = locked.state
                locked.state = TRANSITIONS[action].target
                apply(locked, user, comment=comment, **data)
                locked.save()
                record(locked, user, action, before, comment)
                notify.after_step(locked, action, comment)
            return locked

        run.action = action
        return run

    return decorate


def today():
    return timezone.localdate()


# --- the producer ---------------------------------------------------------------------


def sheet_for(product, rule_set):
    """The scoring sheet of `product` under `rule_set`: its own scoring set if given, else
    the usual sheet of its sub-group (catalog.GroupSheet)."""
    number = product.scoring_set
    if number is None:
        mapping = GroupSheet.objects.filter(group=product.group).order_by("position").first()
        number = mapping.number if mapping else None
    sheet = rule_set.sheets.filter(number=number).first() if number else None
    if sheet is None:
        raise StepRefused(_("No scoring sheet is set for this product's group under %(rules)s.") % {"rules": rule_set})
    return sheet


def start(user, product, kind=Kind.FIRST):
    """A new draft dossier for the producer's own product, Mẫu 01 filled from the register."""
    producer = product.producer
    if not producer.has_member(user):
        raise StepRefused(_("You can file dossiers only for your own products."))
    if product.dossiers.exclude(state=State.DECIDED).exists():
        raise StepRefused(_("This product already has a dossier in progress."))
    rule_set = rules.rule_set_on(today())
    previous = product.certificates.in_force().order_by("-decision_date").first()
    if kind != Kind.FIRST and previous is None:
        raise StepRefused(_("An upgrade or a re-evaluation needs a certificate in force."))
    with transaction.atomic():
        dossier = Dossier.objects.create(
            product=product,
            kind=kind,
            rule_set=rule_set,
            sheet=sheet_for(product, rule_set),
            previous_certificate=previous if kind != Kind.FIRST else None,
            unit_name=producer.name,
            representative=producer.representative,
            address=producer.address,
            phone=producer.phone,
            email=producer.email,
            product_name=product.name,
            created_by=user,
        )
        record(dossier, user, "start", State.DRAFT)
    return dossier


def save_answers(dossier, user, options):
    """The producer's self-assessment: `options` maps criterion id → Option of that criterion."""
    with transaction.atomic():
        dossier = _locked(dossier)
        if not access.can_edit(user, dossier):
            raise StepRefused(_("This dossier can no longer be changed."))
        valid = {c.pk: c for c in dossier.sheet.criteria()}
        for criterion_id, option in options.items():
            if criterion_id not in valid or option.criterion_id != criterion_id:
                raise StepRefused(_("An answer does not belong to this dossier's sheet."))
            Answer.objects.update_or_create(dossier=dossier, criterion_id=criterion_id, defaults={"option": option})
    return dossier


def unanswered(criteria, answers):
    """The criteria that still need an option. Criteria printed without options (e.g. 2.4
    on the 26/2026 sheets 1–22) cannot be answered and are not asked for."""
    answered = set(answers.values_list("criterion_id", flat=True))
    return [c for c in criteria if c.options.all() and c.pk not in answered]


@step("submit")
def submit(dossier, user, comment=""):
    filed = today()
    dossier.rule_set = rules.rule_set_for_dossier(
        filed_on=filed, reevaluation=dossier.kind == Kind.REEVALUATION, today=filed
    )
    if dossier.sheet.rule_set_id != dossier.rule_set_id:
        dossier.sheet = sheet_for(dossier.product, dossier.rule_set)
    missing = unanswered(dossier.sheet.criteria(), dossier.answers)
    if missing:
        raise StepRefused(_("Answer every criterion of the self-assessment first (%(n)d left).") % {"n": len(missing)})
    for field in ("unit_name", "representative", "address", "phone", "email", "product_name"):
        if not getattr(dossier, field):
            raise StepRefused(_("Fill in the registration form (Mẫu 01) first."))
    if dossier.kind == Kind.REEVALUATION:
        window = rules.reevaluation_window(dossier.previous_certificate.expiry_date, dossier.rule_set)
        if window and not window[0] <= filed <= window[1]:
            raise StepRefused(
                _("A re-evaluation is filed from %(start)s to %(end)s (180 to 120 days before expiry).")
                % {"start": window[0].strftime("%d/%m/%Y"), "end": window[1].strftime("%d/%m/%Y")}
            )
    dossier.submitted_on = dossier.submitted_on or filed
    days = dossier.rule_set.commune_days
    dossier.due_on = add_working_days(filed, days) if days else None


@step("return")
def return_to_producer(dossier, user, comment=""):
    if not comment.strip():
        raise StepRefused(_("Give the reasons for returning the dossier."))
    dossier.due_on = None


@step("forward")
def forward(dossier, user, comment="", assessment=None):
    assessment = assessment or {}
    for field in ("commune_raw_materials", "commune_labour", "commune_idea", "commune_identity"):
        value = (assessment.get(field) or "").strip()
        if not value:
            raise StepRefused(_("Complete the commune's assessment (Mẫu 03): all four items."))
        setattr(dossier, field, value)
    _complete(dossier)


def _complete(dossier):
    """The province has the dossier complete: its clock starts."""
    dossier.complete_on = today()
    rule_set = dossier.rule_set
    if dossier.kind == Kind.REEVALUATION and rule_set.reevaluation_decision_days:
        dossier.due_on = dossier.complete_on + datetime.timedelta(days=rule_set.reevaluation_decision_days)
    elif rule_set.office_days:
        dossier.due_on = add_working_days(dossier.complete_on, rule_set.office_days)


@step("request_documents")
def request_documents(dossier, user, comment=""):
    if not comment.strip():
        raise StepRefused(_("Say which documents are missing."))
    days = dossier.rule_set.office_days
    dossier.due_on = add_working_days(today(), days) if days else None


@step("provide_documents")
def provide_documents(dossier, user, comment=""):
    _complete(dossier)


@step("accept")
def accept(dossier, user, comment="", round=None):
    if round is None:
        raise StepRefused(_("Choose the round."))
    if round.decide_by < today():
        raise StepRefused(_("That round is over."))
    if dossier.complete_on and dossier.complete_on > round.proposals_by:
        raise StepRefused(
            _("That round takes dossiers proposed by %(date)s.") % {"date": round.proposals_by.strftime("%d/%m/%Y")}
        )
    if round.level != "province":
        raise StepRefused(_("Dossiers go into a provincial round."))
    # The transition rule (Decision 26/2026, art. 12) is applied again on acceptance: an
    # old dossier that did not finish in time is evaluated under the version in force.
    rule_set = rules.rule_set_for_dossier(
        filed_on=dossier.submitted_on, reevaluation=dossier.kind == Kind.REEVALUATION, today=today()
    )
    if rule_set.pk != round.rule_set_id:
        raise StepRefused(
            _("This dossier is evaluated under %(dossier)s, the round under %(round)s.")
            % {"dossier": rule_set, "round": round.rule_set}
        )
    if rule_set.pk != dossier.rule_set_id:
        dossier.rule_set = rule_set
        dossier.sheet = sheet_for(dossier.product, rule_set)
    dossier.round = round
    dossier.due_on = round.decide_by
    if dossier.kind == Kind.REEVALUATION and dossier.complete_on and rule_set.reevaluation_decision_days:
        dossier.due_on = min(
            round.decide_by, dossier.complete_on + datetime.timedelta(days=rule_set.reevaluation_decision_days)
        )


@step("record_visit")
def record_visit(dossier, user, comment="", visited_on=None, notes="", extra_tests=""):
    if visited_on is None or not notes.strip():
        raise StepRefused(_("Give the date and the report of the site visit."))
    if visited_on > today():
        raise StepRefused(_("The site visit cannot be in the future."))
    dossier.site_visit_on = visited_on
    dossier.site_visit_notes = notes.strip()
    dossier.extra_tests = extra_tests.strip()


@step("open_scoring")
def open_scoring(dossier, user, comment=""):
    if not dossier.round.seats.exists():
        raise StepRefused(_("The round has no council members yet."))


# --- the council ----------------------------------------------------------------------


def member_sheet(dossier, member):
    """The member's own sheet for the dossier (created empty on first use)."""
    return MemberScore.objects.get_or_create(dossier=dossier, member=member)[0]


def save_score(dossier, member, options, opinion="", knockouts="", submit=False):
    """A council member's sheet: `options` maps criterion id → Option. Submitting requires
    every answerable criterion and freezes the sheet; the last member's submission closes
    the scoring (state "scored") with the council's result stored on the dossier."""
    with transaction.atomic():
        dossier = _locked(dossier)
        if not access.can_score(member, dossier):
            raise StepRefused(_("You do not score this dossier, or its scoring is closed."))
        sheet = member_sheet(dossier, member)
        if sheet.submitted_at is not None:
            raise StepRefused(_("Your score sheet is already submitted."))
        criteria = {c.pk: c for c in dossier.sheet.criteria()}
        for criterion_id, option in options.items():
            if criterion_id not in criteria or option.criterion_id != criterion_id:
                raise StepRefused(_("An answer does not belong to this dossier's sheet."))
            MemberAnswer.objects.update_or_create(score=sheet, criterion_id=criterion_id, defaults={"option": option})
        sheet.opinion, sheet.knockouts = opinion.strip(), knockouts.strip()
        if submit:
            missing = unanswered(criteria.values(), sheet.answers)
            if missing:
                raise StepRefused(
                    _("Score every criterion before submitting (%(n)d left, first: %(code)s).")
                    % {"n": len(missing), "code": missing[0].code}
                )
            if dossier.kind == Kind.REEVALUATION and not sheet.opinion:
                raise StepRefused(_("A re-evaluation is decided on written opinions: write yours."))
            sheet.submitted_at = timezone.now()
        sheet.save()
        if submit:
            record(dossier, member, "score", dossier.state, _("Score sheet submitted."))
            seats = dossier.round.seats.count()
            if dossier.member_scores.filter(submitted_at__isnull=False).count() >= seats:
                _close_scoring(dossier, member)
                dossier.save()
    return sheet


def council_result(dossier):
    """The council's result from the submitted sheets, read afresh from the database."""
    criteria = list(dossier.sheet.criteria())
    submitted = list(dossier.member_scores.filter(submitted_at__isnull=False).select_related("member"))
    answers = {s.pk: {} for s in submitted}
    for answer in MemberAnswer.objects.filter(score__in=submitted).select_related("option"):
        answers[answer.score_id][answer.criterion_id] = answer.option
    return scoring.evaluate(
        dossier.rule_set,
        criteria,
        [(s.member, answers[s.pk]) for s in submitted],
        knockouts=[s.knockouts for s in submitted],
    )


def _close_scoring(dossier, actor):
    result = council_result(dossier)
    before = dossier.state
    dossier.state = State.SCORED
    dossier.score_a, dossier.score_b, dossier.score_c = (result.parts[p] for p in scoring.PARTS)
    dossier.score = result.total
    dossier.result_stars = result.stars
    dossier.held_back = "\n".join(
        f"{criterion.code}. {criterion.title[:120]} – {level}★ cần ≥ {points(needed)} điểm"
        for criterion, needed, level in result.held_back
    )
    dossier.knocked_out = "\n".join(result.knocked_out) if not result.stars and result.knocked_out else ""
    comment = _("Council average %(score)s points: %(stars)s★.") % {"score": result.total, "stars": result.stars}
    if dossier.kind == Kind.REEVALUATION and scoring.disagree(result):
        comment += " " + _("The members' opinions differ: the council meets.")
    record(dossier, actor, "scored", before, comment)


# --- the decision ---------------------------------------------------------------------


def _decision_fields(number, decided_on):
    number = (number or "").strip()
    if not number or decided_on is None:
        raise StepRefused(_("Give the decision number and date."))
    if decided_on > today():
        raise StepRefused(_("The decision date cannot be in the future."))
    return number, decided_on


@step("decide")
def decide(dossier, user, comment="", number="", decided_on=None):
    """The province's decision on the council's result (recomputed from the sheets, not
    taken from the stored summary): 3★/4★ issue a certificate; ≥ 90 with every 5★ minimum
    met is proposed to the ministry; below 3★ or excluded, no certificate."""
    number, decided_on = _decision_fields(number, decided_on)
    if decided_on < dossier.submitted_on:
        raise StepRefused(_("The decision cannot be dated before the dossier was filed."))
    result = council_result(dossier)
    dossier.decision_number, dossier.decision_date = number, decided_on
    if result.proposed_to_ministry:
        dossier.state = State.PROPOSED
        return
    if result.stars == 0 and result.knocked_out:
        dossier.outcome = Outcome.EXCLUDED
    elif result.certifiable:
        issue_certificate(dossier, result.stars, number, decided_on, user)
        dossier.outcome = Outcome.CERTIFIED
    else:
        dossier.outcome = Outcome.NOT_RANKED
    dossier.result_stars = result.stars
    dossier.due_on = None


@step("record_ministry")
def record_ministry(dossier, user, comment="", number="", decided_on=None, stars=None):
    """The ministry's outcome for a proposed product: 5★ recognised by the Minister, or the
    province ranks it 3★/4★ from that result."""
    number, decided_on = _decision_fields(number, decided_on)
    if stars not in (3, 4, 5):
        raise StepRefused(_("Choose 5★ (recognised by the ministry) or the 3★/4★ the province gives."))
    issue_certificate(dossier, stars, number, decided_on, user)
    dossier.outcome = Outcome.CERTIFIED
    dossier.result_stars = stars
    dossier.due_on = None


def provincial_committee(province):
    """“UBND tỉnh Lâm Đồng”, “UBND thành phố Hà Nội”: the committee that signs."""
    name = province.name
    if name.startswith("Thành phố "):
        return f"UBND thành phố {name.removeprefix('Thành phố ')}"
    return f"UBND tỉnh {name}"


def issue_certificate(dossier, stars, number, decided_on, user):
    """The certificate in the register, and a draft page for a product that has none. The
    shop and the database search read the register, so they follow in this transaction;
    the search engine's index follows through the outbox (search/signals.py)."""
    rule_set = dossier.rule_set
    level = rule_set.level_for(stars)
    if level is None:
        raise StepRefused(_("%(rules)s recognises no %(stars)d★ products.") % {"rules": rule_set, "stars": stars})
    province = dossier.product.producer.province
    issuer = level.authority if level.level == "ministry" else provincial_committee(province)
    certificate = Certificate(
        product=dossier.product,
        decision_number=number,
        decision_date=decided_on,
        kind=dossier.kind,
        rule_version=rule_set,
        level=level.level,
        issuer=issuer,
        score_a=dossier.score_a,
        score_b=dossier.score_b,
        score_c=dossier.score_c,
        stars=stars,
        expiry_date=rules.add_months(decided_on, rule_set.validity_months),
    )
    try:
        certificate.full_clean()
    except ValidationError as error:
        raise StepRefused(" ".join(error.messages)) from error
    certificate.save()
    dossier.certificate = certificate
    ensure_draft_page(dossier.product)
    return certificate


# --- views' helpers -------------------------------------------------------------------


def member_totals(member_score, criteria):
    """A member's parts and total so far (also for a draft sheet)."""
    options = {a.criterion_id: a.option for a in member_score.answers.select_related("option")}
    return scoring.member_total(member_score.member, options, criteria)


def sheet_rows(sheet, chosen):
    """[(group, [(criterion, [(option, ticked)])])] of a sheet, with `chosen` criterion id →
    option id ticked: what the printable sheets show."""
    rows = []
    for criterion in sheet.criteria():
        if not rows or rows[-1][0].pk != criterion.group_id:
            rows.append((criterion.group, []))
        rows[-1][1].append((criterion, [(o, chosen.get(criterion.pk) == o.pk) for o in criterion.options.all()]))
    return rows
