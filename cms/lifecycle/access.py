"""Who may do what with a certificate after its decision. Every view asks here.

- Officials who keep the register (model permission catalog.change_certificate, e.g. the
  group cms.roles.OFFICIALS), the provincial OCOP office and the approvers record
  revocations and inspections and see the lifecycle lists; a superuser is all of them.
- Producers see their own certificates' stage on their admin home, nothing else here.
"""

from cms.evaluation import access as evaluation_access


def keeps_register(user):
    return user.is_authenticated and user.has_perm("catalog.change_certificate")


def is_official(user):
    """Sees the lifecycle lists and records inspections and revocations."""
    return user.is_authenticated and (
        keeps_register(user) or evaluation_access.is_office(user) or evaluation_access.is_approver(user)
    )


can_revoke = is_official
can_inspect = is_official
