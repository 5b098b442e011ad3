"""Open data: the register of OCOP certificates (3★ and more) as CSV and JSON.

Every recognition the register holds is listed, in force or not, with its status on the day
of the data: the register is public, and a journalist needs the revoked and expired ones too.
One row per certificate, sorted by decision date, decision number and product. The columns are
documented in the README ("Open data"); CSV and JSON have the same ones, in the same order.
"""

import csv
import datetime
import io
import json

from django.db.models import Max
from django.utils import timezone, translation

from catalog import rules
from catalog.models import Certificate, Producer, Product, status_on

SOURCE = "Hệ thống quản lý sản phẩm OCOP – sổ đăng ký chứng nhận sản phẩm OCOP"
COLUMNS = [
    "product",
    "product_code",
    "producer",
    "group",
    "subgroup",
    "stars",
    "level",
    "level_label",
    "decision_number",
    "decision_date",
    "expiry_date",
    "status",
    "status_label",
    "revoked_on",
    "district",
    "former_province",
    "province",
    "commune",
]


def certificates(day):
    return (
        Certificate.objects.filter(stars__gte=rules.min_certified_stars(), decision_date__lte=day)
        .annotate(status_today=status_on(day))
        .select_related(
            "product__group__parent",
            "product__producer__province",
            "product__producer__district",
            "product__producer__commune",
        )
        .order_by("decision_date", "decision_number", "product__name", "pk")
    )


def rows(day):
    """One dict per certificate, keys COLUMNS; dates ISO 8601, labels in Vietnamese."""
    levels = dict(Certificate.Level.choices)
    statuses = dict(rules.Status.choices)
    result = []
    with translation.override("vi"):
        for cert in certificates(day):
            product, producer = cert.product, cert.product.producer
            group = product.group
            top = group.parent or group
            result.append(
                {
                    "product": product.name,
                    "product_code": product.code or "",
                    "producer": producer.name,
                    "group": top.name,
                    "subgroup": group.name if group.parent_id else "",
                    "stars": cert.stars,
                    "level": cert.level,
                    "level_label": str(levels.get(cert.level, cert.level)),
                    "decision_number": cert.decision_number,
                    "decision_date": cert.decision_date.isoformat(),
                    "expiry_date": cert.expiry_date.isoformat(),
                    "status": cert.status_today,
                    "status_label": str(statuses[cert.status_today]),
                    "revoked_on": cert.revoked_on.isoformat() if cert.revoked_on and cert.revoked_on <= day else "",
                    "district": producer.district.name if producer.district else "",
                    "former_province": producer.district.former_province if producer.district else "",
                    "province": producer.province.name,
                    "commune": producer.commune.name if producer.commune else "",
                }
            )
    return result


def last_changed():
    """When the register behind the files last changed; at least the start of today, as
    statuses move with the date (a certificate expires at midnight)."""
    moments = [
        Certificate.objects.aggregate(m=Max("updated_at"))["m"],
        Producer.history.aggregate(m=Max("history_recorded_at"))["m"],
        Product.objects.aggregate(m=Max("created_at"))["m"],
        timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min)),
    ]
    return max(m for m in moments if m is not None)


def as_csv(day):
    """UTF-8 with a byte-order mark, so Excel reads the Vietnamese right; a header row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(day))
    return buffer.getvalue().encode("utf-8")


def as_json(day):
    data = {"as_of": day.isoformat(), "source": SOURCE, "columns": COLUMNS, "certificates": rows(day)}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
