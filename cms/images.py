"""Wagtail's image forms, with images decoded in full before they are accepted
(WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail's image field reads an upload's header only; a truncated PNG or a GIF header
followed by text passed it and failed later, inside Pillow, as a 500 (the listing's
thumbnail, the page that shows it). Kept apart from cms/forms.py, which models.py imports:
wagtail.images.forms needs the models loaded.
"""

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


def decode_fully(upload):
    """Decode every byte of the image with Pillow; ValidationError when it cannot."""
    if hasattr(upload, "temporary_file_path"):
        source = upload.temporary_file_path()
    else:
        upload.seek(0)
        source = BytesIO(upload.read())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(source) as image:
                image.verify()  # checksums and structure
            if not isinstance(source, str):
                source.seek(0)
            with PILImage.open(source) as image:
                image.load()  # every pixel: catches a truncated file that verify() lets through
    except Exception as exc:  # noqa: BLE001  (Pillow raises many types for a broken file)
        raise ValidationError(
            _("This file is damaged or is not an image we can read. Please upload a JPEG, PNG, GIF or WebP image."),
            code="invalid_image",
        ) from exc
    finally:
        upload.seek(0)


class DecodedImageField(WagtailImageField):
    """Wagtail's image field, which first decodes the upload in full."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            decode_fully(data)
        return super().to_python(data)


class ImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: every image form (add, edit, chooser, multiple upload)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField):
            # Wagtail's form factory builds the field itself (formfield_for_dbfield); keep
            # its label, widget and limits and add the full decode.
            field.__class__ = DecodedImageField

    class Meta(BaseImageForm.Meta):
        pass
