"""Evidence files: PDF, JPEG or PNG, recognised by their content (not their name), within
OCOP_EVIDENCE_MAX_BYTES each and OCOP_EVIDENCE_MAX_FILES per dossier. Stored privately
(models.private_storage) and served only by views.evidence to those who may view the dossier."""

import filetype
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cms.evaluation import access
from cms.evaluation.models import Evidence
from cms.evaluation.workflow import StepRefused

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def check(upload):
    """The content type of an acceptable upload; StepRefused with the reason otherwise."""
    if upload.size > settings.OCOP_EVIDENCE_MAX_BYTES:
        raise StepRefused(
            _("%(name)s is larger than %(mb)d MB.")
            % {"name": upload.name, "mb": settings.OCOP_EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in ALLOWED:
        raise StepRefused(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name})
    return kind.mime


def attach(dossier, user, upload, criterion=None):
    if not access.can_add_evidence(user, dossier):
        raise StepRefused(_("Evidence can no longer be added to this dossier."))
    if criterion is not None and criterion.group.sheet_id != dossier.sheet_id:
        raise StepRefused(_("That criterion is not on this dossier's sheet."))
    mime = check(upload)
    with transaction.atomic():
        if dossier.evidence.count() >= settings.OCOP_EVIDENCE_MAX_FILES:
            raise StepRefused(_("A dossier holds at most %(n)d files.") % {"n": settings.OCOP_EVIDENCE_MAX_FILES})
        name = upload.name.rsplit("/", 1)[-1][:200]
        upload.name = f"evidence.{ALLOWED[mime]}"  # the stored name says nothing of the content
        return Evidence.objects.create(
            dossier=dossier,
            criterion=criterion,
            file=upload,
            name=name,
            content_type=mime,
            size=upload.size,
            uploaded_by=user,
        )


def remove(dossier, user, evidence):
    if not access.can_edit(user, dossier) or evidence.dossier_id != dossier.pk:
        raise StepRefused(_("This file can no longer be removed."))
    evidence.file.delete(save=False)
    evidence.delete()
