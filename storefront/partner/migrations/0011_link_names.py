"""The new links take their reverse names (`producer.partner`, `page.stockrecord`) once the old
fields of those names are gone (catalog 0006, cms 0007)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_remove_producer_partner"),
        ("cms", "0007_remove_productpage_group_shop_product"),
        ("partner", "0010_copy_links"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partner",
            name="producer",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="partner",
                to="catalog.producer",
                verbose_name="producer",
            ),
        ),
        migrations.AlterField(
            model_name="stockrecord",
            name="page",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="stockrecord",
                to="cms.productpage",
                verbose_name="product page",
            ),
        ),
    ]
