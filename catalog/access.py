"""Who a producer's accounts are, and the Oscar partner that sells for the producer.

The page and image permissions that scope a producer to its own pages live in
cms/roles.py, which owns the Wagtail side.
"""

from django.contrib.auth.models import Group
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


def ensure_partner(producer):
    """Create the producer's Oscar partner once, and keep its name in step."""
    if producer.partner_id is None:
        partner, _ = Partner.objects.get_or_create(code=producer.slug, defaults={"name": producer.name})
        type(producer).objects.filter(pk=producer.pk).update(partner=partner)
        producer.partner = partner
    elif producer.partner.name != producer.name:
        Partner.objects.filter(pk=producer.partner_id).update(name=producer.name)


def ensure_account_group(producer):
    """The auth group whose members are the producer's accounts."""
    if producer.group_id is None:
        group, _ = Group.objects.get_or_create(name=f"Chủ thể: {producer.slug}")
        type(producer).objects.filter(pk=producer.pk).update(group=group)
        producer.group = group
    return producer.group

