"""The producer's Oscar partner is the shop's to know (partner.Partner.producer, copied there
by partner 0009)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_certificate_product"),
        ("partner", "0009_partner_producer_stockrecord_page"),
    ]

    operations = [migrations.RemoveField(model_name="producer", name="partner")]
