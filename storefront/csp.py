"""The Content-Security-Policy header: enforced on the public site, report-only in the admins.

django-csp builds the header; this middleware chooses, by path, whether the policy is
enforced (the public site, whose theme has no inline script or style) or only reported
(Wagtail's admin and Oscar's dashboard, which need inline scripts), and adds the origins
that come from other settings: the map's tile server and, when card payment is on, Stripe.
The policy is the same on every request (no nonce), so a cached page stays valid; each of the
two headers is built once per settings, not on every response (django-csp copies the whole
policy and writes it again each time: about 0.12 ms). A response with a policy of its own (a
view decorated with django-csp's decorators) or a request that used a nonce gets django-csp's
own work.
"""

import functools
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

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


@functools.cache
def _header(report_only):
    """(header name, policy) of the one header a path of that kind gets."""
    return (HEADER_REPORT_ONLY if report_only else HEADER), build_policy(directives(), report_only=report_only)


@receiver(setting_changed)
def _settings_changed(**kwargs):
    _header.cache_clear()


# What a django-csp decorator leaves on a response: a policy for that response only.
_RESPONSE_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _RESPONSE_POLICY)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        report_only = is_report_only(request.path_info)
        header, policy = _header(report_only)
        setting = getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY", None
        )
        excluded = request.path_info.startswith(tuple((setting or {}).get("EXCLUDE_URL_PREFIXES") or ()))
        exempt = getattr(response, "_csp_exempt_ro" if report_only else "_csp_exempt", False)
        if policy and header not in response and not exempt and not excluded:
            response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # as django-csp: no nonce after this
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only != is_report_only(request.path_info):
            # The other header of the pair: none (an empty policy writes no header).
            parts.config, parts.update, parts.replace = {}, None, None
        elif parts.config is None:
            parts.config = directives()
        return parts
