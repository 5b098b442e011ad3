"""Test data: factory_boy factories for the register and builders for the page tree."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site

from catalog import places
from catalog.models import Certificate, Commune, District, Producer, Product, ProductGroup, Province, Standard
from cms import roles
from cms.models import (
    AnnouncementCategory,
    AnnouncementIndexPage,
    AnnouncementPage,
    HomePage,
    ProducerIndexPage,
    ProducerPage,
    ProductIndexPage,
    ProductPage,
    SalesPointIndexPage,
    SalesPointPage,
)

_slugs = itertools.count(1)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "68"
    name = "Lâm Đồng"
    slug = "lam-dong"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    slug = "krong-no"
    name = "Huyện Krông Nô"
    former_province = "Đắk Nông"
    province = factory.SubFactory(ProvinceFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    province = factory.SubFactory(ProvinceFactory)
    district = factory.SubFactory(DistrictFactory)


class ProductGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGroup
        django_get_or_create = ("code",)

    code = "1"
    name = "Thực phẩm"
    name_en = "Food"


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("code",)

    code = "vietgap"
    name = "VietGAP"


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"htx-thu-nghiem-{n}")
    legal_form = Producer.LegalForm.COOPERATIVE
    province = factory.SubFactory(ProvinceFactory)
    district = factory.SubFactory(DistrictFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password("secret-pass-123")


def certificate(product, *, score=(30, 20, 25), age_days=100, revoked_on=None, **kwargs):
    """A certificate of `product`: a register product, or a product page's register product."""
    a, b, c = score
    return Certificate.objects.create(
        product=getattr(product, "register_product", product),
        decision_number=kwargs.pop("decision_number", f"{next(_slugs)}/QĐ-UBND"),
        decision_date=timezone.localdate() - datetime.timedelta(days=age_days),
        level=kwargs.pop("level", Certificate.Level.PROVINCE),
        issuer=kwargs.pop("issuer", "UBND tỉnh Lâm Đồng"),
        score_a=a,
        score_b=b,
        score_c=c,
        revoked_on=revoked_on,
        **(
            {"revocation_ground": Certificate.Ground.CRITERIA_NOT_KEPT, "revocation_reason": "thử"}
            if revoked_on
            else {}
        ),
        **kwargs,
    )


def publish(page):
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def home_page():
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Trang chủ", slug="trang-chu"))
    publish(home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
    )
    for page in Page.objects.filter(depth=2).exclude(pk=home.pk):
        page.delete()
    return home


def index_page(model, slug):
    home = home_page()
    page = model.objects.child_of(home).first()
    if page is None:
        page = publish(home.add_child(instance=model(title=slug.title(), slug=slug, show_in_menus=True)))
    return page


def producer_page(producer=None, **fields):
    producer = producer or ProducerFactory()
    index = index_page(ProducerIndexPage, "chu-the")
    page = index.add_child(instance=ProducerPage(title=producer.name, slug=producer.slug, producer=producer, **fields))
    return publish(page)


def register_product(producer, *, name=None, group=None, **fields):
    return Product.objects.create(
        name=name or f"Sản phẩm thử {next(_slugs)}", producer=producer, group=group or ProductGroupFactory(), **fields
    )


def product_page(parent, *, title=None, group=None, **fields):
    """A published product page under the producer page `parent`, with its register product."""
    number = next(_slugs)
    title = title or f"Sản phẩm thử {number}"
    page = parent.add_child(
        instance=ProductPage(
            title=title,
            slug=f"san-pham-thu-{number}",
            register_product=fields.pop("register_product", None)
            or register_product(parent.producer, name=title, group=group),
            price=fields.pop("price", 100000),
            stock=fields.pop("stock", 10),
            **fields,
        )
    )
    return publish(page)


def announcement(title="Thông báo thử", **fields):
    index = index_page(AnnouncementIndexPage, "tin-tuc")
    category, _ = AnnouncementCategory.objects.get_or_create(slug="thong-bao", defaults={"name": "Thông báo"})
    page = index.add_child(
        instance=AnnouncementPage(title=title, slug=f"thong-bao-{next(_slugs)}", category=category, **fields)
    )
    return publish(page)


def sales_point(title="Điểm bán thử"):
    index = index_page(SalesPointIndexPage, "diem-ban")
    page = index.add_child(
        instance=SalesPointPage(
            title=title, slug=f"diem-ban-{next(_slugs)}", address="1 Đường Thử", province=ProvinceFactory()
        )
    )
    return publish(page)


def user_with_role(role, producer=None):
    user = UserFactory()
    if role == "official":
        roles.add_official_account(user)
    elif role == "producer":
        roles.add_producer_account(producer, user)
    return user


class Tree:
    """Handles to the pages and accounts of build_tree()."""


def build_tree():
    roles.ensure_roles()
    tree = Tree()
    tree.home = home_page()
    # The producers' province and its current communes, for delivery addresses.
    places.load(province_codes=[ProvinceFactory().code])
    tree.product_index = index_page(ProductIndexPage, "san-pham")
    tree.producer_index = index_page(ProducerIndexPage, "chu-the")
    roles.assign_moderation()
    tree.producer_a = producer_page()
    tree.producer_b = producer_page()
    tree.product_a = product_page(tree.producer_a, title="Bơ núi lửa thử")
    tree.product_b = product_page(tree.producer_b, title="Mật ong thử")
    tree.certificate_a = certificate(tree.product_a, score=(32, 20, 26))  # 78 → 4★
    tree.certificate_b = certificate(tree.product_b, score=(25, 15, 20))  # 60 → 3★
    tree.announcement = announcement()
    tree.sales_point = sales_point()
    tree.official = user_with_role("official")
    tree.producer_user_a = user_with_role("producer", tree.producer_a.producer)
    tree.producer_user_b = user_with_role("producer", tree.producer_b.producer)
    tree.consumer = user_with_role("consumer")
    return tree


def restore_migration_rows():
    """Put back the rows the migrations made (Wagtail's root page, locale and collection,
    the VN country) when an earlier transactional test has flushed them. Django's
    serialized_rollback cannot do it here, as the flush re-creates content types."""
    import importlib

    from django.apps import apps as django_apps
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale

    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    importlib.import_module("storefront.shipping.migrations.0004_vietnam").add_vietnam(django_apps, None)
    importlib.import_module("catalog.migrations.0008_rule_sets_data").forwards(django_apps, None)
