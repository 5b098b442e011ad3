import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked: producers' partners, pages' stock records, the OCOP strategy,
    and the page→shop sync (sync.py) with its receivers (receivers.py)."""

    name = "storefront.partner"

    def ready(self):
        super().ready()
        # Receivers connect once the models are loaded, which is only so from ready() on.
        from storefront.partner import receivers  # noqa: F401
