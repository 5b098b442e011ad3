"""An index on Wagtail's page url_path: routing (cms/routing.py) finds a page by it, which was a
scan of every page on each request."""

from django.db import migrations

INDEX = "cms_page_url_path_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0010_product_page_english_specifications"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON wagtailcore_page (url_path)",
            f"DROP INDEX {INDEX}",
        ),
    ]
