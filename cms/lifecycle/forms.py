from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Certificate


class RevocationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground (Decision 26/2026, art. 8)"), choices=Certificate.Ground.choices)
    decision_number = forms.CharField(label=_("Revocation decision number"), max_length=50)
    decided_on = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label=_("Revoked by (level)"), choices=Certificate.Level.choices)
    issuer = forms.CharField(label=_("Revoked by"), max_length=150, help_text=_("E.g. Chủ tịch UBND tỉnh Gia Lai."))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was found, in a sentence the public page shows."),
    )
    notify = forms.BooleanField(
        label=_("E-mail the notice to the producer"),
        required=False,
        help_text=_("Untick for a past revocation entered for the record."),
    )
