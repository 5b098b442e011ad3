"""The shop's links move to the shop's side (step 2 of 3): copy them, both ways.

Data only, in its own migration: PostgreSQL refuses to alter a table in the transaction that
updated its rows (pending trigger events), which the schema steps beside it would do.
"""

from django.db import migrations


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
    dependencies = [("partner", "0009_partner_producer_stockrecord_page")]

    operations = [migrations.RunPython(copy_links, copy_links_back)]
