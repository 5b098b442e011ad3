"""Demo data: the register, the page tree, images and accounts from fixtures/.

Idempotent: register rows are upserted by their natural keys; pages, images and accounts
are created only when missing, so a second run adds nothing and never overwrites what
producers or officials have edited since. Invented values (prices, stock, contacts,
scores) are marked as demo data on the site through SiteSettings.demo_notice.
"""

import csv
import datetime
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from catalog import places, rules, rules_data
from catalog.models import (
    Certificate,
    Commune,
    District,
    MarketplaceListing,
    Producer,
    Product,
    ProductGroup,
    Province,
    SalesChannel,
    Standard,
)
from catalog.rulebook import AuthorityLevel, ScoringSheet
from catalog.translation import is_empty
from cms import roles
from cms.evaluation import demo as evaluation_demo
from cms.lifecycle import demo as lifecycle_demo
from cms.models import (
    AnnouncementCategory,
    AnnouncementDocument,
    AnnouncementIndexPage,
    AnnouncementPage,
    HomePage,
    HomePageFeaturedProduct,
    ProducerIndexPage,
    ProducerPage,
    ProductIndexPage,
    ProductPage,
    ProductPageGalleryImage,
    SalesPointIndexPage,
    SalesPointPage,
    SiteSettings,
)
from cms.oversight import plans as oversight_plans
from cms.oversight.models import Plan

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_NOTICE = (
    "Dữ liệu minh hoạ: giá, tồn kho, điểm số, số quyết định (trừ 377/QĐ-BNN-VPĐP của Mật ong "
    "Phương Di) và thông tin liên hệ là giả định. Demo data: prices, stock, scores, decision "
    "numbers (except 377/QĐ-BNN-VPĐP, Phương Di honey) and contacts are invented."
)
ANNOUNCEMENT_CATEGORIES = {
    # slug: (Vietnamese, English)
    "thong-bao": ("Thông báo", "Notices"),
    "tin-tuc": ("Tin tức", "News"),
    "su-kien": ("Sự kiện", "Events"),
    "van-ban": ("Văn bản", "Documents"),
}
INDEX_PAGES = (
    # (model, slug, title, intro)
    (ProductIndexPage, "san-pham", "Sản phẩm OCOP", "Các sản phẩm đạt chứng nhận OCOP từ 3 sao trở lên."),
    (ProducerIndexPage, "chu-the", "Chủ thể OCOP", "Hợp tác xã, doanh nghiệp và hộ sản xuất có sản phẩm OCOP."),
    (AnnouncementIndexPage, "tin-tuc", "Tin tức và thông báo", "Thông tin từ cơ quan quản lý chương trình OCOP."),
    (SalesPointIndexPage, "diem-ban", "Điểm bán sản phẩm OCOP", "Nơi giới thiệu và bán sản phẩm OCOP."),
)
# Who a recognition decision names depends on its day: the old provinces of Đắk Nông and Gia
# Lai until the provinces merged (01/07/2025), the ministry by its name before and after the
# ministries merged (01/03/2025).
PROVINCES_MERGED = datetime.date(2025, 7, 1)
# The day the invented decision dates of fixtures/products.csv were chosen for: on it, some
# current certificates are expiring and some have expired (fixtures/README.md).
DEMO_DAY = datetime.date(2026, 12, 2)
MINISTRY_RENAMED = datetime.date(2025, 3, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    email: str
    first_name: str
    last_name: str
    producer_slug: str


def read_csv(name):
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return [
            {key: unicodedata.normalize("NFC", (value or "").strip()) for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def english(name):
    """fixtures/en/<name>: English text by slug (columns named after the page's `_en` fields)."""
    return {row.pop("slug"): row for row in read_csv(f"en/{name}")}


def english_fields(translations, slug):
    """The `_en` fields for a new page; `search_description_en` follows `intro_en`.

    Any further `<field>_en` column is the page's field of that name: `story_en` and
    `body_en` are paragraphs separated by "|" (as in the Vietnamese fixtures),
    `description_en` one paragraph of rich text, the others plain text.
    """
    row = translations.get(slug)
    if not row:
        return {}
    fields = {"title_en": row.get("title_en") or row.get("name_en", "")}
    if row.get("intro_en"):
        fields["intro_en"] = row["intro_en"]
        fields["search_description_en"] = row["intro_en"]
    for name, value in row.items():
        if name in ("title_en", "name_en", "intro_en") or not value:
            continue
        if name in ("story_en", "body_en"):
            fields[name] = story_blocks(value)
        elif name == "description_en":
            fields[name] = f"<p>{escape(value)}</p>"
        else:
            fields[name] = value
    return fields


def demo_accounts():
    return [DemoAccount(**row) for row in read_csv("demo_accounts.csv")]


def paragraphs(text):
    return [p.strip() for p in text.split("|") if p.strip()]


def story_blocks(text):
    return [("paragraph", f"<p>{escape(p)}</p>") for p in paragraphs(text)]


def demo_image(title, seed, collection):
    """A small generated picture (no hot-linking): a colour field with soft circles."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    digest = hashlib.sha256(seed.encode()).digest()
    base = (40 + digest[0] % 120, 90 + digest[1] % 120, 40 + digest[2] % 100)
    picture = PILImage.new("RGB", (800, 600), base)
    draw = ImageDraw.Draw(picture)
    for i in range(6):
        x, y, r = digest[3 + i] * 3, digest[10 + i] * 2 + 40, 60 + digest[17 + i] % 140
        shade = tuple(min(255, c + 30 + (digest[24 + i] % 60)) for c in base)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    image = get_image_model()(title=title, collection=collection)
    image.file = ImageFile(buffer, name=f"{seed}.jpg")
    image.save()
    return image


GALLERY_CAPTIONS = [("Cận cảnh sản phẩm", "Close-up"), ("Đóng gói", "Packaging")]  # (Vietnamese, English)


def gallery_size(slug):
    """How many further pictures a demo product gets: 0, 1 or 2, fixed by its slug."""
    return hashlib.sha256(slug.encode()).digest()[0] % 3


def register_document(today):
    """The list of certified products as a CSV document (what officials publish with a decision)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Sản phẩm", "Chủ thể", "Hạng sao", "Số quyết định", "Ngày quyết định", "Hiệu lực đến"])
    for certificate in (
        Certificate.objects.certified(today).select_related("product__producer").order_by("-stars", "product__name")
    ):
        product = certificate.product
        writer.writerow(
            [
                product.name,
                product.producer.name,
                certificate.stars,
                certificate.decision_number,
                certificate.decision_date.strftime("%d/%m/%Y"),
                certificate.expiry_date.strftime("%d/%m/%Y"),
            ]
        )
    document = get_document_model()(title="Danh sách sản phẩm OCOP còn hiệu lực (dữ liệu minh hoạ)")
    document.file = ContentFile(("\ufeff" + buffer.getvalue()).encode("utf-8"), name="danh-sach-san-pham-ocop.csv")
    document.save()
    return document


def parse_date(text):
    return datetime.date.fromisoformat(text) if text else None


def recognition(producer, stars, day):
    """(level, issuer) of a decision recognising `stars` for `producer` on `day`: the level
    the rule version in force that day gives those stars (RuleSet.level_for), the body as it
    was named then: "UBND huyện …" (the producer's historical district), the province before
    or after the merger, or the ministry."""
    level = rules.rule_set_on(day).level_for(stars).level
    if level == AuthorityLevel.DISTRICT:
        name = producer.district.name  # "Huyện Krông Nô", "Thành phố Gia Nghĩa"
        return level, f"UBND {name[0].lower()}{name[1:]}"
    if level == AuthorityLevel.PROVINCE:
        old = day < PROVINCES_MERGED and producer.district is not None
        return level, f"UBND tỉnh {producer.district.former_province if old else producer.province.name}"
    ministry = "Phát triển nông thôn" if day < MINISTRY_RENAMED else "Môi trường"
    return level, f"Bộ Nông nghiệp và {ministry}"


def evaluation_kinds(stars):
    """The kind of each of a product's decisions, oldest first, given their stars: the first is
    the first evaluation; a later one with more stars than the one before it is an upgrade,
    any other a re-evaluation (the rule of catalog/migrations/0013)."""
    kinds, previous = [], None
    for n in stars:
        if previous is None:
            kinds.append(Certificate.Kind.FIRST)
        else:
            kinds.append(Certificate.Kind.UPGRADE if n > previous else Certificate.Kind.REEVALUATION)
        previous = n
    return kinds


def publish(page):
    page.save_revision(log_action=False).publish(log_action=False)
    return page


class DemoLoader:
    """Loads everything; `progress(iterable, desc=label)` wraps each long loop (tqdm's signature)."""

    def __init__(self, progress=None, today=None, evaluation=True):
        self.progress = progress or (lambda iterable, desc: iterable)
        self.today = today or timezone.localdate()
        self.evaluation = evaluation
        self.created = {}

    def count(self, key, created=True):
        if created:
            self.created[key] = self.created.get(key, 0) + 1

    def run(self):
        self.pages_en = english("pages.csv")
        self.producers_en = english("producers.csv")
        self.products_en = english("products.csv")
        self.announcements_en = english("announcements.csv")
        self.sales_points_en = english("sales_points.csv")
        roles.ensure_roles()
        self.load_register()
        home = self.ensure_home()
        indexes = self.ensure_indexes(home)
        self.load_producers(indexes[ProducerIndexPage])
        self.load_products()
        self.load_certificates()
        self.load_sales_channels()
        self.load_listings()
        pages = dict(ProductPage.objects.values_list("slug", "register_product_id"))
        inspections = lifecycle_demo.load(self.today, read_csv("inspections_demo.csv"), pages)
        if inspections:
            self.created["inspections"] = inspections
        self.load_announcements(indexes[AnnouncementIndexPage])
        self.load_sales_points(indexes[SalesPointIndexPage])
        self.feature_products(home)
        self.load_accounts()
        if self.evaluation:
            dossiers = evaluation_demo.load(demo_accounts(), self.today, read_csv("evaluation_demo.csv"))
            if dossiers:
                self.created["dossiers"] = dossiers
        if not Plan.objects.exists():
            self.created["plan targets"] = oversight_plans.load().targets
        roles.assign_moderation()
        self.translate_existing_pages()
        return self.created

    # The register -----------------------------------------------------------------
    @transaction.atomic
    def load_register(self):
        for row in read_csv("places/provinces.csv"):
            _, created = Province.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "slug": row["slug"]}
            )
            self.count("provinces", created)
        provinces = {p.code: p for p in Province.objects.all()}
        for row in read_csv("places/districts.csv"):
            _, created = District.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "former_province": row["former_province"],
                    "province": provinces[row["province_code"]],
                },
            )
            self.count("districts", created)
        districts = {d.slug: d for d in District.objects.all()}
        for row in read_csv("places/communes.csv"):
            _, created = Commune.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "province": provinces[row["province_code"]],
                    "district": districts.get(row["district_slug"]),
                },
            )
            self.count("communes", created)
        # Then every other current commune, so addresses can name any of them.
        for key, n in places.load(progress=self.progress).items():
            if n:
                self.created[key] = self.created.get(key, 0) + n
        for row in read_csv("groups.csv"):
            _, created = ProductGroup.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "parent": ProductGroup.objects.get(code=row["parent_code"]) if row["parent_code"] else None,
                    "requires_shipping": row["requires_shipping"] == "1",
                },
            )
            self.count("product groups", created)
        for row in read_csv("standards.csv"):
            _, created = Standard.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "name_en": row["name_en"]}
            )
            self.count("standards", created)
        if not ScoringSheet.objects.exists():
            # The rule versions' levels decide who recognised each demo certificate.
            rules_data.load(progress=self.progress)
        communes = {c.code: c for c in Commune.objects.all()}
        for row in read_csv("producers.csv"):
            producer = Producer.objects.filter(slug=row["slug"]).first() or Producer(slug=row["slug"])
            created = producer.pk is None
            producer.name = row["name"]
            producer.legal_form = row["legal_form"]
            producer.size = row["size"]
            producer.province = provinces[row["province_code"]]
            producer.commune = communes.get(row["commune_code"])
            producer.district = districts.get(row["district_slug"])
            producer.address = row["address"]
            producer.phone = row["phone"]
            producer.email = row["email"]
            producer.representative = row["representative"]
            producer.women_led = row["women_led"] == "1"
            producer.ethnic_minority_led = row["ethnic_minority_led"] == "1"
            producer.founded_year = int(row["founded_year"]) if row["founded_year"] else None
            producer.full_clean()
            producer.save()
            self.count("producers", created)

    # The page tree ----------------------------------------------------------------
    @transaction.atomic
    def ensure_home(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(
                    title="Sản phẩm OCOP Lâm Đồng – Gia Lai",
                    slug="trang-chu",
                    intro="Giới thiệu và bán các sản phẩm đạt chứng nhận Chương trình mỗi xã một sản phẩm (OCOP).",
                    **english_fields(self.pages_en, "trang-chu"),
                )
            )
            publish(home)
            site = Site.objects.filter(is_default_site=True).first()
            old_root = site.root_page if site else None
            if site:
                site.root_page = home
                site.site_name = "OCOP"
                site.save()
            else:
                Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="OCOP")
            if old_root and old_root.pk != home.pk and not old_root.get_children().exists():
                old_root.delete()
            self.count("pages")
        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        if not site_settings.demo_notice:
            site_settings.demo_notice = DEMO_NOTICE
            site_settings.contact_email = "ocop@example.vn"
            site_settings.save()
        return home

    @transaction.atomic
    def ensure_indexes(self, home):
        indexes = {}
        for model, slug, title, intro in INDEX_PAGES:
            page = model.objects.child_of(home).first()
            if page is None:
                english_text = english_fields(self.pages_en, slug)
                if english_text.get("intro_en"):
                    english_text["intro_en"] = f"<p>{escape(english_text['intro_en'])}</p>"
                page = home.add_child(
                    instance=model(
                        title=title, slug=slug, intro=f"<p>{escape(intro)}</p>", show_in_menus=True, **english_text
                    )
                )
                publish(page)
                self.count("pages")
            indexes[model] = page
        return indexes

    def load_producers(self, index):
        rows = read_csv("producers.csv")
        for row in self.progress(rows, desc="producers"):
            producer = Producer.objects.get(slug=row["slug"])
            if not ProducerPage.objects.filter(producer=producer).exists():
                with transaction.atomic():
                    page = index.add_child(
                        instance=ProducerPage(
                            title=producer.name,
                            slug=producer.slug,
                            producer=producer,
                            # The summary is the page's intro; repeating it as the story showed
                            # the same paragraph twice (the producer writes the story).
                            intro=row["summary"][:255],
                            **english_fields(self.producers_en, producer.slug),
                        )
                    )
                    publish(page)
                self.count("pages")

    def load_products(self):
        rows = read_csv("products.csv")
        groups = {g.code: g for g in ProductGroup.objects.all()}
        standards = {s.code: s for s in Standard.objects.all()}
        history = self.certificate_history()
        for row in self.progress(rows, desc="products"):
            with transaction.atomic():
                self.load_product(row, groups, standards, self.first_published(row, history))

    def certificate_history(self):
        """{product slug: [rows of certificate_history.csv]}"""
        history = {}
        for row in read_csv("certificate_history.csv"):
            history.setdefault(row["product_slug"], []).append(row)
        return history

    def load_product(self, row, groups, standards, first_published=None):
        producer_page = ProducerPage.objects.select_related("producer").get(producer__slug=row["producer_slug"])
        product = ProductPage.objects.child_of(producer_page).filter(slug=row["slug"]).first()
        if product is None:
            english = english_fields(self.products_en, row["slug"])
            registered = Product.objects.create(
                name=row["name"],
                name_en=english.get("title_en", ""),
                producer=producer_page.producer,
                group=groups[row["group_code"]],
            )
            image = demo_image(row["name"], row["slug"], producer_page.producer.collection)
            gallery = [
                ProductPageGalleryImage(
                    image=demo_image(
                        f"{row['name']} ({n + 2})", f"{row['slug']}-{n + 2}", producer_page.producer.collection
                    ),
                    caption=caption,
                    caption_en=caption_en,
                )
                for n, (caption, caption_en) in enumerate(GALLERY_CAPTIONS[: gallery_size(row["slug"])])
            ]
            product = producer_page.add_child(
                instance=ProductPage(
                    title=row["name"],
                    slug=row["slug"],
                    register_product=registered,
                    intro=row["intro"][:255],
                    image=image,
                    story=story_blocks(row["story"]),
                    price=int(row["price_vnd"]) if row["price_vnd"] else None,
                    unit=row["unit"],
                    stock=int(row["stock"] or 0),
                    packaging=row["packaging"],
                    net_weight=int(row["net_weight"] or 0) or None,
                    shelf_life=row["shelf_life"],
                    ingredients=row["ingredients"],
                    raw_material_area=row["raw_material_area"],
                    search_description=row["intro"][:255],
                    gallery_images=gallery,
                    first_published_at=first_published,  # kept by the publication below
                    **english,
                )
            )
            product.standards.set([standards[c] for c in row["standards"].split(";") if c])
            publish(product)
            self.count("pages")

    def load_certificates(self):
        """Each product's certificates, oldest first: the earlier ones of
        certificate_history.csv, then its current one of products.csv (both on fixed dates:
        the one real decision on its real date, the invented ones on dates chosen for a demo
        loaded in December 2026, fixtures/README.md). Each gets the kind its place in the row gives
        it (evaluation_kinds), the rule version in force on its day (Certificate.save) and
        the level and issuer that version gives its stars (recognition)."""
        history = self.certificate_history()
        pages = dict(ProductPage.objects.values_list("slug", "register_product_id"))
        rows = read_csv("products.csv")
        for row in self.progress(rows, desc="certificates"):
            product = Product.objects.select_related("producer__district", "producer__province").get(
                pk=pages[row["slug"]]
            )
            decisions = [
                {
                    **earlier,
                    "decision_date": datetime.date.fromisoformat(earlier["decision_date"]),
                    "stars": int(earlier["stars"]),
                }
                for earlier in history.get(row["slug"], [])
            ]
            if row["decision_number"]:
                current = {key: row[key] for key in ("decision_number", "score_a", "score_b", "score_c")}
                current["decision_date"] = datetime.date.fromisoformat(row["decision_date"])
                current["stars"] = rules.stars_for_score(sum(Decimal(current[f"score_{p}"]) for p in "abc"))
                current["revoked"] = row["revoked"] == "1"
                decisions.append(current)
            decisions.sort(key=lambda d: d["decision_date"])
            kinds = evaluation_kinds([d["stars"] for d in decisions])
            with transaction.atomic():
                for decision, kind in zip(decisions, kinds, strict=True):
                    self.load_certificate(product, decision, kind)

    def first_published(self, row, history):
        """When a new product page counts as first published: as if the site had published it
        soon after the product's first decision (7–60 days, fixed by the slug), since the
        plans count the products on the website by a date. None without a decision."""
        dates = [datetime.date.fromisoformat(earlier["decision_date"]) for earlier in history.get(row["slug"], [])]
        if row["decision_number"]:
            dates.append(datetime.date.fromisoformat(row["decision_date"]))
        if not dates:
            return None
        day = min(dates) + datetime.timedelta(days=7 + hashlib.sha256(row["slug"].encode()).digest()[1] % 54)
        return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))), timezone.now())

    def load_certificate(self, product, decision, kind):
        certificate = Certificate.objects.filter(product=product, decision_number=decision["decision_number"]).first()
        if certificate is not None:
            if certificate.kind != kind:
                # A register loaded before the history had this one as the first: correct the
                # row and its history rows alike, as catalog/migrations/0013 did.
                Certificate.objects.filter(pk=certificate.pk).update(kind=kind)
                Certificate.history.filter(id=certificate.pk).update(kind=kind)
                self.count("certificate kinds corrected")
            return
        level, issuer = recognition(product.producer, decision["stars"], decision["decision_date"])
        certificate = Certificate(
            product=product,
            decision_number=decision["decision_number"],
            decision_date=decision["decision_date"],
            kind=kind,
            level=level,
            issuer=issuer,
            stars=decision["stars"],
            score_a=Decimal(decision["score_a"]),
            score_b=Decimal(decision["score_b"]),
            score_c=Decimal(decision["score_c"]),
        )
        if decision.get("revoked"):
            self.demo_revocation(certificate)
        certificate.full_clean()
        certificate.save()
        self.count("certificates")

    def demo_revocation(self, certificate):
        """A revocation on inspection, 20 days ago, by whoever the rules then in force give
        (the demo's revoked product)."""
        certificate.revoked_on = self.today - datetime.timedelta(days=20)
        level, issuer = recognition(certificate.product.producer, certificate.stars, certificate.revoked_on)
        certificate.revocation_ground = Certificate.Ground.CRITERIA_NOT_KEPT
        certificate.revocation_decision_number = f"{certificate.decision_number.split('/')[0]}-TH/QĐ-UBND"
        certificate.revocation_level = level
        certificate.revocation_issuer = issuer
        certificate.revocation_reason = (
            "Hậu kiểm cho thấy sản phẩm không còn đáp ứng tiêu chí chất lượng (dữ liệu minh hoạ)"
        )

    def load_sales_channels(self):
        """Where each producer sells (fixtures/sales_channels.csv), dated since/until."""
        producers = {p.slug: p for p in Producer.objects.all()}
        for row in self.progress(read_csv("sales_channels.csv"), desc="sales channels"):
            _, created = SalesChannel.objects.get_or_create(
                producer=producers[row["producer_slug"]],
                kind=row["kind"],
                name=row["name"],
                since=parse_date(row["since"]),
                defaults={"until": parse_date(row["until"])},
            )
            self.count("sales channels", created)

    def load_listings(self):
        """Products' pages on e-commerce platforms (fixtures/marketplace_listings.csv); the
        last check `checked_days_ago` days before today, none for a removed listing."""
        pages = dict(ProductPage.objects.values_list("slug", "register_product_id"))
        for row in self.progress(read_csv("marketplace_listings.csv"), desc="marketplace listings"):
            product_id = pages[row["product_slug"]]
            if MarketplaceListing.objects.filter(product_id=product_id, url=row["url"]).exists():
                continue
            listing = MarketplaceListing(
                product_id=product_id,
                platform=row["platform"],
                url=row["url"],
                listed_since=parse_date(row["listed_since"]),
                until=parse_date(row["until"]),
            )
            if row["checked_days_ago"]:
                listing.checked_on = self.today - datetime.timedelta(days=int(row["checked_days_ago"]))
            listing.full_clean()
            listing.save()
            self.count("marketplace listings")

    def load_announcements(self, index):
        categories = {}
        for slug, (name, name_en) in ANNOUNCEMENT_CATEGORIES.items():
            categories[slug], created = AnnouncementCategory.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en}
            )
            if not categories[slug].name_en:
                categories[slug].name_en = name_en
                categories[slug].save(update_fields=["name_en"])
            self.count("announcement categories", created)
        rows = read_csv("announcements.csv")
        register_attached = False
        for row in self.progress(rows, desc="announcements"):
            if not AnnouncementPage.objects.child_of(index).filter(slug=row["slug"]).exists():
                with transaction.atomic():
                    page = index.add_child(
                        instance=AnnouncementPage(
                            title=row["title"],
                            slug=row["slug"],
                            date=self.today - datetime.timedelta(days=int(row["days_ago"])),
                            category=categories.get(row["category"]),
                            intro=row["intro"][:300],
                            body=story_blocks(row["body"]),
                            search_description=row["intro"][:255],
                            **english_fields(self.announcements_en, row["slug"]),
                        )
                    )
                    if row["category"] == "van-ban" and not register_attached:
                        # One document announcement carries the register as a CSV attachment.
                        AnnouncementDocument.objects.create(
                            page=page, document=register_document(self.today), sort_order=0
                        )
                        register_attached = True
                    publish(page)
                self.count("pages")

    def load_sales_points(self, index):
        provinces = {p.code: p for p in Province.objects.all()}
        communes = {c.code: c for c in Commune.objects.all()}
        districts = {d.slug: d for d in District.objects.all()}
        rows = read_csv("sales_points.csv")
        for row in self.progress(rows, desc="sales points"):
            page = SalesPointPage.objects.child_of(index).filter(slug=row["slug"]).first()
            if page is None:
                with transaction.atomic():
                    page = index.add_child(
                        instance=SalesPointPage(
                            title=row["name"],
                            slug=row["slug"],
                            address=row["address"],
                            province=provinces[row["province_code"]],
                            commune=communes.get(row["commune_code"]),
                            district=districts.get(row["district_slug"]),
                            opened_on=parse_date(row["opened_on"]),
                            latitude=row["latitude"] or None,
                            longitude=row["longitude"] or None,
                            opening_hours=row["opening_hours"],
                            phone=row["phone"],
                            email=row["email"],
                            description=f"<p>{escape(row['description'])}</p>",
                            **english_fields(self.sales_points_en, row["slug"]),
                        )
                    )
                    publish(page)
                self.count("pages")
            elif page.opened_on is None and row["opened_on"]:
                # Loaded before sales points had an opening day: give it, once.
                page.opened_on = parse_date(row["opened_on"])
                page.district = page.district or districts.get(row["district_slug"])
                with transaction.atomic():
                    publish(page)
                self.count("sales point opening days")

    def translate_existing_pages(self):
        """Give pages loaded before (some of) their English existed that English, once.

        Only English fields that are still empty are filled, so a second run and anything
        an editor has written since are left alone.
        """
        sources = [
            (HomePage, self.pages_en, False),
            (ProductIndexPage, self.pages_en, True),
            (ProducerIndexPage, self.pages_en, True),
            (AnnouncementIndexPage, self.pages_en, True),
            (SalesPointIndexPage, self.pages_en, True),
            (ProducerPage, self.producers_en, False),
            (ProductPage, self.products_en, False),
            (AnnouncementPage, self.announcements_en, False),
            (SalesPointPage, self.sales_points_en, False),
        ]
        captions = dict(GALLERY_CAPTIONS)
        for model, translations, rich_intro in sources:
            for page in model.objects.filter(slug__in=list(translations)):
                fields = english_fields(translations, page.slug)
                if rich_intro and fields.get("intro_en"):
                    fields["intro_en"] = f"<p>{escape(fields['intro_en'])}</p>"
                missing = {name: value for name, value in fields.items() if is_empty(getattr(page, name))}
                for name, value in missing.items():
                    setattr(page, name, value)
                if model is ProductPage:
                    gallery = list(page.gallery_images.all())
                    for item in gallery:
                        if not item.caption_en and item.caption in captions:
                            item.caption_en = captions[item.caption]
                            missing["caption_en"] = item.caption_en
                    page.gallery_images = gallery  # kept in memory, so the revision has them
                if not missing:
                    continue
                with transaction.atomic():
                    publish(page)
                self.count("English translations")

    @transaction.atomic
    def feature_products(self, home):
        if home.featured_products.exists():
            return
        best = ProductPage.objects.live().certified(self.today).order_by("-current_stars", "title")[:6]
        for order, product in enumerate(best):
            HomePageFeaturedProduct.objects.create(page=home, product=product, sort_order=order)
        publish(HomePage.objects.get(pk=home.pk))

    @transaction.atomic
    def load_accounts(self):
        User = get_user_model()
        for account in demo_accounts():
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = User(
                    username=account.username,
                    email=account.email,
                    first_name=account.first_name,
                    last_name=account.last_name,
                )
                user.set_password(account.password)
                if account.role == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
                self.count("accounts")
            if account.role == "official":
                roles.add_official_account(user)
            elif account.role == "producer":
                roles.add_producer_account(Producer.objects.get(slug=account.producer_slug), user)
