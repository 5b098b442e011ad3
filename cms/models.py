"""Wagtail page types of the showcase, and the site settings.

The tree is locked by parent/subpage types:
    HomePage
    ├── ProductIndexPage            (lists certified products; has no children)
    ├── ProducerIndexPage
    │   └── ProducerPage            (edited by the producer's accounts, moderated)
    │       └── ProductPage         (idem)
    ├── AnnouncementIndexPage       (with RSS and Atom feeds)
    │   └── AnnouncementPage
    └── SalesPointIndexPage
        └── SalesPointPage
"""

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from catalog import rules
from catalog.models import Product, current_stars
from catalog.translation import TranslatedField, english_active
from cms import feeds, product_display, stats, views
from cms.blocks import AnnouncementBodyBlock, StoryBlock
from cms.forms import ImageScopedPageForm
from cms.routing import DirectRouteMixin
from cms.translation import EnglishTabMixin

PAGE_SIZE = 12


def paginate(request, queryset, per_page=PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class TranslatedPage(EnglishTabMixin, Page):
    """A page whose title, description and the fields subclasses add also exist in English.

    See cms/translation.py for why the English text sits beside the Vietnamese on one page.
    """

    title_en = models.CharField(
        _("English title"), max_length=255, blank=True, help_text=_("Empty: the Vietnamese title is shown.")
    )
    search_description_en = models.TextField(_("English search description"), blank=True)

    translated_title = TranslatedField("title")
    translated_search_description = TranslatedField("search_description")

    english_panels = [FieldPanel("title_en"), FieldPanel("search_description_en")]
    # Only images the editor may choose, whatever a crafted POST carries (cms/forms.py).
    base_form_class = ImageScopedPageForm

    class Meta:
        abstract = True

    @property
    def document_title(self):
        """The <title>: the SEO title in Vietnamese when set, else the title in the page's language."""
        if self.seo_title and not english_active():
            return self.seo_title
        return self.translated_title


def english_intro(rich=False, max_length=255, verbose_name=_("English introduction")):
    if rich:
        return RichTextField(verbose_name, blank=True, features=["bold", "italic", "link"])
    return models.CharField(verbose_name, max_length=max_length, blank=True)


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Site-wide texts an official can change."""

    demo_notice = models.CharField(
        _("demo data notice"),
        max_length=255,
        blank=True,
        help_text=_("Shown on every page while the site holds demo data. Empty hides it."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    footer_text = models.CharField(_("footer text"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("site settings")


class HomePage(DirectRouteMixin, TranslatedPage):
    """The front page: featured products, latest announcements and counts of the register."""

    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True, features=["bold", "italic", "link"])
    intro_en = english_intro()
    body_en = RichTextField(_("English body"), blank=True, features=["bold", "italic", "link"])

    translated_intro = TranslatedField("intro")
    translated_body = TranslatedField("body")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("featured_products", label=_("featured products"), max_num=8),
    ]
    english_panels = TranslatedPage.english_panels + [FieldPanel("intro_en"), FieldPanel("body_en")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ProductIndexPage",
        "cms.ProducerIndexPage",
        "cms.AnnouncementIndexPage",
        "cms.SalesPointIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured_ids = list(self.featured_products.values_list("product_id", flat=True))
        certified = ProductPage.objects.live().certified().with_producer().select_related("image")
        if featured_ids:
            # Officials' choice, in their order; a product that lost its certificate drops out.
            featured = sorted(certified.filter(pk__in=featured_ids), key=lambda p: featured_ids.index(p.pk))
        else:
            featured = certified.order_by("-current_stars", "title")[:8]
        context["featured_products"] = featured
        context["latest_announcements"] = AnnouncementPage.objects.live().order_by("-date", "-pk")[:5]
        context["counts"] = stats.certified_counts(ProductPage.objects.live().certified().with_producer())
        context["product_index"] = ProductIndexPage.objects.live().first()
        context["announcement_index"] = AnnouncementIndexPage.objects.live().first()
        return context


class HomePageFeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "cms.ProductPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )

    panels = [FieldPanel("product")]


class ProductPageQuerySet(PageQuerySet):
    def with_producer(self):
        """Annotate the register product's producer: id, name and its page's English title."""
        producer_page = ProducerPage.objects.filter(producer=OuterRef("register_product__producer"))
        return self.annotate(
            producer_pk=F("register_product__producer_id"),
            producer_name=F("register_product__producer__name"),
            producer_name_en=Subquery(producer_page.values("title_en")[:1]),
        )

    def with_certification(self, today=None):
        """Annotate `current_stars`, the stars of the register product's certificate in force."""
        return self.annotate(current_stars=current_stars(OuterRef("register_product_id"), today))

    def certified(self, today=None):
        """Pages of certified register products (catalog.rules: in force, 3★ or more)."""
        return self.with_certification(today).filter(current_stars__gte=rules.min_certified_stars())


ProductPageManager = PageManager.from_queryset(ProductPageQuerySet)


class IndexPage(TranslatedPage):
    """A list page under the home page (one of each kind): a title and a rich introduction."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    intro_en = english_intro(rich=True)

    translated_intro = TranslatedField("intro")

    content_panels = Page.content_panels + [FieldPanel("intro")]
    english_panels = TranslatedPage.english_panels + [FieldPanel("intro_en")]

    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


class ProductIndexPage(IndexPage):
    """The list of certified products, filterable by group, historical district and stars."""

    subpage_types = []

    class Meta:
        verbose_name = _("product list")

    # Its results, filters, facet counts, sorting and pages are the search's own: the template
    # renders them with search's {% product_listing %} tag (this package never imports search).


class ProducerIndexPage(IndexPage):
    """The list of producers; their pages live under it."""

    subpage_types = ["cms.ProducerPage"]

    class Meta:
        verbose_name = _("producer list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        producers = (
            ProducerPage.objects.child_of(self)
            .live()
            .select_related("producer", "producer__province", "producer__district", "image")
            .order_by("title")
        )
        context["producers"] = paginate(request, producers, per_page=24)
        return context


class ProducerPage(TranslatedPage):
    """A producer's own page: its story and its products (children).

    Which register entry the page presents is set by officials only; the producer's
    accounts edit the story, and their changes wait for an official's approval.
    """

    producer = models.OneToOneField(
        "catalog.Producer",
        on_delete=models.PROTECT,
        related_name="page",
        verbose_name=_("producer in the register"),
    )
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main image"),
    )
    story = StreamField(StoryBlock(), blank=True, verbose_name=_("story"))
    intro_en = english_intro()
    story_en = StreamField(StoryBlock(), blank=True, verbose_name=_("English story"))

    translated_intro = TranslatedField("intro")
    translated_story = TranslatedField("story")

    content_panels = Page.content_panels + [
        FieldPanel("producer", permission="catalog.change_producer"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("story"),
    ]
    english_panels = TranslatedPage.english_panels + [FieldPanel("intro_en"), FieldPanel("story_en")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("story")]

    parent_page_types = ["cms.ProducerIndexPage"]
    subpage_types = ["cms.ProductPage"]
    seo_kind = "profile"

    class Meta:
        verbose_name = _("producer page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = (
            ProductPage.objects.child_of(self)
            .live()
            .with_certification()
            .select_related("image", "register_product__group")
            .order_by("title")
        )
        return context


class CertificatePanel(Panel):
    """Shows the product's certificates read-only in the edit form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/panels/certificate_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            product = getattr(self.instance, "register_product", None) if self.instance else None
            context["certificates"] = product.certificates.all() if product is not None else []
            return context


class ProductPageForm(ImageScopedPageForm):
    """The register product a page presents: one of its producer's that has no page yet.

    Enforced on the server for every editor, whatever the form's choices showed.
    """

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        field = self.fields.get("register_product")
        if field is None:
            return
        choices = Product.objects.select_related("group")
        producer_page = parent_page.specific if parent_page is not None else None
        producer_id = getattr(producer_page, "producer_id", None)
        if producer_id is None and self.instance.pk:
            producer_id = getattr(self.instance.producer, "pk", None)
        if producer_id is not None:
            choices = choices.filter(producer_id=producer_id)
        field.queryset = choices.filter(Q(page__isnull=True) | Q(page__pk=self.instance.pk))


class ProductPage(RoutablePageMixin, TranslatedPage):
    """One OCOP product's web page: its story, specifications, price and stock, written by
    its producer.

    It presents one register product (`register_product`), which owns the official facts:
    name in the register, producer, group, certificates (score, stars, validity), shown here
    read-only; `current_certificate` is the one in force.
    """

    register_product = models.OneToOneField(
        "catalog.Product",
        on_delete=models.PROTECT,
        null=True,  # a copy of a page presents no product until one is chosen
        related_name="page",
        verbose_name=_("product in the register"),
    )
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main image"),
    )
    story = StreamField(StoryBlock(), blank=True, verbose_name=_("story"))
    price = models.PositiveIntegerField(
        _("price (VND)"), null=True, blank=True, help_text=_("Whole đồng, e.g. 185000.")
    )
    unit = models.CharField(_("sales unit"), max_length=30, blank=True, help_text=_("E.g. hộp, chai, kg."))
    stock = models.PositiveIntegerField(_("stock"), default=0)
    packaging = models.CharField(_("packaging"), max_length=150, blank=True)
    net_weight = models.PositiveIntegerField(_("net weight (g)"), null=True, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    ingredients = models.TextField(_("ingredients"), blank=True)
    standards = ParentalManyToManyField(
        "catalog.Standard", blank=True, related_name="products", verbose_name=_("standards held")
    )
    raw_material_area = models.CharField(_("raw-material area"), max_length=255, blank=True)
    intro_en = english_intro()
    story_en = StreamField(StoryBlock(), blank=True, verbose_name=_("English story"))
    unit_en = models.CharField(_("English sales unit"), max_length=30, blank=True, help_text=_("E.g. box, bottle, kg."))
    packaging_en = models.CharField(_("English packaging"), max_length=150, blank=True)
    shelf_life_en = models.CharField(_("English shelf life"), max_length=100, blank=True)
    ingredients_en = models.TextField(_("English ingredients"), blank=True)
    raw_material_area_en = models.CharField(_("English raw-material area"), max_length=255, blank=True)

    translated_intro = TranslatedField("intro")
    translated_story = TranslatedField("story")
    translated_unit = TranslatedField("unit")
    translated_packaging = TranslatedField("packaging")
    translated_shelf_life = TranslatedField("shelf_life")
    translated_ingredients = TranslatedField("ingredients")
    translated_raw_material_area = TranslatedField("raw_material_area")

    content_panels = Page.content_panels + [
        FieldPanel("register_product", widget=forms.Select),
        FieldPanel("intro"),
        FieldPanel("image"),
        InlinePanel("gallery_images", label=_("more images"), max_num=8),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("price"), FieldPanel("unit"), FieldPanel("stock")]),
            ],
            heading=_("Sales"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("packaging"), FieldPanel("net_weight")]),
                FieldPanel("shelf_life"),
                FieldPanel("ingredients"),
                FieldPanel("standards", widget=forms.CheckboxSelectMultiple),
                FieldPanel("raw_material_area"),
            ],
            heading=_("Specifications"),
        ),
        CertificatePanel(heading=_("OCOP certificate (kept by officials)")),
    ]
    english_panels = TranslatedPage.english_panels + [
        FieldPanel("intro_en"),
        FieldPanel("story_en"),
        MultiFieldPanel(
            [
                FieldPanel("unit_en"),
                FieldPanel("packaging_en"),
                FieldPanel("shelf_life_en"),
                FieldPanel("ingredients_en"),
                FieldPanel("raw_material_area_en"),
            ],
            heading=_("Specifications"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("story"),
        index.FilterField("register_product"),
    ]

    parent_page_types = ["cms.ProducerPage"]
    subpage_types = []
    # A copy presents no product until an official or the producer chooses one.
    exclude_fields_in_copy = ["register_product"]
    base_form_class = ProductPageForm
    seo_kind = "product"

    objects = ProductPageManager()

    class Meta:
        verbose_name = _("product page")

    def with_content_json(self, content):
        """Keep the link to the register product: revisions saved before it was made lack it."""
        page = super().with_content_json(content)
        page.register_product_id = self.register_product_id
        return page

    @property
    def group(self):
        """The register product's group (the register owns it)."""
        return self.register_product.group if self.register_product_id else None

    @property
    def translated_producer_name(self):
        """For listings annotated by `with_producer()`: the producer page's English title in English."""
        if english_active() and getattr(self, "producer_name_en", ""):
            return self.producer_name_en
        return getattr(self, "producer_name", "")

    @cached_property
    def producer_page(self):
        if not self.path:
            return None
        return (
            ProducerPage.objects.filter(path=self.path[: -self.steplen])
            .select_related("producer", "producer__province", "producer__district", "producer__commune")
            .first()
        )

    @property
    def producer(self):
        return self.producer_page.producer if self.producer_page else None

    @property
    def current_certificate(self):
        """The register product's certificate in force, else its latest one, else None."""
        return self.register_product.current_certificate if self.register_product_id else None

    @property
    def is_certified(self):
        return bool(self.register_product_id) and self.register_product.is_certified

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.register_product_id:
            # The product, its group and the group's parent in one query (the specs show both).
            self.register_product = Product.objects.select_related("group__parent").get(pk=self.register_product_id)
        context["certificate"] = self.current_certificate
        context["producer_page"] = self.producer_page
        context["gallery"] = product_display.gallery(self)
        context["traceability_url"] = self.get_full_url(request) or request.build_absolute_uri(self.url or "/")
        return context

    @path("")
    def product_route(self, request):
        return self.render(request)

    @path("qr/", name="qr-svg")
    def qr_svg(self, request):
        """The traceability QR code as an SVG file, to download or put on a printed label."""
        return views.product_qr_svg(request, self)

    @path("tem/", name="label")
    def label(self, request):
        """A printable label: name, producer, stars, certificate and the QR code."""
        return views.product_label(request, self)


class ProductPageGalleryImage(Orderable):
    """A further picture of a product, shown after its main image in the page's gallery."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    caption_en = models.CharField(_("English caption"), max_length=255, blank=True)

    translated_caption = TranslatedField("caption")

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("caption_en")]

    class Meta(Orderable.Meta):
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")


class AnnouncementCategory(models.Model):
    """A category of officials' announcements (snippet)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), unique=True)

    translated_name = TranslatedField("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("announcement category")
        verbose_name_plural = _("announcement categories")

    def __str__(self):
        return self.name


class AnnouncementIndexPage(RoutablePageMixin, IndexPage):
    """The officials' news and announcements, by category, with RSS and Atom feeds."""

    subpage_types = ["cms.AnnouncementPage"]

    class Meta:
        verbose_name = _("announcement list")

    def announcements(self):
        return AnnouncementPage.objects.child_of(self).live().select_related("category").order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        announcements = self.announcements()
        category = request.GET.get("category")
        if category:
            announcements = announcements.filter(category__slug=category)
        context["announcements"] = paginate(request, announcements)
        context["categories"] = AnnouncementCategory.objects.all()
        context["active_category"] = category
        return context

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("rss/", name="rss")
    def rss_feed(self, request):
        return feeds.AnnouncementRssFeed(self)(request)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return feeds.AnnouncementAtomFeed(self)(request)


class AnnouncementPage(TranslatedPage):
    """An official announcement or news item, with attached documents."""

    date = models.DateField(_("date"), default=timezone.localdate)
    category = models.ForeignKey(
        AnnouncementCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("category"),
    )
    intro = models.CharField(_("summary"), max_length=300, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    body = StreamField(AnnouncementBodyBlock(), blank=True, verbose_name=_("body"))
    intro_en = english_intro(max_length=300, verbose_name=_("English summary"))
    body_en = StreamField(AnnouncementBodyBlock(), blank=True, verbose_name=_("English body"))

    translated_intro = TranslatedField("intro")
    translated_body = TranslatedField("body")

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("documents", label=_("attached documents")),
    ]
    english_panels = TranslatedPage.english_panels + [FieldPanel("intro_en"), FieldPanel("body_en")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.AnnouncementIndexPage"]
    subpage_types = []
    seo_kind = "article"

    class Meta:
        verbose_name = _("announcement")


class AnnouncementDocument(Orderable):
    page = ParentalKey(AnnouncementPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    title = models.CharField(_("title"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def display_title(self):
        return self.title or self.document.title


class SalesPointIndexPage(IndexPage):
    """The places where OCOP products can be bought."""

    subpage_types = ["cms.SalesPointPage"]

    class Meta:
        verbose_name = _("sales point list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sales_points"] = (
            SalesPointPage.objects.child_of(self).live().select_related("province", "commune").order_by("title")
        )
        return context


class SalesPointPage(TranslatedPage):
    """A point of sale for OCOP products: where it is, when it opens, how to reach it."""

    address = models.CharField(_("address"), max_length=255)
    province = models.ForeignKey(
        "catalog.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "catalog.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    district = models.ForeignKey(
        "catalog.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("historical district"),
        help_text=_(
            "Leave empty to take the commune's. The plans count sales points per district as it was before 2025."
        ),
    )
    opened_on = models.DateField(
        _("opened on"), null=True, blank=True, help_text=_("Leave empty to count it from its first publication.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul"])
    opening_hours_en = models.CharField(_("English opening hours"), max_length=255, blank=True)
    description_en = RichTextField(_("English description"), blank=True, features=["bold", "italic", "link", "ul"])

    translated_opening_hours = TranslatedField("opening_hours")
    translated_description = TranslatedField("description")

    content_panels = Page.content_panels + [
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("province"), FieldPanel("commune")]),
        FieldRowPanel([FieldPanel("district"), FieldPanel("opened_on")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("opening_hours"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("description"),
    ]
    english_panels = TranslatedPage.english_panels + [FieldPanel("opening_hours_en"), FieldPanel("description_en")]
    search_fields = Page.search_fields + [index.SearchField("address")]

    parent_page_types = ["cms.SalesPointIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("sales point")

    def save(self, *args, **kwargs):
        if self.district_id is None and self.commune_id is not None:
            self.district_id = self.commune.district_id
        super().save(*args, **kwargs)

    @property
    def full_address(self):
        parts = [self.address, self.commune.name if self.commune else "", self.province.name]
        return ", ".join(p for p in parts if p)
