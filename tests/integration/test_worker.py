"""The real task worker (`manage.py qcluster`, django-q2) against a SQLite file database.

Work is queued while no worker runs (an e-mail, a task that raises, a task a crashed worker had
taken); then the worker runs for a bounded time and everything is done: the e-mails written,
the failing task recorded after its retries, the taken task handed out again, the due
schedules run (the heartbeat makes worker_status() "ok"). SQLite only by design: the file
database is a copy of this session's migrated test database; the PostgreSQL pass skips it.
"""

import base64
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
DEADLINE_S = 90


@pytest.fixture
def worker_dir(db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only by design: the worker runs on a copy of the SQLite test database")
    # A copy of the migrated test database. `db`, not `transactional_db`: nothing of this test
    # is written here, and a transactional test's flush would take the migrations' rows (the
    # Wagtail root page...) away from the tests that follow.
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "db.sqlite3")
    connection.connection.backup(target)
    target.close()
    (tmp_path / "mail").mkdir()
    return tmp_path


def env_for(directory):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.services.worker_settings", "OCOP_WORKER_DIR": str(directory)}


def django_script(directory, code):
    """Run `code` in a fresh Django process on the worker's database; returns its stdout."""
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=REPO,
        env=env_for(directory),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def query(directory, sql):
    db = sqlite3.connect(directory / "db.sqlite3", timeout=20)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


ENQUEUE = """
import datetime
from decimal import Decimal
from django.utils import timezone
from django_q.models import OrmQ
from storefront import tasks

tasks.ensure_schedules()  # as after a migrate; idempotent
print(tasks.worker_status())
tasks.enqueue("storefront.tasks.card_refunded", "khach@example.vn", "100042", Decimal("250000"), "Sản phẩm đã hết")
tasks.enqueue("storefront.tasks.confirm_order", 987654321)  # no such order: raises
# Taken by a worker that then died: locked until its retry time, never acknowledged.
tasks.enqueue("storefront.tasks.card_refunded", "crash@example.vn", "100043", Decimal("90000"), "Hết hàng")
taken = OrmQ.objects.order_by("-pk").first()
OrmQ.objects.filter(pk=taken.pk).update(lock=timezone.now() + datetime.timedelta(seconds=2))
print(OrmQ.objects.count())
"""


def test_queued_work_waits_for_the_worker_and_nothing_is_lost(worker_dir):
    status, queued = django_script(worker_dir, ENQUEUE).split()
    assert (status, queued) == ("unknown", "3")
    assert not list((worker_dir / "mail").iterdir())  # nothing sent without a worker

    log = open(worker_dir / "qcluster.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=REPO,
        env=env_for(worker_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            time.sleep(1)
            assert proc.poll() is None, (worker_dir / "qcluster.log").read_text()
            left = query(worker_dir, "SELECT count(*) FROM django_q_ormq")[0][0]
            funcs = {f for (f,) in query(worker_dir, "SELECT func FROM django_q_task WHERE success = 1")}
            if not left and {"storefront.tasks.heartbeat", "search.tasks.apply_outbox"} <= funcs:
                break
    finally:
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)  # the cluster stops its own processes
        try:
            proc.wait(timeout=30)
            stop_s = time.monotonic() - started
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            stop_s = None
        log.close()
    output = (worker_dir / "qcluster.log").read_text()

    assert query(worker_dir, "SELECT count(*) FROM django_q_ormq") == [(0,)], output
    mails = "\n".join(p.read_text() for p in (worker_dir / "mail").iterdir())
    assert "To: khach@example.vn" in mails and "100042" in mails, output
    assert "To: crash@example.vn" in mails and "100043" in mails, output  # the dead worker's task
    failed = query(worker_dir, "SELECT attempt_count, result FROM django_q_task WHERE success = 0")
    assert len(failed) == 1 and failed[0][0] == 2, output  # recorded, after max_attempts tries
    assert "DoesNotExist" in pickle.loads(base64.b64decode(failed[0][1])), output
    ran = {f for (f,) in query(worker_dir, "SELECT func FROM django_q_task WHERE success = 1")}
    assert {"storefront.tasks.heartbeat", "search.tasks.apply_outbox"} <= ran, output
    assert django_script(worker_dir, "from storefront import tasks; print(tasks.worker_status())").strip() == "ok"
    assert stop_s is not None and stop_s < 30, "the worker did not stop on SIGTERM"
