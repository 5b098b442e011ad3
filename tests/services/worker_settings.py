"""Settings of the real task worker that tests/integration/test_worker.py starts.

The test settings with a SQLite file of its own under $OCOP_WORKER_DIR (the embedded default's
options: WAL, immediate transactions, a busy timeout), e-mail written to files in
$OCOP_WORKER_DIR/mail, and django-q2 out of sync mode, with short delays: a task a worker
took and never finished comes back after 3 s, a failing one is tried twice, and the
scheduler runs on the cluster's first guard cycle instead of 30 s after start.
"""

import os
from pathlib import Path

from storefront.settings.test import *  # noqa: F401,F403
from storefront.settings.test import Q_CLUSTER, SQLITE_OPTIONS

WORKER_DIR = Path(os.environ["OCOP_WORKER_DIR"])
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": WORKER_DIR / "db.sqlite3", "OPTIONS": SQLITE_OPTIONS}
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = WORKER_DIR / "mail"
Q_CLUSTER = {
    **Q_CLUSTER,
    "sync": False,
    "workers": 1,
    "timeout": 2,
    "retry": 3,
    "max_attempts": 2,
    "poll": 0.2,
    "guard_cycle": 30,
}
