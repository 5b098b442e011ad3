"""Oscar's thumbnailer for now: the original image, unresized.

Oscar's templates and its image-deleting receiver need a thumbnailer, and its two built-in
ones need sorl-thumbnail or easy-thumbnails, which the project does not install. Product
images are copies of the page's Wagtail image, already of a sensible size, so serving the
original is acceptable until a resizing thumbnailer is chosen (OSCAR_THUMBNAILER).
"""

from django.conf import settings
from django.core.files.storage import default_storage
from oscar.core.thumbnails import AbstractThumbnailer


class Original:
    def __init__(self, url):
        self.url = url


class OriginalImage(AbstractThumbnailer):
    def generate_thumbnail(self, source, **opts):
        if hasattr(source, "url"):
            return Original(source.url)
        # Oscar passes a path relative to MEDIA_ROOT for its "missing image".
        return Original(settings.MEDIA_URL + str(source))

    def delete_thumbnails(self, source):
        # Called when a product image is deleted: there are no thumbnails, only the file.
        if getattr(source, "name", None):
            default_storage.delete(source.name)
