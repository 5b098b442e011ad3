"""Forms of the dossier screens. They only parse input; the rules are in workflow.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from catalog.rulebook import points
from cms.evaluation.models import Dossier, Kind, Round


class StartForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(producer__group__in=user.groups.all())
        preselected = self.initial.get("product")
        if preselected and not self.fields["product"].queryset.filter(pk=preselected).exists():
            del self.initial["product"]  # another producer's product: not offered, not chosen

    @classmethod
    def preselected(cls, query):
        """Initial values from a link (?product=<pk>&kind=reevaluation, as the reminders and
        the home panel make): only well-formed values are kept, and __init__ drops a product
        that is not the user's."""
        initial = {}
        if query.get("product", "").isdigit():
            initial["product"] = int(query["product"])
        if query.get("kind") in Kind.values:
            initial["kind"] = query["kind"]
        return initial


class RegistrationForm(forms.ModelForm):
    """Mẫu 01."""

    class Meta:
        model = Dossier
        fields = ["unit_name", "representative", "address", "phone", "email", "product_name", "self_assessed_stars"]


class SheetForm(forms.Form):
    """One radio group per criterion of the sheet (Mẫu 02, or a member's score sheet).

    `criteria` come from ScoringSheet.criteria(); `initial` maps criterion id → option id.
    Criteria printed without options cannot be answered and are left out.
    """

    def __init__(self, *args, criteria, initial_options=None, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if c.options.all()]
        initial_options = initial_options or {}
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.code}. {criterion.title}",
                choices=[(o.pk, f"{o.title} ({points(o.points)})") for o in criterion.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                required=required,
                initial=initial_options.get(criterion.pk),
            )

    def rows(self):
        """(criterion, bound field) in sheet order, for the template."""
        return [(c, self[f"c{c.pk}"]) for c in self.criteria]

    def chosen(self):
        """criterion id → Option, for the answered criteria."""
        result = {}
        for criterion in self.criteria:
            option_id = self.cleaned_data.get(f"c{criterion.pk}")
            if option_id:
                result[criterion.pk] = next(o for o in criterion.options.all() if o.pk == option_id)
        return result


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ForwardForm(CommentForm):
    """Mẫu 03: the commune's assessment of four items."""

    commune_raw_materials = forms.CharField(
        label=_("Origin of the product and its raw materials"), widget=forms.Textarea(attrs={"rows": 2})
    )
    commune_labour = forms.CharField(label=_("Use of local labour"), widget=forms.Textarea(attrs={"rows": 2}))
    commune_idea = forms.CharField(label=_("Origin of the product idea"), widget=forms.Textarea(attrs={"rows": 2}))
    commune_identity = forms.CharField(
        label=_("Local identity, know-how and tradition"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(CommentForm):
    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.filter(level="province"))


class VisitForm(CommentForm):
    visited_on = forms.DateField(label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Site visit report"), widget=forms.Textarea(attrs={"rows": 3}))
    extra_tests = forms.CharField(label=_("Extra tests ordered"), required=False)


class DecisionForm(CommentForm):
    number = forms.CharField(label=_("Decision number"), max_length=50)
    decided_on = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))


class MinistryForm(DecisionForm):
    stars = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(5, "5★ – Bộ công nhận / ministry"), (4, "4★"), (3, "3★")]
    )


ACTION_FORMS = {
    "submit": CommentForm,
    "return": CommentForm,
    "forward": ForwardForm,
    "request_documents": CommentForm,
    "provide_documents": CommentForm,
    "accept": AcceptForm,
    "record_visit": VisitForm,
    "open_scoring": CommentForm,
    "decide": DecisionForm,
    "record_ministry": MinistryForm,
}
