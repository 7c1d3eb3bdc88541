"""The monthly report: "nothing changed", amounts per member, pay stubs, preview and receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload_from_client
from caseworks.payments.constants import INCOME_REPORTING_LAG_MONTHS, IncomeKind
from caseworks.payments.facts import month_start
from caseworks.payments.models import IncomeReport
from caseworks.payments.services.recalculation import MonthChange, recalculation_preview_for_client
from caseworks.payments.services.reports import income_report_record_for_client

from ..constants import (
    Channel,
    ReportKind,
)
from ..models import PortalAccount, ReportReceipt
from ._common import (
    REPORTING_ROLES,
    require_own_account,
)


def report_month(today: dt.date | None = None) -> dt.date:
    """The month the client reports now: last month's income (due this month)."""
    today = today or timezone.localdate()
    return month_start(today) - relativedelta(months=1)


def report_due_on(income_month: dt.date) -> dt.date:
    """The report of `income_month` is due on PORTAL_REPORT_DUE_DAY of the next month."""
    return (month_start(income_month) + relativedelta(months=1)).replace(
        day=settings.PORTAL_REPORT_DUE_DAY
    )


def reporting_members(benefit_unit: BenefitUnit) -> list[BenefitUnitMember]:
    """The adults who report income this month (applicant, spouse, dependent adults)."""
    today = timezone.localdate()
    return list(
        BenefitUnitMember.objects.filter(
            benefit_unit=benefit_unit, role__in=REPORTING_ROLES, start_on__lte=today
        )
        .exclude(end_on__lt=today)
        .select_related("person")
        .order_by("role", "id")
    )


def last_reported_amounts(benefit_unit: BenefitUnit, before: dt.date) -> dict[int, dict[str, int]]:
    """Each member's amounts by kind in their latest report before `before` (a month)."""
    found: dict[int, dict[str, int]] = {}
    latest: dict[int, dt.date] = {}
    rows = IncomeReport.objects.filter(benefit_unit=benefit_unit, income_month__lt=before).order_by(
        "-income_month"
    )
    for row in rows.values("person_id", "income_month", "kind", "amount_cents"):
        person_id = row["person_id"]
        month = latest.setdefault(person_id, row["income_month"])
        if row["income_month"] == month:
            found.setdefault(person_id, {})[row["kind"]] = row["amount_cents"]
    return found


Amounts = Mapping[int, Mapping[str, int]]


def _clean_amounts(benefit_unit: BenefitUnit, amounts: Amounts) -> dict[int, dict[str, int]]:
    members = {m.person_id for m in reporting_members(benefit_unit)}
    cleaned: dict[int, dict[str, int]] = {}
    for person_id, by_kind in amounts.items():
        if person_id not in members:
            raise ApplicationError(_("This person is not a member of the case."), field="person")
        kinds = {k: int(v) for k, v in by_kind.items() if v is not None}
        for kind, cents in kinds.items():
            if kind not in IncomeKind.values:
                raise ApplicationError(_("Unknown kind of income."), field=kind)
            if cents < 0:
                raise ApplicationError(_("An amount cannot be negative."), field=kind)
        cleaned[person_id] = kinds or {IncomeKind.EARNINGS.value: 0}
    for person_id in members - cleaned.keys():
        cleaned[person_id] = {IncomeKind.EARNINGS.value: 0}
    return cleaned


def _record(
    *,
    acting_user: User,
    account: PortalAccount,
    income_month: dt.date,
    amounts: dict[int, dict[str, int]],
    proof: Document | None,
) -> None:
    people = {m.person_id: m.person for m in reporting_members(account.benefit_unit)}
    for person_id, by_kind in sorted(amounts.items()):
        income_report_record_for_client(
            acting_user=acting_user,
            benefit_unit=account.benefit_unit,
            person=people[person_id],
            income_month=income_month,
            amounts_cents=by_kind,
            proof=proof if person_id == account.person_id else None,
        )


