"""The producer is e-mailed when its dossier is returned, when documents are requested and
when it is decided, after the step commits; a refused step sends nothing."""

import pytest
from django.core import mail

from cms.evaluation import access, workflow
from cms.evaluation.models import CommuneOfficer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(tree, rulebook):
    producer = tree.producer_a.producer
    producer.commune = factories.CommuneFactory(province=producer.province)
    producer.email = "htx@example.vn"
    producer.representative, producer.address, producer.phone = "Nguyễn Văn A", "Thôn 1", "0900000001"
    producer.save()
    product = tree.product_a.register_product
    product.scoring_set = 7
    product.save()
    access.ensure_role_groups()
    officer = factories.UserFactory()
    officer.groups.add(access.Group.objects.get(name=access.COMMUNE_OFFICERS))
    CommuneOfficer.objects.create(user=officer, commune=producer.commune)
    dossier = workflow.start(tree.producer_user_a, product)
    criteria = [c for c in dossier.sheet.criteria() if c.options.all()]
    workflow.save_answers(dossier, tree.producer_user_a, {c.pk: c.options.all()[0] for c in criteria})
    workflow.submit(dossier, tree.producer_user_a)
    dossier.officer = officer
    return dossier


def test_returned_dossier_mails_the_producer(dossier, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_producer(dossier, dossier.officer, comment="Thiếu giấy chứng nhận ATTP.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "trả lại" in message.subject
    assert "Thiếu giấy chứng nhận ATTP." in message.body
    assert set(message.to) == {"htx@example.vn", dossier.email, tree.producer_user_a.email}


def test_refused_step_sends_nothing(dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.StepRefused):
        workflow.return_to_producer(dossier, dossier.officer, comment="  ")  # no reason given
    assert mail.outbox == []


def test_forwarding_sends_no_mail(dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.forward(
            dossier,
            dossier.officer,
            assessment={
                "commune_raw_materials": "Đạt",
                "commune_labour": "Đạt",
                "commune_idea": "Đạt",
                "commune_identity": "Đạt",
            },
        )
    assert mail.outbox == []
