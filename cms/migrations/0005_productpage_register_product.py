"""Register products (step 3): a product page's link to its register product, and its
group made nullable so that the link can take over from it (cms 0006 fills the link)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_register_products"),
        ("cms", "0004_merge_0003_english_fields_0003_productpage_gallery"),
    ]

    operations = [
        migrations.AddField(
            model_name="productpage",
            name="register_product",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="page",
                to="catalog.product",
                verbose_name="product in the register",
            ),
        ),
        migrations.AlterField(
            model_name="productpage",
            name="group",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="catalog.productgroup",
                verbose_name="product group",
            ),
        ),
    ]
