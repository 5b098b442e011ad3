"""Revoking a certificate (Decision 26/2026/QĐ-TTg, art. 8).

One of the six grounds, the decision's number and date, who decided (the level and the
body: the provincial chairman for 3★/4★, the Minister for 5★, as the rules in force on the
decision date say) and the reason, stored on the certificate (catalog.Certificate). The
save is a certificate change like any other: search.signals records it in the outbox in the
same transaction, so the product leaves the index at once (the engine when the worker
applies the outbox); the shop's strategy stops selling it and the public page explains
why, both reading the certificate's status. The producer is told by e-mail once the
transaction commits; a mail server that is down does not undo the revocation.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import rules
from catalog.models import Certificate
from cms.evaluation.notify import producer_emails
from cms.lifecycle import access
from cms.lifecycle.models import Inspection

logger = logging.getLogger(__name__)

# The grounds an inspection's findings point to.
INSPECTION_GROUNDS = {
    Inspection.MarkUse.MISUSED: Certificate.Ground.MARK_MISUSE,
}


class RevocationRefused(Exception):
    """The revocation cannot be recorded: the message says why, for the user."""


def due_date(found_on):
    """The last day to decide a revocation found on `found_on` (15 days under 26/2026)."""
    rule_set = rules.rule_set_on(found_on)
    days = rule_set.revocation_days if rule_set else None
    return found_on + datetime.timedelta(days=days) if days else None


def initial_for(certificate, inspection=None, today=None):
    """The revocation form's starting values: the rules' level and body, the inspection's ground."""
    today = today or timezone.localdate()
    level = certificate.revoking_level(today)
    initial = {"decided_on": today, "notify": True}
    if level is not None:
        initial["level"] = level.level
        # The body that issued it, when it is also the one that revokes; else the rules' name.
        initial["issuer"] = certificate.issuer if certificate.level == level.level else level.authority
    if inspection is not None:
        initial["ground"] = INSPECTION_GROUNDS.get(inspection.mark_use, Certificate.Ground.CRITERIA_NOT_KEPT)
        initial["reason"] = inspection.findings[:255]
    return initial


def revoke(certificate, user, *, ground, decision_number, decided_on, level, issuer, reason, notify=True):
    """Record the revocation; raise RevocationRefused with a message for the user. The
    certificate's own rules (Certificate.clean: dates, the level that revokes) decide."""
    if not access.can_revoke(user):
        raise RevocationRefused(_("Only OCOP officials record revocations."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_on is not None:
            raise RevocationRefused(_("This certificate has already been revoked."))
        certificate.revoked_on = decided_on
        certificate.revocation_ground = ground
        certificate.revocation_decision_number = decision_number
        certificate.revocation_level = level
        certificate.revocation_issuer = issuer
        certificate.revocation_reason = reason
        try:
            certificate.clean()
        except ValidationError as invalid:
            raise RevocationRefused(" ".join(invalid.messages)) from None
        certificate.save()
        if notify:
            _notify(certificate)
    return certificate


def notice(certificate):
    """The written notice to the producer: (subject, text)."""
    product = certificate.product
    subject = f"Thông báo thu hồi Giấy chứng nhận OCOP: {product.name} / OCOP certificate revoked"
    lines = [
        f"Kính gửi {product.producer.name},",
        "",
        f"Giấy chứng nhận sản phẩm OCOP số {certificate.decision_number} "
        f"({certificate.decision_date:%d/%m/%Y}, {certificate.stars} sao) của sản phẩm “{product.name}” "
        f"đã bị thu hồi theo Quyết định số {certificate.revocation_decision_number} "
        f"ngày {certificate.revoked_on:%d/%m/%Y} của {certificate.revocation_issuer}.",
        f"Căn cứ thu hồi (Điều 8, Quyết định 26/2026/QĐ-TTg): {certificate.get_revocation_ground_display()}.",
        f"Lý do: {certificate.revocation_reason}",
        "",
        "Kể từ ngày thu hồi, sản phẩm không được sử dụng biểu trưng và tem OCOP; sản phẩm đã được "
        "gỡ khỏi gian hàng và kết quả tìm kiếm trên cổng thông tin OCOP.",
        "",
        "---",
        f"The OCOP certificate {certificate.decision_number} of “{product.name}” was revoked by decision "
        f"{certificate.revocation_decision_number} of {certificate.revoked_on:%d/%m/%Y}. "
        "The product may no longer carry the OCOP mark and has left the shop and the search results.",
    ]
    return subject, "\n".join(lines)


def _notify(certificate):
    to = producer_emails(certificate.product.producer)
    if not to:
        return
    subject, text = notice(certificate)

    def send():
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, to)
        except OSError:
            logger.exception("could not e-mail %s about the revocation of certificate %s", to, certificate.pk)

    transaction.on_commit(send)
