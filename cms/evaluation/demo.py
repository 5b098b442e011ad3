"""Demo evaluation: the rules, the role accounts' posts, an open round with its council, and
dossiers in every state (fixtures/evaluation_demo.csv), each moved there by the workflow
itself so that its history is real. Idempotent: a product that has a dossier is left alone.

The journey product (no state in the file) gets a live page and no dossier: a new user
files its dossier as the producer and walks it to a decision.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from catalog import rules_data
from catalog.models import Commune, Producer, Product, ProductGroup
from catalog.rulebook import ScoringSheet
from cms.evaluation import access, workflow
from cms.evaluation.models import CommuneOfficer, CouncilSeat, Dossier, Kind, Round, State
from cms.models import ProducerPage, ProductPage


def add_role(user, role, commune_codes=()):
    """Give a demo account its evaluation role (cms.demo's accounts call this)."""
    names = {
        "commune": access.COMMUNE_OFFICERS,
        "office": access.OCOP_OFFICE,
        "council": access.COUNCIL,
        "approver": access.APPROVERS,
    }
    access.ensure_role_groups()
    user.groups.add(Group.objects.get(name=names[role]))
    for code in commune_codes:
        commune = Commune.objects.filter(code=code).first()
        if commune:
            CommuneOfficer.objects.get_or_create(user=user, commune=commune)


def pick(criterion, fraction):
    """The option at `fraction` of the way from the lowest to the highest (demo scores)."""
    options = sorted(criterion.options.all(), key=lambda o: (o.points, o.sort_order))
    return options[round(float(fraction) * (len(options) - 1))]


class EvaluationDemo:
    def __init__(self, rows, today, accounts):
        self.rows, self.today, self.accounts = rows, today, accounts
        self.created = 0

    def user(self, username):
        return get_user_model().objects.get(username=username)

    def run(self):
        if not ScoringSheet.objects.exists():
            rules_data.load()
        producer_users = {a.producer_slug: a.username for a in self.accounts if a.role == "producer"}
        producers = Producer.objects.filter(slug__in={row["producer_slug"] for row in self.rows})
        communes = {p.commune.code for p in producers.select_related("commune") if p.commune_id}
        for account in self.accounts:
            if account.role in ("commune", "office", "council", "approver"):
                add_role(
                    self.user(account.username), account.role, sorted(communes) if account.role == "commune" else ()
                )
        self.round = self.open_round([a.username for a in self.accounts if a.role == "council"])
        for row in self.rows:
            product = self.register_product(row)
            if row["with_page"] == "1":
                self.ensure_page(product, row["slug"])
            if row["state"] and not product.dossiers.exists():
                with transaction.atomic():
                    self.walk(product, row, self.user(producer_users[row["producer_slug"]]))
                self.created += 1
        return self.created

    def open_round(self, council):
        rule_set = workflow.rules.rule_set_on(self.today)
        name = f"Đợt đánh giá cấp tỉnh tháng {self.today:%m/%Y}"
        round_, created = Round.objects.get_or_create(
            name=name,
            defaults={
                "rule_set": rule_set,
                "proposals_by": self.today + datetime.timedelta(days=14),
                "decide_by": self.today + datetime.timedelta(days=29),
            },
        )
        if created:
            for position, username in enumerate(council):
                CouncilSeat.objects.create(
                    round=round_,
                    member=self.user(username),
                    role=CouncilSeat.Role.CHAIR if position == 0 else CouncilSeat.Role.MEMBER,
                )
        return round_

    def register_product(self, row):
        product, _ = Product.objects.get_or_create(
            name=row["name"],
            producer=Producer.objects.get(slug=row["producer_slug"]),
            defaults={
                "group": ProductGroup.objects.get(code=row["group_code"]),
                "scoring_set": int(row["scoring_set"]),
            },
        )
        return product

    def ensure_page(self, product, slug):
        if ProductPage.objects.filter(register_product=product).exists():
            return
        parent = ProducerPage.objects.get(producer=product.producer)
        page = ProductPage(
            title=product.name,
            slug=slug,
            register_product=product,
            intro="Bơ chín sấy dẻo ở nhiệt độ thấp, không đường, giữ vị béo của bơ núi lửa.",
            title_en="Krông Nô soft-dried avocado",
            intro_en="Ripe avocado dried soft at a low temperature, without sugar, keeping the buttery taste of volcanic avocado.",
            price=85000,
            unit="hộp",
            unit_en="box",
            stock=40,
        )
        parent.add_child(instance=page)
        page.save_revision(log_action=False).publish(log_action=False)

    def walk(self, product, row, producer_user):
        """Move a new dossier along the path up to the row's state."""
        target = row["state"]
        fraction = Decimal(row["profile"] or "0.75")
        office, approver = self.user("vanphong"), self.user("pheduyet")
        commune = self.user("xa")
        dossier = workflow.start(producer_user, product, Kind.FIRST)
        criteria = list(dossier.sheet.criteria())
        answerable = [c for c in criteria if c.options.all()]
        workflow.save_answers(dossier, producer_user, {c.pk: pick(c, fraction) for c in answerable})
        if target == State.DRAFT:
            return
        workflow.submit(dossier, producer_user)
        if target == State.SUBMITTED:
            return
        if target == State.RETURNED:
            workflow.return_to_producer(
                dossier, commune, comment="Thiếu giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm; bổ sung giúp."
            )
            return
        workflow.forward(
            dossier,
            commune,
            assessment={
                "commune_raw_materials": "Nguyên liệu từ vùng trồng của hợp tác xã trong xã.",
                "commune_labour": "Sử dụng 12 lao động địa phương, 8 là nữ.",
                "commune_idea": "Ý tưởng của hợp tác xã từ sản phẩm truyền thống của địa phương.",
                "commune_identity": "Gắn với vùng đất đỏ bazan và kỹ thuật truyền thống của địa phương.",
            },
        )
        if target == State.FORWARDED:
            return
        if target == State.DOCUMENTS_REQUESTED:
            workflow.request_documents(dossier, office, comment="Bổ sung phiếu kiểm nghiệm chỉ tiêu chất lượng.")
            return
        workflow.accept(dossier, office, round=self.round)
        workflow.record_visit(
            dossier,
            office,
            visited_on=self.today,
            notes="Tổ tư vấn khảo sát cơ sở sản xuất; điều kiện đúng như hồ sơ.",
        )
        if target == State.ACCEPTED:
            return
        workflow.open_scoring(dossier, office)
        seats = list(self.round.seats.select_related("member"))
        for position, seat in enumerate(seats):
            if target == State.SCORING and position > 0:
                break
            # Members differ a little, as they do.
            member_fraction = min(Decimal(1), fraction + Decimal("0.05") * (position - 1)) if fraction < 1 else fraction
            workflow.save_score(
                dossier,
                seat.member,
                {c.pk: pick(c, member_fraction) for c in answerable},
                opinion="Đồng ý với kết quả chấm.",
                submit=True,
            )
        if target in (State.SCORING, State.SCORED):
            return
        number = f"{100 + product.pk}/QĐ-UBND"
        # Filed on the real day (the workflow dates it), which is after the load's day when the
        # load runs past midnight: decide on the later of the two.
        dossier.refresh_from_db(fields=["submitted_on"])
        decided_on = max(self.today, dossier.submitted_on)
        workflow.decide(dossier, approver, number=number, decided_on=decided_on)


def load(accounts, today, rows):
    return EvaluationDemo(rows, today, accounts).run()


def dossier_states():
    """{state: count} of the demo's dossiers (the command's summary)."""
    counts = {}
    for state in Dossier.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts
