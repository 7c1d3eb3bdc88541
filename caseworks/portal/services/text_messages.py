"""Report by text message: "0" from the verified number on file, answered with the receipt."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from caseworks.core.errors import ApplicationError

from ..constants import (
    Channel,
    SmsDirection,
    SmsStatus,
)
from ..models import PortalAccount, ReportReceipt, SmsMessage
from ..sms import normalise_phone, sms_backend
from .reports import portal_report_nothing_changed


def receipt_text(receipt: ReportReceipt, language: str) -> str:
    with override(language):
        return _(
            "Ontario Works: your report for %(month)s is received (nothing changed). "
            "Receipt %(number)s."
        ) % {"month": receipt.income_month.strftime("%Y-%m"), "number": receipt.number}


def sms_inbound_receive(*, phone: str, body: str, provider_id: str = "") -> SmsMessage | None:
    """A text message from a client. "0" from the verified number on file of exactly one
    account means "nothing changed this month": it is recorded and answered with the receipt.
    Anything else is kept and answered with how to report; an unknown number gets no answer.
    Returns the answer sent, if any."""
    number = normalise_phone(phone)
    accounts = list(
        PortalAccount.objects.filter(sms_phone=number).select_related(
            "user", "person", "benefit_unit"
        )
        if number
        else []
    )
    known = len(accounts) == 1
    SmsMessage.objects.create(
        direction=SmsDirection.INBOUND,
        status=SmsStatus.RECEIVED if known else SmsStatus.REJECTED,
        phone=number or phone[:16],
        body=body[:160],
        benefit_unit_id=accounts[0].benefit_unit_id if known else None,
        provider_id=provider_id[:64],
    )
    if not known:
        return None
    account = accounts[0]
    language = account.person.language_preference
    if body.strip() != "0":
        with override(language):
            text = _(
                "Ontario Works: reply 0 if nothing changed last month. To report income, "
                "sign in online or call your caseworker."
            )
        return sms_backend().send(phone=number, body=text, benefit_unit_id=account.benefit_unit_id)
    try:
        receipt = portal_report_nothing_changed(
            acting_user=account.user, account=account, channel=Channel.SMS
        )
    except ApplicationError as error:
        return sms_backend().send(
            phone=number, body=str(error.message)[:160], benefit_unit_id=account.benefit_unit_id
        )
    return sms_backend().send(
        phone=number, body=receipt_text(receipt, language), benefit_unit_id=account.benefit_unit_id
    )
