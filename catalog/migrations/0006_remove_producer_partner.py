"""The producer's Oscar partner is the shop's to know (partner.Partner.producer, copied there
by partner 0010)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_certificate_product"),
        ("partner", "0010_copy_links"),
    ]

    operations = [migrations.RemoveField(model_name="producer", name="partner")]
