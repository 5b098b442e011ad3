"""StreamField blocks for product stories, producer stories and announcements."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, max_length=250, label=_("caption"))
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        label=_("alternative text"),
        help_text=_("Describe the image for people who cannot see it."),
    )

    class Meta:
        icon = "image"
        template = "cms/blocks/image_block.html"
        label = _("Image")


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=150, label=_("title"))
    images = blocks.ListBlock(ImageBlock(), min_num=1, label=_("images"))

    class Meta:
        icon = "doc-full-inverse"
        template = "cms/blocks/gallery_block.html"
        label = _("Gallery")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(required=False, max_length=150, label=_("who said it"))

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote_block.html"
        label = _("Quote")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video link"), help_text=_("A YouTube or Vimeo address."))
    caption = blocks.CharBlock(required=False, max_length=250, label=_("caption"))

    class Meta:
        icon = "media"
        template = "cms/blocks/video_block.html"
        label = _("Video")


def heading_block():
    """A section heading, the same in stories and announcements."""
    return blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="cms/blocks/heading_block.html",
        label=_("Heading"),
    )


class StoryBlock(blocks.StreamBlock):
    """The blocks a product's or a producer's story is made of."""

    heading = heading_block()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="cms/blocks/paragraph_block.html",
        label=_("Paragraph"),
    )
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    video = VideoBlock()


class AnnouncementBodyBlock(blocks.StreamBlock):
    """Body blocks of an announcement: text, images, quotes."""

    heading = heading_block()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"],
        icon="pilcrow",
        template="cms/blocks/paragraph_block.html",
        label=_("Paragraph"),
    )
    image = ImageBlock()
    quote = QuoteBlock()
