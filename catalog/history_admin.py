"""The register's history in Wagtail's admin: the read-only "Change history" panel of the
certificate and producer edit pages, and the producer form's "Effective from" date, which
dates a change entered late (catalog/history.py reads the past from both)."""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.admin.widgets import AdminDateInput

from catalog import history


class HistoryPanel(Panel):
    """Every change to the object being edited: when, who, what kind, which fields old → new."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Change history"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog/panels/history_panel.html"

        def is_shown(self):
            return bool(self.instance is not None and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["entries"] = history.entries(self.instance)
            return context


class EffectiveDateForm(WagtailAdminModelForm):
    """A model form whose save is dated by the official: the day the change took effect.

    Today by default; never in the future, never before the object's last recorded change
    (the history is a sequence; a change cannot slip in before one already dated). A save
    that changes nothing writes no history row.
    """

    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=AdminDateInput,
        help_text=_(
            "The day this change took effect, if it was earlier than today, e.g. women-led since "
            "01/03/2025. Figures for past days count the change from this day on."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()

    def last_change(self):
        if not self.instance.pk:
            return None
        return self.instance.history.order_by("-history_date", "-history_id").first()

    def clean_effective_from(self):
        day = self.cleaned_data.get("effective_from") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("A change cannot take effect in the future."))
        last = self.last_change()
        if last is not None and day < timezone.localdate(last.history_date):
            raise forms.ValidationError(
                _("The last recorded change took effect on %(date)s: a new one cannot take effect before it.")
                % {"date": formats.date_format(timezone.localdate(last.history_date), "d/m/Y")}
            )
        return day

    def save(self, commit=True):
        instance = self.instance
        day = self.cleaned_data["effective_from"]
        if instance.pk and not set(self.changed_data) - {"effective_from"}:
            instance.skip_history_when_saving = True
        elif day < timezone.localdate():
            last = self.last_change()
            dated = history.start_of(day)
            if last is not None and dated <= last.history_date:
                dated = last.history_date + datetime.timedelta(microseconds=1)
            instance._history_date = dated
        try:
            return super().save(commit=commit)
        finally:
            for name in ("skip_history_when_saving", "_history_date"):
                if commit and hasattr(instance, name):
                    delattr(instance, name)
