"""Scheduled jobs of the client portal (procrastinate). Each calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .reminders import report_reminders_send


@app.periodic(cron="0 10 * * *")  # every day at 10:00: sends only on the reminder days
@app.task(name="portal.report_reminders_send", queueing_lock="portal_report_reminders_send")
def report_reminders_send_task(timestamp: int) -> int:
    """E-mail and text reminders before the monthly report is due (idempotent per day)."""
    return report_reminders_send().sent
