"""Demo scenes written through the services as staff and clients would: callers in the intake
queue, and clients online at Toronto (`load_demo_data` calls them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from caseworks.accounts.models import User
from caseworks.applications.services import appointment_book, inquiry_record
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.messaging.services import (
    message_reply,
    message_send_from_client,
    message_threads_escalate,
    reported_change_submit_from_client,
)
from caseworks.payments.models import CircumstancesChange


def demo_intake(*, user: User, today: dt.date, counts: dict[str, int]) -> None:
    """A few callers in the intake queue, one with an appointment tomorrow at 10:00."""
    callers = (
        ("Sam Demo-Caller (synthetic)", 0, 90_000),
        ("Émilie Demo-Appelante (synthétique)", 2, 120_000),
        ("Jordan Demo-Caller (synthetic)", 1, 0),
    )
    for index, (name, children, rent) in enumerate(callers):
        inquiry = inquiry_record(
            acting_user=user,
            caller_name=name,
            phone=f"555-01{50 + index:02d}",
            adults=1,
            children=children,
            shelter_cost_cents=rent,
        )
        counts["inquiries"] = counts.get("inquiries", 0) + 1
        if index == 1:
            tomorrow = today + dt.timedelta(days=1)
            appointment_book(
                acting_user=user,
                caseworker=user,
                starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10))),
                inquiry=inquiry,
            )


def demo_clients_online(*, worker: User, today: dt.date, counts: dict[str, int]) -> None:
    """Clients online at Toronto: a thread answered, one escalated to the supervisor (the
    escalation job run as of the day after its reply date), one waiting, and a change of
    rent waiting for the caseworker to verify. Written through the services, as the
    client realm calls them."""
    active = [
        unit
        for unit in BenefitUnit.objects.filter(
            caseworker=worker, status=CaseStatus.ACTIVE
        ).order_by("pk")
        if CircumstancesChange.objects.filter(benefit_unit=unit).exists()
    ][:4]
    if len(active) < 4:
        return
    answered, escalated, waiting, changed = active

    def applicant(unit: BenefitUnit) -> Any:
        return unit.members.get(role=MemberRole.APPLICANT, end_on__isnull=True).person

    message = message_send_from_client(
        person=applicant(answered),
        benefit_unit=answered,
        body="Hello, when will my payment come this month? (synthetic demo message)",
    )
    message_reply(
        acting_user=worker,
        thread=message.thread,
        body="It is deposited on the last business day of the month. (synthetic demo reply)",
    )
    message = message_send_from_client(
        person=applicant(escalated),
        benefit_unit=escalated,
        body="I have left two voicemails about my rent receipt. (synthetic demo message)",
    )
    due = message.thread.reply_due_on or today
    counts["escalated threads"] = message_threads_escalate(
        as_of=due + dt.timedelta(days=1)
    ).escalated
    message_send_from_client(
        person=applicant(waiting),
        benefit_unit=waiting,
        body="I started a part-time job. What do I report? (synthetic demo message)",
    )
    reported_change_submit_from_client(
        person=applicant(changed),
        benefit_unit=changed,
        kind="shelter_cost",
        changed_on=today.replace(day=1),
        shelter_cost_cents=112_500,
        details="My landlord raised the rent. (synthetic demo change)",
    )
    counts["client messages"] = 3
    counts["reported changes"] = 1
