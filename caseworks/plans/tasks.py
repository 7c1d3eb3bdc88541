"""Scheduled jobs (procrastinate). Each calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .services import plan_review_tasks_raise


@app.periodic(cron="15 6 * * *")  # every day at 06:15
@app.task(name="plans.plan_review_tasks_raise", queueing_lock="plan_review_tasks_raise")
def plan_review_tasks_raise_task(timestamp: int) -> int:
    """Raise a Task for each overdue participation agreement review (idempotent)."""
    return plan_review_tasks_raise().created
