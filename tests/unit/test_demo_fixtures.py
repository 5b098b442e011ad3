"""The demo fixtures' facts: each old commune → new commune mapping names its source (or says it
is unverified) and the producers follow it; only a decision a source gives is 5★."""

import csv
import datetime
import re
from decimal import Decimal
from pathlib import Path

from catalog import rules

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def read(name):
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_commune_mapping_has_a_source_or_is_marked_unverified():
    mappings = read("places/commune_mappings.csv")
    communes = {row["code"]: row for row in read("places/communes.csv")}
    producers = {row["slug"]: row for row in read("producers.csv")}
    assert len(mappings) >= 6
    for row in mappings:
        assert row["status"] in ("verified", "unverified"), row
        if row["status"] == "verified":
            # The resolution that decides it and the dataset (package and version) checked.
            assert re.search(r"\d+/NQ-UBTVQH15", row["source"]), row
            assert re.search(r"[\w-]+ \d+\.\d+", row["source"]), row
        commune = communes[row["commune_code"]]
        assert commune["name"] == row["commune_name"], row
        for slug in row["producer_slugs"].split(";"):
            producer = producers[slug]
            assert (producer["commune_code"], producer["district_slug"]) == (row["commune_code"], row["district_slug"])
    # Every producer placed by an old commune ("xã … cũ") is in a mapping.
    mapped = {slug for row in mappings for slug in row["producer_slugs"].split(";")}
    old = {slug for slug, producer in producers.items() if re.search(r"xã .+ cũ", producer["address"])}
    assert old and old <= mapped


def test_five_stars_only_where_a_source_says_so():
    decisions = read("products.csv") + read("certificate_history.csv")
    sourced = []
    for row in decisions:
        source = row.get("decision_source", row.get("source"))
        assert source, row
        datetime.date.fromisoformat(row["decision_date"])  # fixed, not relative to the load
        score = sum(Decimal(row[f"score_{part}"]) for part in "abc")
        if rules.stars_for_score(score) == 5:
            assert source != "demo", row["slug"]
        if source != "demo":
            sourced.append((row["decision_number"], row["decision_date"]))
    assert sourced == [("377/QĐ-BNN-VPĐP", "2025-01-17")]
