"""A product page's group is its register product's (cms 0005), and its Oscar product is the
shop's to know (partner.StockRecord.page, copied there by partner 0009)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_certificate_product"),
        ("cms", "0005_productpage_register_product"),
        ("partner", "0009_partner_producer_stockrecord_page"),
    ]

    operations = [
        migrations.RemoveField(model_name="productpage", name="group"),
        migrations.RemoveField(model_name="productpage", name="shop_product"),
    ]
