"""The lifecycle's background task: the daily reminders (scheduled in storefront/tasks.py)."""

from cms.lifecycle import reminders


def send_reminders():
    """Send the re-evaluation reminders due today; the result is the run's summary."""
    return str(reminders.send_due())
