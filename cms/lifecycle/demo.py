"""Demo inspections (fixtures/inspections_demo.csv): kept, remedy, one that led to the demo's
revocation and one proposing a revocation not yet decided (an official's next step)."""

import datetime

from catalog.models import Product
from cms.lifecycle.models import Inspection


def load(today, rows, slug_to_product):
    created = 0
    for row in rows:
        product = Product.objects.filter(pk=slug_to_product.get(row["product_slug"])).first()
        if product is None:
            continue
        inspection = Inspection(
            product=product,
            kind=row["kind"],
            inspected_on=today - datetime.timedelta(days=int(row["days_ago"])),
            inspectors=row["inspectors"],
            findings=row["findings"],
            criteria_kept=row["criteria_kept"] == "1",
            mark_use=row["mark_use"],
            outcome=row["outcome"],
        )
        if row["remedy_days"]:
            inspection.remedy_by = inspection.inspected_on + datetime.timedelta(days=int(row["remedy_days"]))
        # The same inspection whatever day the demo is loaded again (its dates follow the day).
        if Inspection.objects.filter(product=product, kind=row["kind"], findings=row["findings"]).exists():
            continue
        inspection.clean()  # picks the certificate in force on the day
        inspection.save()
        created += 1
    return created
