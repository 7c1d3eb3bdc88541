"""Scheduled jobs (procrastinate). Each calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .services import message_threads_escalate


@app.periodic(cron="30 * * * *")  # every hour at :30 (resumable: a missed run is caught up)
@app.task(name="messaging.message_threads_escalate", queueing_lock="message_threads_escalate")
def message_threads_escalate_task(timestamp: int) -> int:
    """Send the threads whose client has waited past the reply date to a supervisor."""
    return message_threads_escalate().escalated
