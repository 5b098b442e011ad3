"""Who may do what with a certificate after its decision. Every view asks here.

- Officials who keep the register (model permission catalog.change_certificate, e.g. the
  group cms.roles.OFFICIALS), the provincial OCOP office and the approvers see the lists of
  certificates per stage and record revocations; a superuser is all of them. Inspections
  are a snippet: its model permissions (cms.roles) decide.
- Producers see their own certificates' stage on their admin home, nothing else here.
"""

from cms.evaluation import access as evaluation_access


def is_official(user):
    return user.is_authenticated and (
        user.has_perm("catalog.change_certificate")
        or evaluation_access.is_office(user)
        or evaluation_access.is_approver(user)
    )


can_see_lists = is_official
can_revoke = is_official
