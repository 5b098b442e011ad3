"""The dossier screens in Wagtail's admin (urls in wagtail_hooks.py), the printable forms
and the public results of a round. Views parse and render; access.py decides who may,
workflow.py does. Refusals answer 400 (bad input) or 404 (not yours to see) with the
reason on the page, never 500."""

from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.evaluation import access, evidence, scoring, workflow
from cms.evaluation.forms import ACTION_FORMS, RegistrationForm, SheetForm, StartForm
from cms.evaluation.models import CouncilSeat, Dossier, MemberScore, Outcome, Round, State
from cms.models import ProductPage

STEPS = {
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


def _dossier(request, pk):
    """The dossier if the user may see it; 404 otherwise (its existence is not disclosed)."""
    dossier = get_object_or_404(
        Dossier.objects.select_related("product__producer__commune", "rule_set", "sheet", "round"), pk=pk
    )
    if not access.can_view(request.user, dossier):
        raise Http404
    return dossier


def index(request):
    dossiers = (
        access.visible(request.user).select_related("product__producer", "round").order_by("due_on", "-created_at")
    )
    state = request.GET.get("state")
    if state in State.values:
        dossiers = dossiers.filter(state=state)
    return render(
        request,
        "evaluation/index.html",
        {
            "page_title": _("OCOP dossiers"),
            "header_icon": "folder-open-inverse",
            "dossiers": dossiers,
            "states": State.choices,
            "state": state,
            "can_start": request.user.groups.filter(producer__isnull=False).exists(),
            "rounds": Round.objects.all()[:10]
            if access.is_office(request.user) or access.is_approver(request.user)
            else [],
        },
    )


def start(request):
    form = StartForm(request.POST or None, user=request.user, initial=StartForm.preselected(request.GET))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier = workflow.start(request.user, form.cleaned_data["product"], form.cleaned_data["kind"])
            except workflow.StepRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return redirect("evaluation:edit", pk=dossier.pk)
        status = 400
    return render(
        request,
        "evaluation/start.html",
        {"page_title": _("New dossier"), "header_icon": "folder-open-inverse", "form": form},
        status=status,
    )


def detail(request, pk, forms=None, status=200):
    dossier = _dossier(request, pk)
    actions = workflow.available(request.user, dossier)
    forms = forms or {}
    action_forms = [
        (action, workflow.TRANSITIONS[action].label, forms.get(action) or ACTION_FORMS[action](prefix=action))
        for action in actions
        if action != "submit"
    ]
    show_scores = access.can_see_member_scores(request.user, dossier)
    own_sheet = MemberScore.objects.filter(dossier=dossier, member=request.user).first()
    return render(
        request,
        "evaluation/detail.html",
        {
            "page_title": dossier.product_name,
            "page_subtitle": dossier.get_state_display(),
            "header_icon": "folder-open-inverse",
            "dossier": dossier,
            "events": [
                (event, workflow.ACTION_LABELS.get(event.action, event.action))
                for event in dossier.events.select_related("actor")
            ],
            "evidence": dossier.evidence.select_related("criterion"),
            "action_forms": action_forms,
            "can_edit": access.can_edit(request.user, dossier),
            "can_add_evidence": access.can_add_evidence(request.user, dossier),
            "can_score": access.can_score(request.user, dossier),
            "own_sheet": own_sheet,
            "member_scores": dossier.member_scores.select_related("member") if show_scores else None,
            "is_staff_side": access.is_office(request.user) or access.is_approver(request.user),
            "Outcome": Outcome,
        },
        status=status,
    )


@require_POST
def act(request, pk, action):
    dossier = _dossier(request, pk)
    if action not in STEPS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Check the form below."))
        return detail(request, pk, forms={action: form}, status=400)
    data = dict(form.cleaned_data)
    comment = data.pop("comment", "")
    if action == "forward":
        data = {"assessment": data}
    try:
        STEPS[action](dossier, request.user, comment=comment, **data)
    except workflow.StepRefused as refusal:
        messages.error(request, str(refusal))
        return detail(
            request, pk, forms={action: form}, status=400 if workflow.allowed(request.user, action, dossier) else 403
        )
    messages.success(request, _("Done: %(step)s.") % {"step": workflow.TRANSITIONS[action].label})
    return redirect("evaluation:detail", pk=pk)


def edit(request, pk):
    """Mẫu 01 and the Mẫu 02 self-assessment, with evidence per criterion."""
    dossier = _dossier(request, pk)
    if not access.can_add_evidence(request.user, dossier):
        messages.error(request, _("This dossier can no longer be changed."))
        if request.method == "POST":  # a crafted or stale post is refused, not quietly redirected
            return detail(request, pk, status=403)
        return redirect("evaluation:detail", pk=pk)
    editable = access.can_edit(request.user, dossier)
    criteria = list(dossier.sheet.criteria())
    answers = dict(dossier.answers.values_list("criterion_id", "option_id"))
    data = request.POST if request.method == "POST" else None
    registration = RegistrationForm(data, instance=dossier, prefix="m01")
    sheet = SheetForm(data, criteria=criteria, initial_options=answers, prefix="m02")
    status = 200
    if request.method == "POST":
        try:
            # A refused file or step undoes the whole post (the form's changes too).
            with transaction.atomic():
                if editable:
                    if not (registration.is_valid() and sheet.is_valid()):
                        raise workflow.StepRefused(_("Check the form below."))
                    registration.save()
                    workflow.save_answers(dossier, request.user, sheet.chosen())
                by_pk = {c.pk: c for c in criteria}
                for key in request.FILES:
                    criterion_pk = key.removeprefix("evidence-")
                    criterion = by_pk.get(int(criterion_pk)) if criterion_pk.isdigit() else None
                    for each in request.FILES.getlist(key):
                        evidence.attach(dossier, request.user, each, criterion)
                if "submit" in request.POST:
                    step = workflow.submit if dossier.state != State.DOCUMENTS_REQUESTED else workflow.provide_documents
                    step(dossier, request.user, comment=request.POST.get("comment", ""))
                    messages.success(request, _("The dossier is submitted."))
                    return redirect("evaluation:detail", pk=pk)
                messages.success(request, _("Saved."))
                return redirect("evaluation:edit", pk=pk)
        except workflow.StepRefused as refusal:
            messages.error(request, str(refusal))
            status = 400
    files = {}
    for item in dossier.evidence.all():
        files.setdefault(item.criterion_id, []).append(item)
    return render(
        request,
        "evaluation/edit.html",
        {
            "page_title": _("Dossier: %(name)s") % {"name": dossier.product_name},
            "header_icon": "folder-open-inverse",
            "dossier": dossier,
            "registration": registration,
            "rows": [(c, field, files.get(c.pk, [])) for c, field in sheet.rows()],
            "unanswerable": [c for c in criteria if not c.options.all()],
            "general_files": files.get(None, []),
            "editable": editable,
        },
        status=status,
    )


def evidence_file(request, pk, evidence_pk):
    dossier = _dossier(request, pk)
    item = get_object_or_404(dossier.evidence, pk=evidence_pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def remove_evidence(request, pk, evidence_pk):
    dossier = _dossier(request, pk)
    item = get_object_or_404(dossier.evidence, pk=evidence_pk)
    try:
        evidence.remove(dossier, request.user, item)
    except workflow.StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("evaluation:detail", pk=pk)
    return redirect("evaluation:edit", pk=pk)


def score(request, pk):
    """A council member's own sheet: saved as a draft until submitted, then frozen."""
    dossier = _dossier(request, pk)
    if not access.seated(request.user, dossier):
        raise Http404
    own = workflow.member_sheet(dossier, request.user) if access.can_score(request.user, dossier) else None
    own = own or MemberScore.objects.filter(dossier=dossier, member=request.user).first()
    if own is None:
        raise Http404
    criteria = list(dossier.sheet.criteria())
    chosen = dict(own.answers.values_list("criterion_id", "option_id"))
    data = request.POST if request.method == "POST" and own.submitted_at is None else None
    form = SheetForm(data, criteria=criteria, initial_options=chosen, prefix="s")
    status = 200
    if request.method == "POST" and data is None:
        # A submitted sheet, or a closed scoring: the post changes nothing and says so.
        messages.error(
            request,
            _("Your score sheet is already submitted.")
            if own.submitted_at is not None
            else _("You do not score this dossier, or its scoring is closed."),
        )
        status = 403
    if data is not None:
        if form.is_valid():
            try:
                workflow.save_score(
                    dossier,
                    request.user,
                    form.chosen(),
                    opinion=request.POST.get("opinion", ""),
                    knockouts=request.POST.get("knockouts", ""),
                    submit="submit" in request.POST,
                )
            except workflow.StepRefused as refusal:
                messages.error(request, str(refusal))
                status = 400
            else:
                messages.success(request, _("Score sheet submitted.") if "submit" in request.POST else _("Saved."))
                return redirect("evaluation:score", pk=pk)
        else:
            status = 400
    own.refresh_from_db()
    totals = workflow.member_totals(own, criteria)
    return render(
        request,
        "evaluation/score.html",
        {
            "page_title": _("Score sheet: %(name)s") % {"name": dossier.product_name},
            "header_icon": "form",
            "dossier": dossier,
            "sheet": own,
            "form": form,
            "totals": totals,
            "frozen": own.submitted_at is not None or dossier.state != State.SCORING,
            "knockout_criteria": [c for c in criteria if c.knockout],
        },
        status=status,
    )


# --- rounds ---------------------------------------------------------------------------


def round_detail(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    if not access.can_view_round(request.user, round_):
        raise Http404
    return render(
        request,
        "evaluation/round.html",
        {
            "page_title": round_.name,
            "header_icon": "date",
            "round": round_,
            "dossiers": round_.dossiers.select_related("product__producer").order_by("-score"),
            "seats": round_.seats.select_related("member"),
        },
    )


# --- printable forms (A4, Vietnamese) ------------------------------------------------


def print_form(request, pk, form):
    dossier = _dossier(request, pk)
    context = {"dossier": dossier, "producer": dossier.product.producer}
    if form == "mau-01":
        template = "evaluation/print/mau01.html"
    elif form == "mau-02":
        template = "evaluation/print/mau02.html"
        context["rows"] = workflow.sheet_rows(
            dossier.sheet, dict(dossier.answers.values_list("criterion_id", "option_id"))
        )
        context["self_assessed"] = _ticked_totals(context["rows"])
    elif form == "mau-03":
        template = "evaluation/print/mau03.html"
        # The report is dated the day the commune forwarded the dossier, when it has.
        forward = dossier.events.filter(action="forward").order_by("-at").first()
        context["forwarded_on"] = forward and timezone.localdate(forward.at)
    else:
        raise Http404
    return render(request, template, context)


def _ticked_totals(rows):
    """The points of the ticked options per part and overall, from workflow.sheet_rows():
    the producer's self-assessed totals on Mẫu 02."""
    parts = dict.fromkeys(scoring.PARTS, Decimal(0))
    for group, criteria in rows:
        for _criterion, options in criteria:
            parts[group.part] += sum((option.points for option, ticked in options if ticked), Decimal(0))
    return {"parts": parts, "total": sum(parts.values(), Decimal(0))}


def print_member_sheet(request, pk, member_pk):
    dossier = _dossier(request, pk)
    sheet = get_object_or_404(MemberScore, dossier=dossier, member_id=member_pk)
    if sheet.member_id != request.user.pk and not access.can_see_member_scores(request.user, dossier):
        raise Http404
    criteria = list(dossier.sheet.criteria())
    chosen = dict(sheet.answers.values_list("criterion_id", "option_id"))
    return render(
        request,
        "evaluation/print/member_sheet.html",
        {
            "dossier": dossier,
            "sheet": sheet,
            "rows": workflow.sheet_rows(dossier.sheet, chosen),
            "totals": workflow.member_totals(sheet, criteria),
        },
    )


def print_round(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("rule_set"), pk=pk)
    if not access.can_view_round(request.user, round_):
        raise Http404
    dossiers = list(
        round_.dossiers.select_related("product__producer__commune", "product__producer__province").order_by(
            F("score").desc(nulls_last=True), "product_name"
        )
    )
    chair = round_.seats.filter(role=CouncilSeat.Role.CHAIR).select_related("member").first()
    return render(
        request,
        "evaluation/print/round.html",
        {
            "round": round_,
            "dossiers": dossiers,
            "chair_name": chair.member.get_full_name() if chair else "",
            # The province whose council it is: the producers' (a round is one province's).
            "province": dossiers[0].product.producer.province if dossiers else None,
        },
    )


def public_results(request, pk):
    """A round's results, public once the province has published them."""
    round_ = get_object_or_404(Round, pk=pk, published_on__isnull=False)
    # The products the round recognised (a certificate) or proposed to the ministry; a
    # product below 3★ or excluded has no recognition to publish.
    decided = list(
        round_.dossiers.filter(Q(state=State.DECIDED, certificate__isnull=False) | Q(state=State.PROPOSED))
        .select_related("product__producer__province", "certificate")
        .order_by(F("score").desc(nulls_last=True), "product_name")
    )
    # Only a live page is linked: a product may have none, or only a draft awaiting moderation.
    pages = {
        page.register_product_id: page
        for page in ProductPage.objects.live().filter(register_product__in=[d.product_id for d in decided])
    }
    rows = [(dossier, pages.get(dossier.product_id)) for dossier in decided]
    decision_dates = sorted({d.decision_date for d in decided if d.decision_date})
    return render(
        request,
        "evaluation/public_results.html",
        {"round": round_, "rows": rows, "decision_dates": decision_dates},
    )
