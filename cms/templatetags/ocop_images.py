"""{% image %} and {% srcset_image %}: Wagtail's tags, without their per-render overhead.

Same syntax and same HTML as wagtailimages_tags (the parsing is Wagtail's). Two costs go:

- Wagtail's nodes build their Filter objects again on every render, and each parses its
  operations with `inspect` (about 45 µs a filter); here they are built once per compiled
  template (the cached template loader keeps the nodes) and kept on the node;
- `{% image %}` goes through Image.get_rendition, which writes the rendition back to the
  renditions cache on every call, even one found among the prefetched renditions (pickling the
  rendition with its image: about 85 µs); here it goes through Image.get_renditions, which
  writes back only what it did not find prefetched. A product list's twelve cards spent about
  1.5 ms on these two.

Renditions are found, made and cached as before otherwise (prefetched, else the renditions
cache, else the database, else generated); a missing source file still gives a "not-found"
rendition instead of an error (wagtail.images.shortcuts).
"""

from django import template
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

from cms import product_display

register = template.Library()


class ImageNode(wagtail_tags.ImageNode):
    @cached_property
    def filter(self):
        return Filter(spec="|".join(self.filter_specs))

    def get_filter(self):
        return self.filter

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        # One filter: its one rendition (keyed by the spec Wagtail cleaned, e.g. for an SVG).
        (rendition,) = get_renditions_or_not_found(image, [self.filter]).values()
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag({key: value.resolve(context) for key, value in self.attrs.items()})


class SrcsetImageNode(wagtail_tags.SrcsetImageNode):
    @cached_property
    def filters(self):
        return [Filter(spec=spec) for spec in Filter.expand_spec(self.filter_specs)]

    def get_filters(self):
        return self.filters


NODES = {wagtail_tags.ImageNode: ImageNode, wagtail_tags.SrcsetImageNode: SrcsetImageNode}


def image(parser, token):
    """Wagtail's parsing; our node with the same arguments."""
    node = wagtail_tags.image(parser, token)
    ours = NODES[type(node)]
    return ours(node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs)


register.tag("image", image)
register.tag("srcset_image", image)


# The lead picture's renditions, smallest first: those the product page prefetches.
LEAD_FILTERS = [Filter(spec=spec) for spec in product_display.webp_specs(product_display.MAIN_WIDTHS)]


def _srcset(renditions):
    """ "url 480w, url 800w…", each width once (a small original gives the same width twice)."""
    entries, widths = [], set()
    for rendition in renditions:
        if rendition.width not in widths:
            widths.add(rendition.width)
            entries.append(f"{rendition.url} {rendition.width}w")
    return ", ".join(entries)


@register.simple_tag
def lead_picture(image, alt="", sizes="100vw"):
    """{% lead_picture image alt=… sizes=… %}: a page's first picture, usually the largest thing
    a phone paints (issue 16): never lazy, fetched first (fetchpriority=high), WebP from a srcset.

    Under 60em the choice is among the 480- and 800-px renditions only: at a device pixel ratio
    of 3 a 390-px-wide phone would otherwise take the 1200-px one, two to three times the bytes
    of the 800-px one, on a link that may carry 200 KB a second. Wider screens choose from all
    three with `sizes` (the width the picture takes from 60em).
    """
    if not image:
        return ""
    small, medium, large = get_renditions_or_not_found(image, LEAD_FILTERS).values()
    return format_html(
        '<picture>\n<source media="(max-width: 59.99em)" type="image/webp" sizes="100vw" srcset="{}">\n'
        '<img src="{}" srcset="{}" sizes="(min-width: 60em) {}, 100vw" width="{}" height="{}" alt="{}"'
        ' loading="eager" fetchpriority="high" decoding="async">\n</picture>',
        _srcset([small, medium]),
        small.url,
        _srcset([small, medium, large]),
        sizes,
        small.width,
        small.height,
        alt,
    )
