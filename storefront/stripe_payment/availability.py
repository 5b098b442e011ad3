"""Whether Stripe is offered: only when its keys are configured.

Without them the method is hidden from checkout and the webhook answers 404; a warning
saying which settings are missing is logged once per process (not on every page).
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

REQUIRED_SETTINGS = ("OCOP_STRIPE_SECRET_KEY", "OCOP_STRIPE_PUBLISHABLE_KEY", "OCOP_STRIPE_WEBHOOK_SECRET")

_warned = set()  # the sets of missing settings already logged


def missing_settings():
    return [name for name in REQUIRED_SETTINGS if not getattr(settings, name, "")]


def is_enabled():
    missing = missing_settings()
    if not missing:
        return True
    key = tuple(missing)
    if key not in _warned:
        _warned.add(key)
        logger.warning(
            "Stripe card payment is hidden: %s not set (set them in the environment).",
            ", ".join(missing),
        )
    return False
