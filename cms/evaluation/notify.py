"""E-mails to the producer when its dossier is returned, when documents are requested
and when it is decided. Sent after the step's transaction commits: a failed step sends
nothing, and a mail server that is down does not undo a step (the error is logged)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SUBJECTS = {
    "return": "Hồ sơ OCOP được trả lại để bổ sung / Your OCOP dossier was returned",
    "request_documents": "Đề nghị bổ sung tài liệu hồ sơ OCOP / More documents requested",
    "decide": "Kết quả đánh giá, phân hạng OCOP / Your OCOP evaluation result",
    "record_ministry": "Kết quả đánh giá OCOP cấp Trung ương / The ministry's OCOP result",
}


def producer_emails(producer, *extra):
    """The producer's address and its active accounts' addresses (and `extra` ones), sorted."""
    emails = {producer.email, *extra}
    if producer.group_id:
        emails |= set(producer.group.user_set.filter(is_active=True).values_list("email", flat=True))
    return sorted(e for e in emails if e)


def recipients(dossier):
    return producer_emails(dossier.product.producer, dossier.email)


def body(dossier, action, comment):
    lines = [
        f"Hồ sơ / Dossier: {dossier.product_name} ({dossier.get_kind_display()})",
        f"Trạng thái / State: {dossier.get_state_display()}",
    ]
    if dossier.decision_number:
        lines.append(f"Quyết định / Decision: {dossier.decision_number} ({dossier.decision_date:%d/%m/%Y})")
    if dossier.score is not None:
        lines.append(f"Điểm / Score: {dossier.score} – {dossier.result_stars or 0}★")
    if comment:
        lines += ["", comment]
    lines += [
        "",
        _("Open the dossier in the admin: %(url)s") % {"url": f"{settings.OCOP_BASE_URL}/admin/ho-so/{dossier.pk}/"},
    ]
    return "\n".join(lines)


def after_step(dossier, action, comment):
    if action not in SUBJECTS:
        return
    to, subject, text = recipients(dossier), SUBJECTS[action], body(dossier, action, comment)

    def send():
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, to)
        except OSError:
            logger.exception("could not e-mail %s about dossier %s", to, dossier.pk)

    if to:
        transaction.on_commit(send)
