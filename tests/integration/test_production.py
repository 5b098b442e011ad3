"""The production settings' own paths that need no server: static files, demo-data refusal,
the Django admin's mount, the Site's host, the error pages and /healthz.

The tests that start the production settings under gunicorn on PostgreSQL, and the
backup/restore one, are in tests/integration/test_production_server.py.
"""

import json

from tests.integration.test_project import SAMPLE_ENV, run_manage

PRODUCTION_ENV = {**SAMPLE_ENV, "DJANGO_SETTINGS_MODULE": "storefront.settings.production"}


def test_collectstatic_under_production_settings_builds_the_manifest(tmp_path):
    # Found: leaflet.js names leaflet.js.map, which `make vendor` did not copy, and the
    # manifest storage refused the whole collection (then every page was a 500).
    result = run_manage("collectstatic", "--noinput", env={**PRODUCTION_ENV, "OCOP_STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert manifest["ocop/site.css"] != "ocop/site.css"  # hashed
    assert "ocop/vendor/leaflet/leaflet.js.map" in manifest
