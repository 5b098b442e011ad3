"""The Content-Security-Policy header: enforced on the public site, report-only in the admins.

django-csp builds the header; this middleware chooses, by path, whether the policy is
enforced (the public site, whose theme has no inline script or style) or only reported
(Wagtail's admin and Oscar's dashboard, which need inline scripts), and adds the origins
that come from other settings: the map's tile server and, when card payment is on, Stripe.
The policy is the same on every request (no nonce), so a cached page stays valid.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

STRIPE_JS_SOURCES = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAME_SOURCES = (*STRIPE_JS_SOURCES, "https://hooks.stripe.com")
STRIPE_API = "https://api.stripe.com"


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def directives():
    """The policy's directives for the current settings (each a list of sources)."""
    policy = {k: list(v) for k, v in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()}

    def add(directive, *sources):
        for source in sources:
            if source and source not in policy.setdefault(directive, []):
                policy[directive].append(source)

    # Leaflet's tiles: "https://tile.openstreetmap.org/{z}/{x}/{y}.png" → its origin.
    add("img-src", _origin(settings.OCOP_MAP_TILE_URL.replace("{s}", "*")))
    if settings.OCOP_STRIPE_SECRET_KEY and settings.OCOP_STRIPE_PUBLISHABLE_KEY:
        js = _origin(settings.OCOP_STRIPE_JS_URL)
        api = _origin(settings.OCOP_STRIPE_API_BASE) or STRIPE_API
        real = js == "https://js.stripe.com"
        add("script-src", js, *(STRIPE_JS_SOURCES if real else ()))
        add("frame-src", js, *(STRIPE_FRAME_SOURCES if real else ()))
        add("connect-src", api, js)
    return default_config(policy)


def is_report_only(path):
    return path.startswith(tuple(settings.OCOP_CSP_REPORT_ONLY_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only != is_report_only(request.path_info):
            # The other header of the pair: none (an empty policy writes no header).
            parts.config, parts.update, parts.replace = {}, None, None
        elif parts.config is None:
            parts.config = directives()
        return parts
