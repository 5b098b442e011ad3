"""Who may see and do what with a dossier. Every view asks here; nothing is only hidden.

Roles:
- producer: an account of the dossier's producer (catalog.Producer.group);
- commune: a commune officer (group COMMUNE_OFFICERS and a CommuneOfficer post) for
  dossiers of producers in its commune;
- office: the provincial OCOP office (group OCOP_OFFICE);
- council: a member seated on the dossier's round (CouncilSeat);
- approver: the official authorised to decide (group APPROVERS).

A superuser counts as office and approver, not as a producer or a council member.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from cms.evaluation.models import CommuneOfficer, CouncilSeat, Dossier, State

COMMUNE_OFFICERS = "Cán bộ xã (OCOP)"
OCOP_OFFICE = "Văn phòng OCOP tỉnh"
COUNCIL = "Thành viên hội đồng OCOP"
APPROVERS = "Lãnh đạo phê duyệt OCOP"
ROLE_GROUPS = (COMMUNE_OFFICERS, OCOP_OFFICE, COUNCIL, APPROVERS)

# The states in which each role sees a dossier at all.
PAST_COMMUNE = (
    State.FORWARDED,
    State.DOCUMENTS_REQUESTED,
    State.ACCEPTED,
    State.SCORING,
    State.SCORED,
    State.PROPOSED,
    State.DECIDED,
)
COUNCIL_STATES = (State.SCORING, State.SCORED, State.PROPOSED, State.DECIDED)
# The producer changes its dossier only while it is a draft or returned to it; when the
# office asks for documents it may add evidence, not change its answers.
EDITABLE = (State.DRAFT, State.RETURNED)
EVIDENCE_OPEN = (State.DRAFT, State.RETURNED, State.DOCUMENTS_REQUESTED)


def _groups(user):
    """{group id: name} of the user's groups, read once per user object (a request asks
    for every role and every step of a dossier)."""
    if not hasattr(user, "_evaluation_groups"):
        user._evaluation_groups = dict(user.groups.values_list("pk", "name")) if user.is_authenticated else {}
    return user._evaluation_groups


def _in_group(user, name):
    return name in _groups(user).values()


def is_office(user):
    return user.is_superuser or _in_group(user, OCOP_OFFICE)


def is_approver(user):
    return user.is_superuser or _in_group(user, APPROVERS)


def is_commune_officer(user):
    return _in_group(user, COMMUNE_OFFICERS)


def is_council(user):
    return _in_group(user, COUNCIL)


def takes_part(user):
    """Whether the user has any business with dossiers (the admin menu item)."""
    return user.is_authenticated and (
        user.is_superuser
        or any(name in ROLE_GROUPS for name in _groups(user).values())
        or user.groups.filter(producer__isnull=False).exists()
    )


def is_producer_of(user, dossier):
    group_id = dossier.product.producer.group_id
    return group_id is not None and group_id in _groups(user)


def officer_of(user, dossier):
    commune_id = dossier.product.producer.commune_id
    return (
        is_commune_officer(user)
        and commune_id is not None
        and CommuneOfficer.objects.filter(user=user, commune_id=commune_id).exists()
    )


def seated(user, dossier):
    return dossier.round_id is not None and CouncilSeat.objects.filter(round_id=dossier.round_id, member=user).exists()


def visible(user):
    """The dossiers `user` may see."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if is_office(user) or is_approver(user):
        return Dossier.objects.exclude(state=State.DRAFT) | Dossier.objects.filter(
            product__producer__group__in=user.groups.all()
        )
    rule = Q(product__producer__group__in=user.groups.all())
    if is_commune_officer(user):
        rule |= Q(product__producer__commune__officers__user=user) & ~Q(state=State.DRAFT)
    rule |= Q(round__seats__member=user, state__in=COUNCIL_STATES)
    return Dossier.objects.filter(rule).distinct()


def can_view(user, dossier):
    if is_producer_of(user, dossier):
        return True
    if dossier.state == State.DRAFT:
        return False
    if is_office(user) or is_approver(user) or officer_of(user, dossier):
        return True
    return dossier.state in COUNCIL_STATES and seated(user, dossier)


def can_edit(user, dossier):
    return dossier.state in EDITABLE and is_producer_of(user, dossier)


def can_add_evidence(user, dossier):
    return dossier.state in EVIDENCE_OPEN and is_producer_of(user, dossier)


def can_score(user, dossier):
    return dossier.state == State.SCORING and seated(user, dossier)


def can_see_member_scores(user, dossier):
    """Members' sheets: to a member once theirs is submitted; to the office and the
    approver once the council has finished."""
    if dossier.state in (State.SCORED, State.PROPOSED, State.DECIDED) and (is_office(user) or is_approver(user)):
        return True
    if not seated(user, dossier):
        return False
    own = dossier.member_scores.filter(member=user).first()
    return own is not None and own.submitted_at is not None


def can_view_round(user, round_):
    """A round's summary: the office, the approver and the council that sits on it (the
    chair signs it). Averages appear only once every member has submitted (state scored)."""
    return is_office(user) or is_approver(user) or CouncilSeat.objects.filter(round=round_, member=user).exists()


def role_allows(user, role, dossier):
    """Whether `user` acts in `role` (workflow.Transition.role) on this dossier."""
    return {
        "producer": is_producer_of,
        "commune": officer_of,
        "office": lambda u, d: is_office(u),
        "approver": lambda u, d: is_approver(u),
    }[role](user, dossier)


# The provincial office keeps the rounds, their councils, the calendar, the commune posts
# and the rule sets with their sheets (snippets in wagtail_hooks.py).
OFFICE_MODELS = (
    ("evaluation", ("round", "councilseat", "calendarday", "communeofficer")),
    ("lifecycle", ("inspection",)),  # inspections after certification (cms/lifecycle)
    (
        "catalog",
        ("ruleset", "rulelevel", "roundcutoff", "scoringsheet", "criteriongroup", "criterion", "option", "groupsheet"),
    ),
)

# The office reads the register (the certificates it proposes, re-evaluates and watches
# expire) without keeping it: officials do.
OFFICE_READS = ("catalog", ("certificate", "product", "producer"))


def ensure_role_groups():
    """The four groups, each allowed into the admin (where the dossier screens are)."""
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for name in ROLE_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    for app_label, models in OFFICE_MODELS:
        codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")]
        groups[OCOP_OFFICE].permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    app_label, models = OFFICE_READS
    groups[OCOP_OFFICE].permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"view_{model}" for model in models]
        )
    )
    return list(groups.values())
