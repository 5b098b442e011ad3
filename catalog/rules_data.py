"""Load the rule sets and their scoring sheets from fixtures/rules/ (see its README.md).

`load()` makes the database match the files: rule sets by code, sheets by (rule set,
number), groups by (sheet, code), criteria by (sheet, code), options by (criterion, code).
It creates what is missing and updates what changed, so running it again changes nothing;
rows the files no longer hold are deleted unless a dossier or score already refers to them
(then they stay, and the report says so). It then checks every sheet's points against its
version's part weights and names each sheet that fails, and why.

rule-sets.json lists the versions; a version's "sheets" names the folder its sheets come
from (148 and 148 + 1489 share 148's). groups.csv maps product sub-groups to sheet numbers.
"""

import csv
import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from catalog.models import ProductGroup
from catalog.rulebook import (
    Criterion,
    CriterionGroup,
    GroupSheet,
    Option,
    RoundCutoff,
    RuleLevel,
    RuleSet,
    ScoringSheet,
)

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures" / "rules"
PROCESS_FIELDS = (
    "validity_months",
    "commune_days",
    "office_days",
    "reevaluation_opens_days",
    "reevaluation_closes_days",
    "reevaluation_decision_days",
    "revocation_days",
    "transition_days",
    "transition_reevaluation_days",
    "minimum_rounds",
)


@dataclass
class VersionReport:
    code: str
    sheets: int = 0
    criteria: int = 0
    options: int = 0
    failed: dict = field(default_factory=dict)  # sheet number → [reasons]
    kept: list = field(default_factory=list)  # rows still referred to, not deleted


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _month_day(value):
    month, day = value.split("-")
    return int(month), int(day)


def _delete_unless_referred(queryset, report):
    for row in queryset:
        try:
            row.delete()
        except ProtectedError:
            report.kept.append(str(row))


@transaction.atomic
def load(directory=DEFAULT_DIR, progress=None):
    """Load every version; [VersionReport] in file order."""
    progress = progress or (lambda iterable, desc: iterable)
    directory = Path(directory)
    reports = []
    for row in json.loads((directory / "rule-sets.json").read_text(encoding="utf-8")):
        rule_set = _load_rule_set(row)
        report = VersionReport(rule_set.code)
        if row.get("sheets"):
            _load_sheets(rule_set, directory / row["sheets"], report, progress)
        reports.append(report)
    if (directory / "groups.csv").exists():
        _load_group_sheets(directory / "groups.csv")
    return reports


def _load_rule_set(row):
    values = {
        "name": row["name"],
        "decision": row.get("decision", ""),
        "valid_from": _date(row["valid_from"]),
        "valid_until": _date(row.get("valid_until")),
        "weight_a": row["weights"]["a"],
        "weight_b": row["weights"]["b"],
        "weight_c": row["weights"]["c"],
        "notes": row.get("notes", ""),
    }
    values.update({name: row[name] for name in PROCESS_FIELDS if name in row})
    rule_set, _ = RuleSet.objects.update_or_create(code=row["code"], defaults=values)
    RuleLevel.objects.filter(rule_set=rule_set).exclude(stars__in=[lv["stars"] for lv in row["levels"]]).delete()
    for level in row["levels"]:
        RuleLevel.objects.update_or_create(
            rule_set=rule_set,
            stars=level["stars"],
            defaults={"level": level["level"], "authority": level["authority"]},
        )
    cutoff_fields = ("level", "proposed_by_month", "proposed_by_day", "decided_by_month", "decided_by_day")
    wanted = [
        (cutoff["level"], *_month_day(cutoff["proposed_by"]), *_month_day(cutoff["decided_by"]))
        for cutoff in row.get("rounds", [])
    ]
    existing = RoundCutoff.objects.filter(rule_set=rule_set)
    # Replaced only when the files changed them, so a second run leaves the rows as they are.
    if sorted(existing.values_list(*cutoff_fields)) != sorted(wanted):
        existing.delete()
        for values in wanted:
            RoundCutoff.objects.create(rule_set=rule_set, **dict(zip(cutoff_fields, values, strict=True)))
    return rule_set


def _load_sheets(rule_set, folder, report, progress):
    index = read_csv(folder / "sheets.csv")
    for entry in progress(index, desc=f"{rule_set.code} sheets"):
        sheet, _ = ScoringSheet.objects.update_or_create(
            rule_set=rule_set,
            number=int(entry["number"]),
            defaults={
                "name": entry["name"],
                "name_en": entry.get("name_en", ""),
                "knockouts": entry.get("knockouts", ""),
                "source": entry.get("source", ""),
                "remarks": entry.get("remarks", ""),
            },
        )
        _load_sheet_rows(sheet, read_csv(folder / entry["file"]), report)
        report.sheets += 1
        errors = sheet.sum_errors()
        if errors:
            report.failed[sheet.number] = errors
    _delete_unless_referred(
        rule_set.sheets.exclude(number__in=[int(e["number"]) for e in index]),
        report,
    )


def _load_sheet_rows(sheet, rows, report):
    part = None
    group = criterion = None
    seen_groups, seen_criteria = [], []
    seen_options = {}
    for position, row in enumerate(rows):
        level, code, title = row["level"], row["code"].strip(), " ".join(row["title"].split())
        points = Decimal(row["points"] or 0)
        if level == "part":
            part = code.lower()
        elif level == "group":
            group, _ = CriterionGroup.objects.update_or_create(
                sheet=sheet,
                code=code,
                defaults={"part": part, "title": title, "points": points, "sort_order": position},
            )
            seen_groups.append(group.pk)
        elif level == "criterion":
            criterion = Criterion.objects.filter(group__sheet=sheet, code=code).first() or Criterion(code=code)
            criterion.group = group
            criterion.title = title
            criterion.points = points
            criterion.knockout = row.get("knockout", "")
            criterion.note = row.get("note", "")
            criterion.sort_order = position
            criterion.save()
            seen_criteria.append(criterion.pk)
            seen_options[criterion.pk] = []
            report.criteria += 1
        elif level == "option":
            option, _ = Option.objects.update_or_create(
                criterion=criterion,
                code=code,
                defaults={
                    "title": title,
                    "points": points,
                    "min_stars": int(row["min_stars"]) if row.get("min_stars") else None,
                    "sort_order": position,
                },
            )
            seen_options[criterion.pk].append(option.pk)
            report.options += 1
        else:
            raise ValueError(f"sheet {sheet.number}, row {position + 2}: unknown level {level!r}")
    for criterion_pk, option_pks in seen_options.items():
        _delete_unless_referred(Option.objects.filter(criterion_id=criterion_pk).exclude(pk__in=option_pks), report)
    _delete_unless_referred(Criterion.objects.filter(group__sheet=sheet).exclude(pk__in=seen_criteria), report)
    _delete_unless_referred(sheet.groups.exclude(pk__in=seen_groups), report)


def _load_group_sheets(path):
    groups = {g.code: g for g in ProductGroup.objects.all()}
    for row in read_csv(path):
        group = groups.get(row["group_code"])
        if group is None:
            continue  # a sub-group this site does not use
        numbers = [int(n) for n in row["sheets"].split(";") if n.strip()]
        GroupSheet.objects.filter(group=group).exclude(number__in=numbers).delete()
        for position, number in enumerate(numbers):
            GroupSheet.objects.update_or_create(group=group, number=number, defaults={"position": position})