def portal_income_report_preview(
    *, acting_user: User, account: PortalAccount, amounts: Amounts
) -> MonthChange | None:
    """Next month's payment if these amounts are sent, from the same rules path as staff's
    preview (payments' recalculation, in a savepoint rolled back). Nothing is saved."""
    require_own_account(acting_user=acting_user, account=account)
    month = report_month()
    cleaned = _clean_amounts(account.benefit_unit, amounts)
    benefit_month = month + relativedelta(months=INCOME_REPORTING_LAG_MONTHS)

    def edit() -> None:
        _record(
            acting_user=acting_user,
            account=account,
            income_month=month,
            amounts=cleaned,
            proof=None,
        )

    rows = recalculation_preview_for_client(
        acting_user=acting_user,
        benefit_unit=account.benefit_unit,
        from_month=benefit_month,
        edit=edit,
    )
    return next((r for r in rows if r.benefit_month == benefit_month), None)


@transaction.atomic
def pay_stub_upload(
    *, acting_user: User, account: PortalAccount, filename: str, content: bytes
) -> Document:
    """Keep a pay stub the client photographed or chose on their case (to read it, and as the
    proof of the report they send)."""
    require_own_account(acting_user=acting_user, account=account)
    return document_upload_from_client(
        acting_user=acting_user,
        person=account.person,
        benefit_unit=account.benefit_unit,
        title=_("Pay stub sent online"),
        filename=filename,
        content=content,
    )


def _receipt(
    *,
    acting_user: User,
    account: PortalAccount,
    income_month: dt.date,
    kind: str,
    channel: str,
    amounts: dict[int, dict[str, int]],
    preview: MonthChange | None,
) -> ReportReceipt:
    receipt = ReportReceipt.objects.create(
        benefit_unit=account.benefit_unit,
        submitted_by=acting_user,
        income_month=income_month,
        kind=kind,
        channel=channel,
        amounts={str(k): v for k, v in amounts.items()},
        preview_benefit_month=preview.benefit_month if preview else None,
        preview_payment_cents=preview.new_payment_cents if preview else None,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_REPORT_RECEIVED,
        subject=receipt,
        delivery_partner_id=account.benefit_unit.delivery_partner_id,
        person_id=account.person_id,
        benefit_unit_id=account.benefit_unit_id,
        extra_data={"income_month": income_month.isoformat(), "kind": kind, "channel": channel},
    )
    return receipt


@transaction.atomic
def portal_report_nothing_changed(
    *, acting_user: User, account: PortalAccount, channel: str = Channel.PORTAL
) -> ReportReceipt:
    """ "Nothing changed": each reporting adult's amounts of their latest report again (0 of
    earnings for someone who never reported), for last month, in one step."""
    require_own_account(acting_user=acting_user, account=account)
    month = report_month()
    previous = last_reported_amounts(account.benefit_unit, month)
    members = reporting_members(account.benefit_unit)
    amounts = {
        m.person_id: previous.get(m.person_id) or {IncomeKind.EARNINGS.value: 0} for m in members
    }
    _record(
        acting_user=acting_user, account=account, income_month=month, amounts=amounts, proof=None
    )
    return _receipt(
        acting_user=acting_user,
        account=account,
        income_month=month,
        kind=ReportKind.NOTHING_CHANGED,
        channel=channel,
        amounts=amounts,
        preview=None,
    )


@transaction.atomic
def portal_income_report_submit(
    *, acting_user: User, account: PortalAccount, amounts: Amounts, proof: Document | None = None
) -> ReportReceipt:
    """The client's amounts for last month, per member, with the pay stub they uploaded as the
    proof; the receipt keeps next month's payment as the rules gave it for these amounts."""
    require_own_account(acting_user=acting_user, account=account)
    if proof is not None and (
        proof.benefit_unit_id != account.benefit_unit_id or proof.uploaded_by_id != acting_user.pk
    ):
        raise ApplicationError(_("Choose a pay stub you sent."), field="proof")
    month = report_month()
    cleaned = _clean_amounts(account.benefit_unit, amounts)
    preview = portal_income_report_preview(
        acting_user=acting_user, account=account, amounts=cleaned
    )
    _record(
        acting_user=acting_user, account=account, income_month=month, amounts=cleaned, proof=proof
    )
    return _receipt(
        acting_user=acting_user,
        account=account,
        income_month=month,
        kind=ReportKind.AMOUNTS,
        channel=Channel.PORTAL,
        amounts=cleaned,
        preview=preview,
    )
