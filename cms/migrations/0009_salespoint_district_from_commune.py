from django.db import migrations


def fill(apps, schema_editor):
    SalesPointPage = apps.get_model("cms", "SalesPointPage")
    for page in SalesPointPage.objects.filter(district__isnull=True, commune__isnull=False).select_related("commune"):
        if page.commune.district_id:
            SalesPointPage.objects.filter(pk=page.pk).update(district_id=page.commune.district_id)


class Migration(migrations.Migration):
    dependencies = [("cms", "0008_salespointpage_district_salespointpage_opened_on")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
