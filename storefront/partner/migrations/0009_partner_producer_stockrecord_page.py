"""The shop's links move to the shop's side (step 1 of 3): a partner names its producer (it
was catalog.Producer.partner) and a stock record names the product page it sells (it was
cms.ProductPage.shop_product). partner 0010 copies the links; catalog 0006 and cms 0007 drop
the old ones; partner 0011 gives the new ones their reverse names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_register_products"),
        ("cms", "0006_register_products_data"),
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
    ]
