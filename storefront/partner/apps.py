import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked: producers' partners, pages' stock records, the OCOP strategy,
    and the page→shop sync (sync.py) with its receivers (receivers.py)."""

    name = "storefront.partner"

    def ready(self):
        super().ready()
        from storefront.partner import receivers  # noqa: F401  (connects the signal receivers)
