"""Register products (last step): a certificate belongs to a register product only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_stored_stars_data"),
        ("cms", "0006_register_products_data"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="certificate", name="certificate_unique_decision_per_product"),
        migrations.RemoveField(model_name="certificate", name="product"),
        migrations.RenameField(model_name="certificate", old_name="register_product", new_name="product"),
        migrations.AlterField(
            model_name="certificate",
            name="product",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="catalog.product",
                verbose_name="product",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="score",
            field=models.DecimalField(decimal_places=2, editable=False, max_digits=5, verbose_name="score"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="stars",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[(1, "1★"), (2, "2★"), (3, "3★"), (4, "4★"), (5, "5★")],
                help_text="As recognised by the decision. Leave empty for the score's band.",
                verbose_name="stars",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                fields=("product", "decision_number"), name="certificate_unique_decision_per_product"
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(("score_a__gte", 0), ("score_b__gte", 0), ("score_c__gte", 0), ("score__lte", 100)),
                name="certificate_score_within_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(("stars__gte", 1), ("stars__lte", 5)), name="certificate_stars_1_to_5"
            ),
        ),
    ]
