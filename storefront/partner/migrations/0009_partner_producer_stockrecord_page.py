"""The shop's links move to the shop's side: a partner names its producer (it was
catalog.Producer.partner) and a stock record names the product page it sells (it was
cms.ProductPage.shop_product). The old links are dropped by catalog 0005 and cms 0006."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Producer = apps.get_model("catalog", "Producer")
    Partner = apps.get_model("partner", "Partner")
    ProductPage = apps.get_model("cms", "ProductPage")
    StockRecord = apps.get_model("partner", "StockRecord")
    for producer_id, partner_id in Producer.objects.exclude(partner=None).values_list("pk", "partner_id"):
        Partner.objects.filter(pk=partner_id).update(producer_id=producer_id)
    for page_id, product_id in ProductPage.objects.exclude(shop_product=None).values_list("pk", "shop_product_id"):
        record = StockRecord.objects.filter(product_id=product_id).order_by("pk").first()
        if record is not None:
            StockRecord.objects.filter(pk=record.pk).update(page_id=page_id)


def copy_links_back(apps, schema_editor):
    Producer = apps.get_model("catalog", "Producer")
    Partner = apps.get_model("partner", "Partner")
    ProductPage = apps.get_model("cms", "ProductPage")
    StockRecord = apps.get_model("partner", "StockRecord")
    for partner_id, producer_id in Partner.objects.exclude(producer=None).values_list("pk", "producer_id"):
        Producer.objects.filter(pk=producer_id).update(partner_id=partner_id)
    for product_id, page_id in StockRecord.objects.exclude(page=None).values_list("product_id", "page_id"):
        ProductPage.objects.filter(pk=page_id).update(shop_product_id=product_id)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_register_products"),
        ("cms", "0005_productpage_register_product"),
        ("partner", "0008_stockrecord_page_stock"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="producer",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalog.producer",
                verbose_name="producer",
            ),
        ),
        migrations.AddField(
            model_name="stockrecord",
            name="page",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cms.productpage",
                verbose_name="product page",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
