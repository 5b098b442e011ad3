"""Background work: the tasks the worker runs, the periodic jobs, and the worker's health.

The task library is django-q2 with its ORM broker (README "Background work"): a queued task
is a row in the project's own database, so the embedded default needs nothing else to run,
a task queued while no worker runs waits for one, and a worker that dies while running a task
gives it back after Q_CLUSTER["retry"] seconds. `manage.py qcluster` runs the workers and the
scheduler; `make run` starts it beside runserver.

The request side never sends mail itself: `after_commit(...)` queues the task once the
order's transaction has committed (nothing is sent for an order that rolled back), and the
task reads the order back from the database. The tests run tasks inline (sync mode).

Periodic jobs are django-q2 schedules, listed in SCHEDULES and created by `ensure_schedules()`
after every migrate (and by `manage.py setup_schedules`): missing ones are added, existing
ones (perhaps edited in the Django admin) are left alone.

`worker_status()` says whether a worker is alive: the scheduler queues `heartbeat` every
minute and a worker runs it, so a recent heartbeat result means both work.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule, Success
from django_q.tasks import async_task
from oscar.core.loading import get_model

from storefront import notifications

logger = logging.getLogger(__name__)


def enqueue(func, *args, **kwargs):
    """Queue `func` (a dotted path) for the worker now; returns the task id."""
    return async_task(func, *args, **kwargs)


def after_commit(func, *args, **kwargs):
    """Queue `func` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(func, *args, **kwargs))


# --- The tasks ---------------------------------------------------------------------------------


def order_placed_after_commit(order):
    """Queue the mail of a new order: two tasks, so a retry of the producers' notices (their
    mail server refused) never sends the customer's confirmation twice."""
    after_commit("storefront.tasks.confirm_order", order.pk)
    after_commit("storefront.tasks.notify_producers", order.pk)


def confirm_order(order_id):
    """The customer's order confirmation (storefront.notifications)."""
    notifications.confirm_to_customer(get_model("order", "Order").objects.get(pk=order_id))


def notify_producers(order_id):
    """Each producer's notice of its own lines of the order (storefront.notifications)."""
    notifications.notify_producers(get_model("order", "Order").objects.get(pk=order_id))


def order_update(order_id, code):
    """The customer's mail of one step of the order, sent once (storefront.orders)."""
    from storefront import orders  # orders queues this task: imported here, not at the top

    return orders.send_update(order_id, code)


def card_refunded(email, order_number, amount, reason):
    notifications.card_refunded(email, order_number, amount, reason)


def heartbeat():
    return timezone.now().isoformat()


# --- Periodic jobs -----------------------------------------------------------------------------

HEARTBEAT = "storefront.tasks.heartbeat"


def _next_local(hour, minute=0):
    """The next time it is hour:minute in the site's time zone."""
    now = timezone.localtime()
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return run if run > now else run + datetime.timedelta(days=1)


def schedules():
    """The periodic jobs by name: the task's dotted path, its kind of schedule and first run.

    A new periodic job (reminders, the half-yearly reports) is one more entry here: the next
    migrate registers it."""
    return {
        "search-refresh-expiring": {
            "func": "search.tasks.refresh_expiring",
            "schedule_type": Schedule.DAILY,
            # Just after midnight, when certificates leave force by date.
            "next_run": _next_local(0, 15),
        },
        # Re-evaluation reminders (cms/lifecycle/reminders.py): each stage's mail once; a
        # missed day is caught up by the next run. In the morning, when the office reads mail.
        "lifecycle-reminders": {
            "func": "cms.lifecycle.tasks.send_reminders",
            "schedule_type": Schedule.DAILY,
            "next_run": _next_local(7, 0),
        },
        # The periodic reports (cms/oversight/tasks.py): mailed to the OCOP office on the first
        # morning of their window, 10–14/6 (half-year) and 10–14/12 (year), once per period.
        "oversight-reports": {
            "func": "cms.oversight.tasks.send_reports",
            "schedule_type": Schedule.DAILY,
            "next_run": _next_local(7, 5),
        },
        # The safety net behind the outbox's own wake-up call (search.tasks): rows left pending
        # while the search engine was down are applied within a minute of its return.
        "search-apply-outbox": {
            "func": "search.tasks.apply_outbox",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "next_run": timezone.now(),
        },
        "worker-heartbeat": {
            "func": HEARTBEAT,
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "next_run": timezone.now(),
        },
    }


def ensure_schedules():
    """Create the missing periodic jobs; returns the names created. Idempotent."""
    created = []
    for name, fields in schedules().items():
        _, new = Schedule.objects.get_or_create(name=name, defaults={"repeats": -1, **fields})
        if new:
            created.append(name)
    return created


def ensure_schedules_after_migrate(using="default", **kwargs):
    if using != "default":
        return
    created = ensure_schedules()
    if created and kwargs.get("verbosity", 1) >= 1:
        logger.info("Background schedules added: %s", ", ".join(created))


# --- Health ----------------------------------------------------------------------------------

OK, STALE, UNKNOWN = "ok", "stale", "unknown"


def worker_status(now=None):
    """ "ok" when a worker ran the heartbeat recently, "stale" when its last run is older than
    OCOP_WORKER_STALE_AFTER_SECONDS, "unknown" when no heartbeat was ever recorded (no worker
    has run yet) or the task tables cannot be read."""
    try:
        last = Success.objects.filter(func=HEARTBEAT).order_by("-stopped").values_list("stopped", flat=True).first()
    except Exception:  # the database itself is /healthz's business
        logger.exception("worker status: cannot read the task results")
        return UNKNOWN
    if last is None:
        return UNKNOWN
    now = now or timezone.now()
    if now - last > datetime.timedelta(seconds=settings.OCOP_WORKER_STALE_AFTER_SECONDS):
        return STALE
    return OK
