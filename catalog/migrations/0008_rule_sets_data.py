"""The rule versions certificates already name, from fixtures/rules/rule-sets.json.

Certificates recorded a version code before rule sets were data; this creates those rule
sets (their headers: `manage.py load_rules` adds levels, rounds and sheets) so the next
migration can turn the code into a foreign key. Empty codes get the version in force on
the decision date.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

FILE = Path(settings.BASE_DIR) / "fixtures" / "rules" / "rule-sets.json"


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("catalog", "RuleSet")
    Certificate = apps.get_model("catalog", "Certificate")
    for row in json.loads(FILE.read_text(encoding="utf-8")):
        RuleSet.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "decision": row.get("decision", ""),
                "valid_from": datetime.date.fromisoformat(row["valid_from"]),
                "valid_until": row["valid_until"] and datetime.date.fromisoformat(row["valid_until"]),
                "weight_a": row["weights"]["a"],
                "weight_b": row["weights"]["b"],
                "weight_c": row["weights"]["c"],
            },
        )
    versions = list(RuleSet.objects.order_by("valid_from"))
    for certificate in Certificate.objects.filter(rule_version=""):
        in_force = [v for v in versions if v.valid_from <= certificate.decision_date] or versions[:1]
        certificate.rule_version = in_force[-1].code
        certificate.save(update_fields=["rule_version"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_rulebook")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
