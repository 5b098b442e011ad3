"""Register products (step 1): the Product model, decimal scores, stored stars, rule
versions, and a second link from each certificate to a register product, filled by
cms 0006 (which creates a register product for every product page).

Then: catalog 0004 (stored score, stars, rule version), cms 0005 (the page's link), cms 0006
(the data), catalog 0005 (the certificate's link).
Every step runs backwards too: the old link (certificate → product page) is made nullable
here so that it can be re-added empty and filled again on the way back.
"""

import django.core.validators
import django.db.models.deletion
import modelsearch.index
from django.db import migrations, models

def decimal_field(verbose_name, maximum, help_text):
    return models.DecimalField(
        decimal_places=2,
        help_text=help_text,
        max_digits=5,
        validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(maximum)],
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_initial"),
        ("cms", "0004_merge_0003_english_fields_0003_productpage_gallery"),
    ]

    operations = [
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=255, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=255, verbose_name="English name")),
                (
                    "scoring_set",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="The scoring sheet it is evaluated under (1–26, Decision 26/2026, Annex I).",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(26),
                        ],
                        verbose_name="scoring set",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        blank=True,
                        help_text="Province code-commune code-serial-year (Decision 26/2026), e.g. 68-24817-3-2026.",
                        max_length=30,
                        null=True,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{2}-\\d{5}-\\d{1,4}-\\d{4}$",
                                "Write the product code as province code-commune code-serial-year, e.g. 68-24817-3-2026.",
                            )
                        ],
                        verbose_name="product code",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "group",
                    models.ForeignKey(
                        help_text="The sub-group where the group has sub-groups.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="products",
                        to="catalog.productgroup",
                        verbose_name="product group",
                    ),
                ),
                (
                    "producer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="products",
                        to="catalog.producer",
                        verbose_name="producer",
                    ),
                ),
            ],
            options={"verbose_name": "OCOP product", "verbose_name_plural": "OCOP products", "ordering": ["name"]},
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.RemoveConstraint(model_name="certificate", name="certificate_score_parts_within_maxima"),
        migrations.RemoveField(model_name="certificate", name="stars"),
        migrations.RemoveField(model_name="certificate", name="score"),
        migrations.AlterField(
            model_name="certificate", name="score_a", field=decimal_field(
                "part A: product and community strength",
                40,
                "0–40 points (35 under Decision 1048/2019); the council's average, e.g. 31.67",
            )
        ),
        migrations.AlterField(model_name="certificate", name="score_b", field=decimal_field("part B: marketing capacity", 25, "0–25 points; the council's average, e.g. 18.33")),
        migrations.AlterField(model_name="certificate", name="score_c", field=decimal_field(
                "part C: product quality", 40, "0–35 points (40 under Decision 1048/2019); the council's average"
            )),
        migrations.AddField(
            model_name="certificate",
            name="score",
            field=models.DecimalField(decimal_places=2, editable=False, max_digits=5, null=True, verbose_name="score"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="stars",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                choices=[(1, "1★"), (2, "2★"), (3, "3★"), (4, "4★"), (5, "5★")],
                help_text="As recognised by the decision. Leave empty for the score's band.",
                verbose_name="stars",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="rule_version",
            field=models.CharField(
                blank=True,
                choices=[
                    ("1048-2019", "QĐ 1048/QĐ-TTg (2019)"),
                    ("148-2023", "QĐ 148/QĐ-TTg (2023)"),
                    ("148-1489-2025", "QĐ 148 + 1489/QĐ-TTg (2025)"),
                    ("26-2026", "QĐ 26/2026/QĐ-TTg"),
                ],
                help_text="Leave empty for the rules in force on the decision date.",
                max_length=20,
                verbose_name="rule version",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="register_product",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="catalog.product"
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="product",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="certificates",
                to="cms.productpage",
                verbose_name="product",
            ),
        ),
    ]
