"""Register products (step 4): every product page gets a register product (its title,
English title, group and its parent producer page's producer), and the page's certificates
are linked to it. Backwards, the page takes its group back and the certificates their page.

Data only, in its own migration: PostgreSQL refuses to alter a table in the transaction that
updated its rows (pending trigger events), which the schema steps beside it would do.
"""

from django.db import migrations

STEPLEN = 4  # Wagtail's page path step


def create_register_products(apps, schema_editor):
    ProductPage = apps.get_model("cms", "ProductPage")
    ProducerPage = apps.get_model("cms", "ProducerPage")
    Product = apps.get_model("catalog", "Product")
    Certificate = apps.get_model("catalog", "Certificate")
    producers = dict(ProducerPage.objects.values_list("path", "producer_id"))
    for page in ProductPage.objects.order_by("path"):
        producer_id = producers.get(page.path[:-STEPLEN])
        if producer_id is None:
            raise RuntimeError(f"product page {page.pk} ({page.title}) is not under a producer page")
        product = Product.objects.create(
            name=page.title, name_en=page.title_en, producer_id=producer_id, group_id=page.group_id
        )
        ProductPage.objects.filter(pk=page.pk).update(register_product=product)
        Certificate.objects.filter(product_id=page.pk).update(register_product=product)


def restore_pages(apps, schema_editor):
    ProductPage = apps.get_model("cms", "ProductPage")
    Certificate = apps.get_model("catalog", "Certificate")
    for page in ProductPage.objects.exclude(register_product=None).select_related("register_product"):
        ProductPage.objects.filter(pk=page.pk).update(group_id=page.register_product.group_id)
        Certificate.objects.filter(register_product_id=page.register_product_id).update(product_id=page.pk)




class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_stored_stars_data"),
        ("cms", "0005_productpage_register_product"),
    ]

    operations = [migrations.RunPython(create_register_products, restore_pages)]
