"""Settings that load the demo data into the database a production-settings test serves.

load_demo_data refuses to run under the production settings, so the tests of
tests/integration/test_production_server.py load it with these (the test settings, on the
same OCOP_DATABASE_URL, with media written to OCOP_MEDIA_ROOT, where the production
settings read them) before gunicorn starts.
"""

import os

from storefront.settings.test import *  # noqa: F401,F403

MEDIA_ROOT = os.environ["OCOP_MEDIA_ROOT"]
