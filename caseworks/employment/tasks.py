"""Scheduled jobs (procrastinate). Each calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .services import follow_up_tasks_raise, referral_overdue_tasks_raise


@app.periodic(cron="20 6 * * *")  # every day at 06:20
@app.task(name="employment.referral_overdue_tasks_raise", queueing_lock="referral_overdue")
def referral_overdue_tasks_raise_task(timestamp: int) -> int:
    """A task for each referral left unanswered past its expected response time."""
    return referral_overdue_tasks_raise().created


@app.periodic(cron="25 6 * * *")  # every day at 06:25
@app.task(name="employment.follow_up_tasks_raise", queueing_lock="follow_up_tasks")
def follow_up_tasks_raise_task(timestamp: int) -> int:
    """A task for each 1/3/6/12-month job follow-up that has come due."""
    return follow_up_tasks_raise().created
