"""A product page's group is its register product's (cms 0006), and its Oscar product is the
shop's to know (partner.StockRecord.page, copied there by partner 0010)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_certificate_product"),
        ("cms", "0006_register_products_data"),
        ("partner", "0010_copy_links"),
    ]

    operations = [
        migrations.RemoveField(model_name="productpage", name="group"),
        migrations.RemoveField(model_name="productpage", name="shop_product"),
    ]
