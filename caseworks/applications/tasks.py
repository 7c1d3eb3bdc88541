"""Scheduled intake jobs (procrastinate). Each calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .services import appointment_reminders_send


@app.periodic(cron="*/15 * * * *")  # every quarter of an hour
@app.task(name="applications.appointment_reminders_send", queueing_lock="appointment_reminders")
def appointment_reminders_send_task(timestamp: int) -> int:
    """E-mail each client a reminder of an appointment in the next 24 hours (idempotent)."""
    return appointment_reminders_send()
