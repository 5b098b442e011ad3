"""Who a producer's accounts are: the members of its auth group.

The page and image permissions that scope a producer to its own pages live in
cms/roles.py, which owns the Wagtail side; the Oscar partner that sells for a producer is
the shop's (storefront/partner/sync.py).
"""

from django.contrib.auth.models import Group


def ensure_account_group(producer):
    """The auth group whose members are the producer's accounts."""
    if producer.group_id is None:
        group, _ = Group.objects.get_or_create(name=f"Chủ thể: {producer.slug}")
        type(producer).objects.filter(pk=producer.pk).update(group=group)
        producer.group = group
    return producer.group
