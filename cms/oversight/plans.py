"""Loading the provincial plans' targets from fixtures/plans/ (`manage.py load_plans`).

plans.json holds each plan's facts and the targets its text sets; Gia Lai's appendices are
kept as the plan prints them (tab-separated, copied from the seed text): Phụ lục 01 gives new
and upgraded products per district and year, Phụ lục 02 new products per district and group.
The loader checks the tables against each other and against the text. Where they disagree it
says so and keeps both figures: two targets, each with its source and a note naming the other.
"""

import csv
import dataclasses
import datetime
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from catalog.models import District, ProductGroup
from cms.oversight.models import Metric, Plan, Target

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "plans"
PREFIXES = ("thanhpho", "thixa", "huyen", "tp", "tx")


def fold(text):
    """A name reduced for matching: no diacritics, đ as d, no spaces or dots, no 'Huyện'/'TX.'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c) and c.isalnum()).lower()
    for prefix in PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 2:
            return text[len(prefix) :]
    return text


def number(cell):
    cell = (cell or "").strip().replace(".", "")
    return int(cell) if cell else 0


@dataclasses.dataclass
class Loaded:
    plans: int = 0
    targets: int = 0
    disagreements: list = dataclasses.field(default_factory=list)


def load(folder=FOLDER):
    """Replace the plans in the database by those in `folder`; returns a Loaded summary."""
    summary = Loaded()
    with transaction.atomic():
        for spec in json.loads((folder / "plans.json").read_text(encoding="utf-8")):
            _load_plan(spec, folder, summary)
    return summary


def _load_plan(spec, folder, summary):
    plan, _created = Plan.objects.update_or_create(
        code=spec["code"],
        defaults={
            "number": spec["number"],
            "title": spec["title"],
            "title_en": spec.get("title_en", ""),
            "former_province": spec["former_province"],
            "issued_on": datetime.date.fromisoformat(spec["issued_on"]),
            "starts_on": datetime.date.fromisoformat(spec["starts_on"]),
            "ends_on": datetime.date.fromisoformat(spec["ends_on"]),
            "source": spec.get("source", ""),
        },
    )
    plan.targets.all().delete()
    summary.plans += 1
    builder = _Builder(plan, summary)
    districts = {fold(d.name): d for d in District.objects.filter(former_province=plan.former_province)}
    for number_printed in spec.get("appendix_numbers", []):
        summary.disagreements.append(
            f"{plan.number}: các phụ lục ghi “kèm theo Kế hoạch số {number_printed}” (plan's appendices name {number_printed})"
        )
    for row in spec["targets"]:
        if row.get("per_district"):
            for district in sorted(districts.values(), key=lambda d: d.name):
                builder.add(row, district=district)
        else:
            builder.add(row)
    if "phu_luc_01" in spec:
        _appendices(spec, folder, plan, districts, builder, summary)


class _Builder:
    def __init__(self, plan, summary):
        self.plan, self.summary, self.order = plan, summary, 0

    def add(self, row, **extra):
        self.order += 1
        label = row["label"]
        label_en = row.get("label_en", "")
        place = extra.get("district")
        if place is not None and row.get("per_district"):
            label, label_en = f"{label}: {place.name}", f"{label_en}: {place.name}" if label_en else ""
        fields = {
            "plan": self.plan,
            "metric": row["metric"],
            "label": label,
            "label_en": label_en,
            "year": row.get("year"),
            "comparison": row.get("comparison", Target.Comparison.AT_LEAST),
            "value": Decimal(str(row["value"])),
            "value_max": Decimal(str(row["value_max"])) if row.get("value_max") is not None else None,
            "source": row["source"],
            "note": row.get("note", ""),
            "order": self.order,
        }
        Target.objects.create(**{**fields, **extra})
        self.summary.targets += 1


def _read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def _appendices(spec, folder, plan, districts, builder, summary):
    years = plan.years
    table1 = _read(folder / spec["phu_luc_01"])
    table2 = _read(folder / spec["phu_luc_02"])

    def district_of(name):
        try:
            return districts[fold(name)]
        except KeyError:
            raise ValueError(
                f"{plan.number}: no historical district of {plan.former_province} named {name!r}"
            ) from None

    # Phụ lục 01: per year three columns (total, upgraded, new), then the period's upgraded, new.
    total_row, *rows1 = [r for r in table1[2:] if len(r) > 2]
    yearly = {}  # district -> {year: (upgraded, new)}
    period1 = {}  # district -> (upgraded, new)
    for r in rows1:
        district = district_of(r[1])
        yearly[district] = {y: (number(r[3 + 3 * i]), number(r[4 + 3 * i])) for i, y in enumerate(years)}
        period1[district] = (number(r[2 + 3 * len(years)]), number(r[3 + 3 * len(years)]))
        for i, y in enumerate(years):
            evaluated = number(r[2 + 3 * i])
            if evaluated != sum(yearly[district][y]):
                summary.disagreements.append(
                    f"Phụ lục 01, {district.name}, {y}: tổng {evaluated} ≠ nâng hạng + mới {sum(yearly[district][y])}"
                )
    disagree = summary.disagreements.append

    def both(metric, label, label_en, printed, computed, source_printed, source_computed, **extra):
        """One target when the figures agree; two, each noting the other, when they do not."""
        row = {"metric": metric, "label": label, "label_en": label_en}
        if printed == computed:
            builder.add({**row, "value": printed, "source": source_printed}, **extra)
            return
        note = f"{source_printed} ghi {printed}, {source_computed} cho {computed}. / {source_printed} says {printed}, {source_computed} gives {computed}."
        disagree(f"{label}: {note}")
        builder.add({**row, "value": printed, "source": source_printed, "note": note}, **extra)
        builder.add({**row, "value": computed, "source": source_computed, "note": note}, **extra)

    # Province totals per year: the "Cấp huyện" row against the sum of the districts.
    for i, y in enumerate(years):
        for offset, metric, word, word_en in (
            (1, Metric.UPGRADED_PRODUCTS, "nâng hạng", "upgraded"),
            (2, Metric.NEW_PRODUCTS, "mới", "new"),
        ):
            printed = number(total_row[2 + 3 * i + offset])
            computed = sum(v[y][offset - 1] for v in yearly.values())
            both(
                metric,
                f"Sản phẩm {word} năm {y} (toàn tỉnh)",
                f"{word_en.capitalize()} products in {y} (province)",
                printed,
                computed,
                "Phụ lục 01, dòng Cấp huyện",
                "Phụ lục 01, cộng các huyện",
                year=y,
            )
    # Per district and year, and per district over the period (its own column against its years).
    for district, by_year in sorted(yearly.items(), key=lambda item: item[0].name):
        for y, (upgraded, new) in by_year.items():
            builder.add(
                {
                    "metric": Metric.NEW_PRODUCTS,
                    "value": new,
                    "source": "Phụ lục 01",
                    "label": f"Sản phẩm mới năm {y}: {district.name}",
                    "label_en": f"New products in {y}: {district.name}",
                },
                year=y,
                district=district,
            )
            builder.add(
                {
                    "metric": Metric.UPGRADED_PRODUCTS,
                    "value": upgraded,
                    "source": "Phụ lục 01",
                    "label": f"Sản phẩm nâng hạng năm {y}: {district.name}",
                    "label_en": f"Upgraded products in {y}: {district.name}",
                },
                year=y,
                district=district,
            )
    # Phụ lục 02: per district, new products by group over the period.
    header2, total2, *rows2 = [r for r in table2 if len(r) > 2]
    groups = {fold(g.name): g for g in ProductGroup.objects.filter(parent__isnull=True)}
    columns = []
    for title in header2[3:]:
        key = fold(title.replace("Nhóm", "").replace("nhóm", ""))
        match = next((g for k, g in groups.items() if key.startswith(k) or k.startswith(key)), None)
        columns.append(match)
    period2 = {}
    for r in rows2:
        district = district_of(r[1])
        period2[district] = number(r[2])
        cells = [number(c) for c in r[3 : 3 + len(columns)]]
        if sum(cells) != period2[district]:
            disagree(f"Phụ lục 02, {district.name}: tổng {period2[district]} ≠ cộng các nhóm {sum(cells)}")
        for group, count in zip(columns, cells, strict=False):
            if group is not None and count:
                builder.add(
                    {
                        "metric": Metric.NEW_PRODUCTS,
                        "value": count,
                        "source": "Phụ lục 02",
                        "label": f"Sản phẩm mới nhóm {group.name}: {district.name}",
                        "label_en": f"New {group.name_en or group.name} products: {district.name}",
                    },
                    district=district,
                    group=group,
                )
    for district in sorted(set(period1) | set(period2), key=lambda d: d.name):
        upgraded, new = period1.get(district, (0, 0))
        by_years = sum(v[1] for v in yearly.get(district, {}).values())
        both(
            Metric.NEW_PRODUCTS,
            f"Sản phẩm mới 2021–2025: {district.name}",
            f"New products 2021–2025: {district.name}",
            new,
            period2.get(district, 0),
            "Phụ lục 01",
            "Phụ lục 02",
            district=district,
        )
        if by_years != new:
            disagree(f"Phụ lục 01, {district.name}: cột giai đoạn ghi {new} sản phẩm mới, cộng các năm được {by_years}")
        by_years_up = sum(v[0] for v in yearly.get(district, {}).values())
        if by_years_up != upgraded:
            disagree(
                f"Phụ lục 01, {district.name}: cột giai đoạn ghi {upgraded} sản phẩm nâng hạng, cộng các năm được {by_years_up}"
            )
        builder.add(
            {
                "metric": Metric.UPGRADED_PRODUCTS,
                "value": upgraded,
                "source": "Phụ lục 01",
                "label": f"Sản phẩm nâng hạng 2021–2025: {district.name}",
                "label_en": f"Upgraded products 2021–2025: {district.name}",
            },
            district=district,
        )
    # The text's totals by group (Mục VI.1) against Phụ lục 02's "Cấp huyện" row and its columns.
    text_groups = spec.get("groups", {})
    for code, printed in text_groups.get("new_products", {}).items():
        group = ProductGroup.objects.get(code=code)
        index = next((i for i, g in enumerate(columns) if g == group), None)
        in_table = number(total2[3 + index]) if index is not None else 0
        summed = sum(number(r[3 + index]) for r in rows2) if index is not None else 0
        both(
            Metric.NEW_PRODUCTS,
            f"Sản phẩm mới nhóm {group.name} 2021–2025",
            f"New {group.name_en or group.name} products 2021–2025",
            printed,
            in_table,
            text_groups["source"],
            "Phụ lục 02, dòng Cấp huyện",
            group=group,
        )
        if summed != in_table:
            disagree(f"Phụ lục 02, nhóm {group.name}: dòng Cấp huyện ghi {in_table}, cộng các huyện được {summed}")
