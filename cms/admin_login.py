"""The admin's login form with its password field labelled through the catalogue.

Wagtail's LoginForm gives the password field no label, so Django shows the field's name,
"Password", untranslated on the Vietnamese login page.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
