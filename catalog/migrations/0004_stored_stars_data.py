"""Register products (step 2): each certificate's score, stars (its score's band, as the
database computed them until now) and rule version (by its decision date), stored.

Data only, in its own migration: PostgreSQL refuses to create the indexes deferred by the
schema steps in the transaction that updated the rows (pending trigger events).
"""

from django.db import migrations

# The thresholds as they stood when this migration was written (catalog/rules.py).
STAR_THRESHOLDS = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))
VERSIONS = (("2026-05-22", "26-2026"), ("2025-07-06", "148-1489-2025"), ("2023-02-24", "148-2023"))


def stored_stars_and_versions(apps, schema_editor):
    Certificate = apps.get_model("catalog", "Certificate")
    for certificate in Certificate.objects.all():
        score = certificate.score_a + certificate.score_b + certificate.score_c
        certificate.score = score
        certificate.stars = next(stars for lowest, stars in STAR_THRESHOLDS if score >= lowest)
        day = certificate.decision_date.isoformat()
        certificate.rule_version = next((code for start, code in VERSIONS if day >= start), "1048-2019")
        certificate.save(update_fields=["score", "stars", "rule_version"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_register_products")]

    operations = [migrations.RunPython(stored_stars_and_versions, migrations.RunPython.noop)]
