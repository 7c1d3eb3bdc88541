"""Reminders before the monthly report's deadline, and the rule that protects clients from a
hold for a missing report they were not reminded of (issue 17).

Reminders go PORTAL_REMINDER_DAYS_BEFORE days before the due date (the 15th of the month): by
e-mail when the client has an address (their account's, else the case file's) and by text
message when the account has a mobile number on file. A hold for a missing report
(payments' `payment_action_record(for_missing_report=True)`) is refused unless the client with
a portal account was sent two reminders for that report on each channel they have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.core.errors import ApplicationError

from .constants import Channel
from .models import PortalAccount, ReportReceipt, ReportReminder
from .services import report_due_on, report_month
from .sms import sms_backend

REMINDERS_NEEDED = 2


def _channels(account: PortalAccount) -> list[str]:
    found = []
    if account.user.email or account.person.email:
        found.append(Channel.EMAIL.value)
    if account.sms_phone:
        found.append(Channel.SMS.value)
    return found


def _text(account: PortalAccount, due: dt.date, month: dt.date) -> str:
    with override(account.person.language_preference):
        return _(
            "Ontario Works: please report your income for %(month)s by %(due)s. Sign in to "
            "My Ontario Works, or reply 0 by text message if nothing changed."
        ) % {"month": month.strftime("%Y-%m"), "due": due.isoformat()}


@dataclass(frozen=True)
class ReminderResult:
    accounts: int
    sent: int


def report_reminders_send(*, today: dt.date | None = None) -> ReminderResult:
    """Send today's reminders (idempotent: at most one per case, month, channel and day)."""
    today = today or timezone.localdate()
    month = report_month(today)
    due = report_due_on(month)
    if (due - today).days not in settings.PORTAL_REMINDER_DAYS_BEFORE:
        return ReminderResult(accounts=0, sent=0)
    reported = ReportReceipt.objects.filter(income_month=month).values("benefit_unit_id")
    accounts = (
        PortalAccount.objects.filter(benefit_unit__status=CaseStatus.ACTIVE)
        .exclude(benefit_unit_id__in=reported)
        .select_related("user", "person")
        .order_by("id")
    )
    count = sent = 0
    for account in accounts.iterator(chunk_size=500):
        count += 1
        for channel in _channels(account):
            with transaction.atomic():
                if ReportReminder.objects.filter(
                    benefit_unit_id=account.benefit_unit_id,
                    income_month=month,
                    channel=channel,
                    sent_at__date=today,
                ).exists():
                    continue
                text = _text(account, due, month)
                if channel == Channel.EMAIL:
                    with override(account.person.language_preference):
                        subject = _("Ontario Works: your monthly report is due")
                    send_mail(
                        subject,
                        text,
                        None,
                        [account.user.email or account.person.email],
                    )
                else:
                    sms_backend().send(
                        phone=account.sms_phone, body=text, benefit_unit_id=account.benefit_unit_id
                    )
                ReportReminder.objects.create(
                    benefit_unit_id=account.benefit_unit_id, income_month=month, channel=channel
                )
                sent += 1
    return ReminderResult(accounts=count, sent=sent)


def missing_report_hold_check(benefit_unit: BenefitUnit) -> None:
    """Registered with payments (MISSING_REPORT_HOLD_CHECKS): a client with a portal account is
    never held for last month's missing report without two reminders on each of their channels.
    (Clients without an account are reminded by their caseworker, as before.)"""
    month = report_month()
    for account in PortalAccount.objects.filter(benefit_unit=benefit_unit).select_related(
        "user", "person"
    ):
        for channel in _channels(account):
            sent = ReportReminder.objects.filter(
                benefit_unit=benefit_unit, income_month=month, channel=channel
            ).count()
            if sent < REMINDERS_NEEDED:
                raise ApplicationError(
                    _(
                        "The client was not reminded twice by %(channel)s about this report: "
                        "no hold for a missing report until they are."
                    )
                    % {"channel": Channel(channel).label},
                    field="for_missing_report",
                    code="reminders_missing",
                )
