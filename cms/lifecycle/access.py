"""Who sees the lifecycle's lists: officials (cms.roles.OFFICIALS), the provincial OCOP office,
the approvers and superusers. A producer sees only its own certificates, on its admin home."""

from cms.evaluation import access as evaluation_access
from cms.roles import OFFICIALS


def can_see_lists(user):
    if not user.is_authenticated:
        return False
    if evaluation_access.is_office(user) or evaluation_access.is_approver(user):
        return True
    return user.groups.filter(name=OFFICIALS).exists()
