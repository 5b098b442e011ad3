"""The database backend's index (SearchDocument) and the outbox of index updates (OutboxEntry).

SearchDocument rows are the documents of search.documents with their folded text; the
full-text index over `text_folded` is vendor-specific and made by the migration (an FTS5
table kept by triggers on SQLite, a generated tsvector column with a GIN index on
PostgreSQL).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    doc_id = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20)
    kind_order = models.PositiveSmallIntegerField()
    object_id = models.BigIntegerField()
    url = models.CharField(max_length=500)
    name = models.CharField(max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True)
    text_folded = models.TextField()
    stars = models.PositiveSmallIntegerField(null=True)
    price = models.PositiveIntegerField(null=True)
    producer = models.CharField(max_length=200, blank=True)
    producer_type = models.CharField(max_length=20, blank=True, db_index=True)
    province = models.CharField(max_length=50, blank=True, db_index=True)
    province_name = models.CharField(max_length=100, blank=True)
    district = models.CharField(max_length=50, blank=True, db_index=True)
    district_name = models.CharField(max_length=100, blank=True)
    group = models.CharField(max_length=10, blank=True, db_index=True)
    subgroup = models.CharField(max_length=10, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True)

    FIELDS = (
        "doc_id",
        "kind",
        "kind_order",
        "object_id",
        "url",
        "name",
        "name_folded",
        "text_folded",
        "stars",
        "price",
        "producer",
        "producer_type",
        "province",
        "province_name",
        "district",
        "district_name",
        "group",
        "subgroup",
        "published_at",
    )

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.doc_id

    @classmethod
    def from_document(cls, doc):
        values = {name: doc.get(name) for name in cls.FIELDS if name != "doc_id"}
        for field in cls._meta.get_fields():
            # Text columns take "" for a missing value and are cut to their length.
            if isinstance(field, models.CharField | models.TextField) and field.name in values:
                values[field.name] = (values[field.name] or "")[: field.max_length]
        return cls(doc_id=doc["id"], **values)

    def as_document(self):
        doc = {name: getattr(self, name) for name in self.FIELDS if name != "doc_id"}
        doc["id"] = self.doc_id
        return doc


class OutboxEntry(models.Model):
    """An object whose search document must be rebuilt in the engine.

    Written in the same transaction as the change; the worker (manage.py search_worker)
    rebuilds the document from the database and marks the row done only once the engine
    has it. A failure leaves the row pending, counts the attempt and keeps the error.
    """

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")

    def __str__(self):
        return f"{self.kind} {self.object_id}"
