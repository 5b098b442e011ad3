"""The production settings' own paths that need no server: static files, demo-data refusal,
the Django admin's mount, the Site's host, the error pages and /healthz.

The tests that start the production settings under gunicorn on PostgreSQL, and the
backup/restore one, are in tests/integration/test_production_server.py.
"""

import datetime
import io
import json
import re

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error
from django_q.models import Success
from wagtail.models import Site as WagtailSite

from cms import qr
from storefront import tasks
from tests import search_engine
from tests.integration.test_project import ROOT, SAMPLE_ENV, run_manage

PRODUCTION_ENV = {**SAMPLE_ENV, "DJANGO_SETTINGS_MODULE": "storefront.settings.production"}


def test_collectstatic_under_production_settings_builds_the_manifest(tmp_path):
    # Found: leaflet.js names leaflet.js.map, which `make vendor` did not copy, and the
    # manifest storage refused the whole collection (then every page was a 500).
    result = run_manage("collectstatic", "--noinput", env={**PRODUCTION_ENV, "OCOP_STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert manifest["ocop/site.css"] != "ocop/site.css"  # hashed
    assert "ocop/vendor/leaflet/leaflet.js.map" in manifest


def test_load_demo_data_refuses_under_production_settings_before_touching_the_database():
    # Port 1 on loopback: any query would fail with a connection error instead.
    env = {**PRODUCTION_ENV, "OCOP_DATABASE_URL": "postgres://ocop:secret@127.0.0.1:1/ocop"}
    result = run_manage("load_demo_data", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Demo data is never loaded under the production settings" in result.stderr
    assert "Dữ liệu mẫu không được nạp" in result.stderr
    assert "OperationalError" not in result.stderr and "connection" not in result.stderr.lower()


def test_django_admin_is_mounted_only_when_configured():
    script = "from django.urls import resolve; print(resolve('/django-admin/').url_name)"
    off = run_manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert off.returncode == 0, off.stderr
    assert off.stdout.strip().splitlines()[-1] == "wagtail_serve"  # Wagtail's catch-all: a 404 page, no admin
    on = run_manage("shell", "-c", script, env={**PRODUCTION_ENV, "OCOP_DJANGO_ADMIN": "1"})
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip().splitlines()[-1] == "index"  # admin:index


# --- The site's address: Django's Site and Wagtail's Site from one URL ---


@pytest.mark.django_db
def test_set_site_host_sets_both_sites_and_emails_and_qr_codes_carry_it(client, tree, mailoutbox):
    call_command("set_site_host", "http://192.168.1.20:8000", stdout=io.StringIO())
    assert DjangoSite.objects.get_current().domain == "192.168.1.20:8000"
    site = WagtailSite.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("192.168.1.20", 8000)

    # The QR code and the printed label carry the LAN address, not localhost.
    canonical = "http://192.168.1.20:8000" + tree.product_a.url
    label = client.get(tree.product_a.url + "tem/").content.decode()
    assert canonical in label and "http://localhost" not in label
    svg = client.get(tree.product_a.url + "qr/").content.decode()
    expected = qr.svg_file(canonical, title=tree.product_a.title).decode()
    assert re.search(r' d="([^"]+)"', svg).group(1) == re.search(r' d="([^"]+)"', expected).group(1)

    # The password-reset e-mail links to the site's domain, not example.com.
    client.post(reverse("password-reset"), {"email": tree.consumer.email})
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "://192.168.1.20:8000/" in body and "example.com" not in body


@pytest.mark.django_db
def test_base_url_is_applied_on_migrate_and_refused_when_malformed(settings):
    settings.OCOP_BASE_URL = "https://ocop.example.vn"
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    assert DjangoSite.objects.get_current().domain == "ocop.example.vn"
    site = WagtailSite.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("ocop.example.vn", 443)
    for bad in ("ocop.example.vn", "ftp://x", "http://", "http://host:notaport"):
        with pytest.raises(CommandError, match="Not a site address"):
            call_command("set_site_host", bad)


# --- /healthz ---


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_healthz_reports_each_component(client):
    code, body = healthz(client)
    assert code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["worker"] == {"status": "unknown"}  # no heartbeat written yet
    assert body["checks"]["search"] == {"status": "ok", "backend": "database"}
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_the_worker_heartbeat(client):
    tasks.enqueue(tasks.HEARTBEAT)  # inline under the test settings, as a worker would run it
    assert healthz(client)[1]["checks"]["worker"]["status"] == "ok"
    Success.objects.filter(func=tasks.HEARTBEAT).update(stopped=timezone.now() - datetime.timedelta(hours=1))
    code, body = healthz(client)
    assert (code, body["status"], body["checks"]["worker"]["status"]) == (200, "degraded", "stale")


@pytest.mark.django_db
def test_healthz_is_degraded_not_down_when_the_search_engine_is_down(client, settings):
    # A real engine backend pointed at a closed loopback port.
    settings.OCOP_SEARCH = search_engine.engine_settings("http://127.0.0.1:1", TIMEOUT=1)
    code, body = healthz(client)
    assert code == 200 and body["status"] == "degraded"
    assert body["checks"]["search"]["status"] == "down" and body["checks"]["search"]["backend"] == "engine"


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_down(client, settings):
    # A database cache whose table was never created: every cache call fails.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_table"}
    }
    code, body = healthz(client)  # the settings fixture's undo also resets the cache handlers
    assert code == 503 and body["status"] == "down"
    assert body["checks"]["cache"]["status"] == "down" and body["checks"]["database"]["status"] == "ok"


# --- Content-Security-Policy ---


@pytest.mark.django_db
def test_csp_is_enforced_on_the_public_site_and_report_only_in_the_admins(client, tree, admin_client):
    response = client.get(tree.product_a.url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "https://tile.openstreetmap.org" in policy  # the map's tiles
    assert "nonce" not in policy  # a cached page stays valid
    assert "Content-Security-Policy-Report-Only" not in response
    assert client.get("/search/?q=b%C6%A1")["Content-Security-Policy"] == policy
    assert admin_client.get("/shop/dashboard/").url == reverse("orders-admin:list")  # Oscar's dashboard is replaced
    for path in ("/admin/", reverse("orders-admin:list")):
        staff = admin_client.get(path)
        assert staff.status_code == 200, path
        assert (
            "Content-Security-Policy" not in staff
            and "script-src 'self'" in staff["Content-Security-Policy-Report-Only"]
        )


@pytest.mark.django_db
def test_csp_allows_stripe_only_when_card_payment_is_on(client, tree, settings):
    assert "stripe" not in client.get("/")["Content-Security-Policy"]
    settings.OCOP_STRIPE_SECRET_KEY = settings.OCOP_STRIPE_PUBLISHABLE_KEY = "sk_test_x"
    settings.OCOP_STRIPE_JS_URL = "https://js.stripe.com/v3/"
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self' https://js.stripe.com" in policy and "connect-src 'self' https://api.stripe.com" in policy


@pytest.mark.parametrize("path", ["/", "/en/san-pham/", "/admin/", "/shop/dashboard/orders/"])
@pytest.mark.parametrize("stripe", [False, True])
def test_csp_headers_built_once_are_what_django_csp_builds(settings, rf, path, stripe):
    """storefront/csp.py keeps each header once per settings: the same as django-csp's own work,
    also after a setting changes; a response with its own policy still gets django-csp's."""
    from csp.middleware import CSPMiddleware

    from storefront.csp import ContentSecurityPolicyMiddleware

    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())

    def headers(process, **response_policy):
        response = HttpResponse()
        for name, value in response_policy.items():
            setattr(response, name, value)
        process(rf.get(path), response)
        return {h: response.get(h) for h in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")}

    ours = headers(middleware.process_response)
    if stripe:  # kept since the line above: built again
        settings.OCOP_STRIPE_SECRET_KEY = settings.OCOP_STRIPE_PUBLISHABLE_KEY = "sk_test_x"
        settings.OCOP_STRIPE_JS_URL = "https://js.stripe.com/v3/"
        ours = headers(middleware.process_response)
    djangos = headers(lambda request, response: CSPMiddleware.process_response(middleware, request, response))
    assert ours == djangos and len([h for h in ours.values() if h]) == 1
    assert ("js.stripe.com" in str(ours)) is stripe
    if not path.startswith("/admin/") and not path.startswith("/shop/"):
        own = headers(middleware.process_response, _csp_update={"img-src": ["https://example.org"]})
        assert "https://example.org" in own["Content-Security-Policy"] and own != ours


def test_no_theme_template_has_an_inline_script_or_style():
    # JSON-LD and other data blocks are allowed (type="application/...": not run).
    offenders = []
    for template in (ROOT / "themes" / "ocop" / "templates").rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/" not in match.group(1):
                offenders.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\son[a-z]+=\"|\sstyle=\"", text):
            offenders.append(f"{template}: inline style or event handler")
    assert offenders == []


# --- Error pages ---


@pytest.mark.django_db
def test_404_page_is_the_themes_in_the_urls_language(client, tree):
    vi = client.get("/khong-co-trang-nay/")
    assert vi.status_code == 404
    html = vi.content.decode()
    assert "Không tìm thấy trang" in html and 'class="site-header"' in html and 'lang="vi"' in html
    en = client.get("/en/no-such-page/")
    assert en.status_code == 404
    assert "Page not found" in en.content.decode() and 'lang="en"' in en.content.decode()
    # An unknown shop URL too.
    assert "Không tìm thấy trang" in client.get("/shop/no-such-page/").content.decode()


def test_500_page_renders_without_a_request_or_database():
    # No django_db mark: any query would raise. Django's server_error view renders the
    # template with an empty context.
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in html and "Something went wrong" in html
    assert html.index("Đã xảy ra lỗi") < html.index("Something went wrong")  # Vietnamese first
    assert "/static/ocop/site.css" in html


def test_the_demo_on_a_lan_address_accepts_that_host():
    # `make run RUN_ADDR=192.168.1.20:8000` passes OCOP_BASE_URL=http://192.168.1.20:8000.
    script = "from django.conf import settings; print(settings.ALLOWED_HOSTS, settings.WAGTAILADMIN_BASE_URL)"
    env = {"DJANGO_SETTINGS_MODULE": "storefront.settings.dev", "OCOP_BASE_URL": "http://192.168.1.20:8000"}
    result = run_manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert "'192.168.1.20'" in result.stdout and "http://192.168.1.20:8000" in result.stdout
    plain = run_manage("shell", "-c", script, env={"DJANGO_SETTINGS_MODULE": "storefront.settings.dev"})
    assert "192.168.1.20" not in plain.stdout
