"""Background tasks (storefront/tasks.py) without a worker: the test settings run them inline."""

import datetime
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule, Success

from search import outbox
from storefront import tasks


def test_schedules_are_registered_once_and_edits_are_kept(db):
    Schedule.objects.all().delete()
    call_command("setup_schedules")
    names = set(Schedule.objects.values_list("name", flat=True))
    assert names == {
        "search-refresh-expiring",
        "lifecycle-reminders",
        "oversight-reports",
        "search-apply-outbox",
        "worker-heartbeat",
    }
    daily = Schedule.objects.get(name="search-refresh-expiring")
    assert daily.func == "search.tasks.refresh_expiring" and daily.schedule_type == Schedule.DAILY
    assert timezone.localtime(daily.next_run).time() == datetime.time(0, 15) and daily.next_run > timezone.now()
    # An official moves the refresh to 02:00 in the admin; the next migrate leaves it there.
    moved = daily.next_run + datetime.timedelta(hours=1, minutes=45)
    Schedule.objects.filter(pk=daily.pk).update(next_run=moved)
    assert tasks.ensure_schedules() == []
    assert Schedule.objects.count() == 5 and Schedule.objects.get(pk=daily.pk).next_run == moved


def test_migrate_registers_the_schedules(db):
    # post_migrate ran when the test database was created.
    assert Schedule.objects.filter(name="worker-heartbeat", func=tasks.HEARTBEAT).exists()


def test_worker_status_follows_the_heartbeat(db):
    assert tasks.worker_status() == "unknown"
    tasks.enqueue(tasks.HEARTBEAT)  # inline here, as a worker would run it
    assert Success.objects.filter(func=tasks.HEARTBEAT).exists()
    assert tasks.worker_status() == "ok"
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert tasks.worker_status(now=later) == "stale"


def test_mail_is_queued_only_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as queued:
        tasks.after_commit("storefront.tasks.card_refunded", "khach@example.vn", "100042", Decimal("250000"), "Hết")
        assert mail.outbox == []
    assert len(queued) == 1 and mail.outbox == []
    queued[0]()
    (message,) = mail.outbox
    assert message.to == ["khach@example.vn"] and "100042" in message.subject + message.body


def test_a_rolled_back_transaction_queues_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        try:
            with transaction.atomic():
                tasks.after_commit("storefront.tasks.card_refunded", "khach@example.vn", "1", Decimal(1), "x")
                raise RuntimeError
        except RuntimeError:
            pass
    assert queued == []


def test_the_outbox_wakes_the_worker_once_per_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        with transaction.atomic():
            outbox.wake_worker()
            outbox.wake_worker()
            with transaction.atomic():
                outbox.wake_worker()
    assert len(queued) == 1
