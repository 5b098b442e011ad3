"""The page forms' base: only images their editor may choose, and a malformed POST is a 400.

Wagtail's page form accepts any image id in a crafted POST, although the chooser offers a
producer only its own collection. (Image uploads are checked in cms/images.py.)
"""

import logging

from django import forms
from django.core.exceptions import BadRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.coreutils import string_to_ascii
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.permissions import policy_registry

logger = logging.getLogger(__name__)


def images_in(block, value):
    """The images a StreamField value refers to, at any depth."""
    if value is None:
        return
    if isinstance(block, ImageChooserBlock):
        yield value
    elif isinstance(block, StreamBlock):
        for child in value:
            yield from images_in(child.block, child.value)
    elif isinstance(block, ListBlock):
        for item in value:
            yield from images_in(block.child_block, getattr(item, "value", item))
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from images_in(child_block, value.get(name))


class ImageScopedPageForm(WagtailAdminPageForm):
    """A page form that attaches only images its editor may choose (their collections),
    plus those the page already shows. For every editor, whatever the POST carries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._image_model = get_image_model()
        policy = policy_registry.get_by_type(self._image_model)
        self._choosable = policy.instances_user_has_permission_for(self.for_user, "choose")
        self._restrict(self)
        for formset in self.formsets.values():
            for form in formset.forms:
                self._restrict(form)

    def _restrict(self, form):
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is self._image_model:
                current = getattr(form.instance, f"{name}_id", None)
                allowed = self._choosable
                if current is not None:
                    allowed = allowed | self._image_model.objects.filter(pk=current)
                field.queryset = allowed.distinct()

    def clean_slug(self):
        # Page URLs in ASCII, "/tin-tuc/thong-bao-dot-1/" and not "th%C3%B4ng-b%C3%A1o-…":
        # the admin's autofill keeps Vietnamese letters (with ASCII-only slugs its own
        # transliteration would drop ơ, ề, ả… and write đ as "dj"), and anyascii (Wagtail's
        # string_to_ascii) transliterates them here, đ→d.
        return slugify(string_to_ascii(self.cleaned_data.get("slug") or ""))

    def full_clean(self):
        # A StreamField or inline panel reads its parts from the POST by name and index; a
        # crafted or truncated POST (no "story-count", a missing "-deleted", a count that is
        # not a number) raised KeyError or ValueError there, a 500. It is the request's fault.
        try:
            super().full_clean()
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            logger.warning("Malformed page form POST: %r", exc)
            raise BadRequest(_("The page form was sent incomplete or altered. Reload the page and try again.")) from exc

    def clean(self):
        cleaned = super().clean()
        for model_field in self._meta.model._meta.get_fields():
            if not isinstance(model_field, StreamField) or model_field.name not in cleaned:
                continue
            block = model_field.stream_block
            already = {image.pk for image in images_in(block, getattr(self.instance, model_field.name, None))}
            new_ids = {image.pk for image in images_in(block, cleaned[model_field.name])} - already
            if new_ids and self._choosable.filter(pk__in=new_ids).count() < len(new_ids):
                self.add_error(model_field.name, _("You may only use images from your own collection."))
        return cleaned
