"""A certificate's kind, for the rows entered before the register had one: a product's
earliest certificate is its first evaluation; a later one with more stars than the one
before it is an upgrade, otherwise a re-evaluation. History rows take their certificate's."""

from django.db import migrations


def infer(apps, schema_editor):
    Certificate = apps.get_model("catalog", "Certificate")
    Historical = apps.get_model("catalog", "HistoricalCertificate")
    previous_stars = {}
    kinds = {}
    for pk, product_id, stars in Certificate.objects.order_by("product_id", "decision_date", "pk").values_list(
        "pk", "product_id", "stars"
    ):
        before = previous_stars.get(product_id)
        kinds[pk] = "first" if before is None else ("upgrade" if stars > before else "reevaluation")
        previous_stars[product_id] = stars
    for kind in ("upgrade", "reevaluation"):
        pks = [pk for pk, k in kinds.items() if k == kind]
        Certificate.objects.filter(pk__in=pks).update(kind=kind)
        Historical.objects.filter(id__in=pks).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_oversight_register")]

    operations = [migrations.RunPython(infer, migrations.RunPython.noop)]
