from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_member_add
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.payments.models import BankDetailChange, IncomeReport, PaymentProfile
from caseworks.payments.services import payment_action_record
from caseworks.payments.services.recalculation import recalculation_preview
from caseworks.payments.services.reports import income_report_record
from caseworks.portal.constants import ReportKind, SmsDirection
from caseworks.portal.models import (
    ActivationCode,
    PortalAccount,
    ReportReceipt,
    ReportReminder,
    SmsMessage,
)
from caseworks.portal.reminders import report_reminders_send
from caseworks.portal.services import (
    activation_code_issue,
    pay_stub_upload,
    portal_account_activate,
    portal_bank_change_request,
    portal_income_report_preview,
    portal_income_report_submit,
    portal_report_nothing_changed,
    sms_inbound_receive,
)
from caseworks.portal.sms import SIGNATURE_HEADER, webhook_signature
from caseworks.records.services import closed_files_purge_batch

from .conftest import FEB, JAN, PASSWORD, World

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=kind).order_by("id"))


def test_activation_code_issue_keeps_only_a_hash_and_audits(world: World) -> None:
    row, code = activation_code_issue(
        acting_user=world.staff["caseworker"], benefit_unit=world.case, person=world.spouse
    )
    assert code.replace("-", "") not in row.code_hash
    assert len(row.code_hash) == 64
    event = _events("portal_activation_code_issued")[-1]
    assert (event.acting_user_id, event.person_id) == (
        world.staff["caseworker"].pk,
        world.spouse.pk,
    )


def test_activation_code_issue_refused_for_a_child_and_for_another_partner(world: World) -> None:
    child = PersonFactory(
        delivery_partner=world.case.delivery_partner, date_of_birth=dt.date(2015, 1, 1)
    )
    benefit_unit_member_add(
        acting_user=world.staff["caseworker"],
        benefit_unit=world.case,
        person=child,
        role=MemberRole.DEPENDANT_CHILD,
        start_on=dt.date(2025, 10, 6),
    )
    with pytest.raises(ApplicationError, match="18 or older"):
        activation_code_issue(
            acting_user=world.staff["caseworker"], benefit_unit=world.case, person=child
        )
    with pytest.raises(ApplicationError, match="another delivery partner"):
        activation_code_issue(
            acting_user=world.other_staff["caseworker"],
            benefit_unit=world.case,
            person=world.spouse,
        )
    clerk = UserFactory(role=Role.AUDITOR, delivery_partner=world.case.delivery_partner)
    with pytest.raises(PermissionDeniedError):
        activation_code_issue(acting_user=clerk, benefit_unit=world.case, person=world.spouse)


def test_portal_account_activate_opens_the_spouses_own_account_with_the_number_on_file(
    world: World,
) -> None:
    world.spouse.phone = "(416) 555-0199"
    world.spouse.save(update_fields=["phone"])
    _row, code = activation_code_issue(
        acting_user=world.staff["caseworker"], benefit_unit=world.case, person=world.spouse
    )
    account = portal_account_activate(
        code=code.lower(),
        date_of_birth=world.spouse.date_of_birth,
        case_number=world.case.case_number.lower(),
        username="4165550199",
        password=PASSWORD,
    )
    assert (account.person, account.benefit_unit, account.sms_phone) == (
        world.spouse,
        world.case,
        "4165550199",
    )
    assert account.user.role == ""
    assert account.user.delivery_partner_id is None
    assert account.user.email == ""
    assert _events("portal_account_activated")[-1].acting_user_id == account.user_id
    with pytest.raises(ApplicationError) as reused:
        portal_account_activate(
            code=code,
            date_of_birth=world.spouse.date_of_birth,
            case_number=world.case.case_number,
            username="omar2",
            password=PASSWORD,
        )
    assert reused.value.field == "code"


def test_portal_account_activate_refuses_a_wrong_birth_date_and_counts_it(world: World) -> None:
    row, code = activation_code_issue(
        acting_user=world.staff["caseworker"], benefit_unit=world.case, person=world.spouse
    )
    for _ in range(5):
        with pytest.raises(ApplicationError) as error:
            portal_account_activate(
                code=code,
                date_of_birth=dt.date(1999, 1, 1),
                case_number=world.case.case_number,
                username="omar",
                password=PASSWORD,
            )
        assert error.value.field == "code"
    row.refresh_from_db()
    assert row.failures == 5
    # Locked now, even with the right date of birth.
    with pytest.raises(ApplicationError):
        portal_account_activate(
            code=code,
            date_of_birth=world.spouse.date_of_birth,
            case_number=world.case.case_number,
            username="omar",
            password=PASSWORD,
        )
    assert not PortalAccount.objects.filter(person=world.spouse).exists()


def test_portal_account_activate_names_the_field_of_a_weak_password(world: World) -> None:
    _row, code = activation_code_issue(
        acting_user=world.staff["caseworker"], benefit_unit=world.case, person=world.spouse
    )
    with pytest.raises(ApplicationError) as error:
        portal_account_activate(
            code=code,
            date_of_birth=world.spouse.date_of_birth,
            case_number=world.case.case_number,
            username="omar",
            password="short",
        )
    assert error.value.field == "password"
    assert ActivationCode.objects.get(person=world.spouse).used_at is None


def test_portal_report_nothing_changed_repeats_each_adults_last_amounts(world: World) -> None:
    income_report_record(
        acting_user=world.staff["caseworker"],
        benefit_unit=world.case,
        person=world.spouse,
        income_month=dt.date(2025, 12, 1),
        amounts_cents={"earnings": 41_250, "other": 5_000},
    )
    receipt = portal_report_nothing_changed(acting_user=world.account.user, account=world.account)
    rows = {
        (r.person_id, r.kind): r.amount_cents
        for r in IncomeReport.objects.filter(benefit_unit=world.case, income_month=JAN)
    }
    assert rows == {
        (world.account.person_id, "earnings"): 0,
        (world.spouse.pk, "earnings"): 41_250,
        (world.spouse.pk, "other"): 5_000,
    }
    assert (receipt.kind, receipt.income_month, receipt.channel) == (
        ReportKind.NOTHING_CHANGED,
        JAN,
        "portal",
    )
    assert IncomeReport.objects.filter(income_month=JAN).first().recorded_by == world.account.user
    assert _events("portal_report_received")[-1].acting_user_id == world.account.user_id


def test_portal_report_refused_for_someone_elses_account(world: World) -> None:
    with pytest.raises(ApplicationError, match="not your account"):
        portal_report_nothing_changed(acting_user=world.other_account.user, account=world.account)
    assert not ReportReceipt.objects.exists()


def test_portal_income_report_preview_is_the_staff_preview_of_the_same_amounts(
    world: World,
) -> None:
    amounts = {world.account.person_id: {"earnings": 60_000}, world.spouse.pk: {}}
    preview = portal_income_report_preview(
        acting_user=world.account.user, account=world.account, amounts=amounts
    )
    staff_rows = recalculation_preview(
        acting_user=world.staff["caseworker"],
        benefit_unit=world.case,
        from_month=FEB,
        edit=lambda: income_report_record(
            acting_user=world.staff["caseworker"],
            benefit_unit=world.case,
            person=world.account.person,
            income_month=JAN,
            amounts_cents={"earnings": 60_000},
        ),
    )
    assert preview is not None
    assert preview.benefit_month == FEB
    assert preview.new_payment_cents == staff_rows[0].new_payment_cents
    assert not IncomeReport.objects.filter(income_month=JAN).exists()  # nothing saved
    # Earnings lower the payment (the rules ran with them).
    nothing = portal_income_report_preview(
        acting_user=world.account.user, account=world.account, amounts={}
    )
    assert nothing is not None
    assert nothing.new_payment_cents > preview.new_payment_cents


def test_portal_income_report_submit_keeps_the_stub_and_the_preview_on_the_receipt(
    world: World,
) -> None:

    stub = pay_stub_upload(
        acting_user=world.account.user, account=world.account, filename="stub.png", content=PNG
    )
    assert (stub.uploaded_by, stub.uploaded_by_person, stub.person) == (
        world.account.user,
        world.account.person,
        world.account.person,
    )
    receipt = portal_income_report_submit(
        acting_user=world.account.user,
        account=world.account,
        amounts={world.account.person_id: {"earnings": 60_000}},
        proof=stub,
    )
    report = IncomeReport.objects.get(
        person=world.account.person, income_month=JAN, kind="earnings"
    )
    assert (report.amount_cents, report.proof_id) == (60_000, stub.pk)
    assert receipt.preview_benefit_month == FEB
    assert receipt.preview_payment_cents is not None
    assert receipt.preview_payment_cents > 0
    assert receipt.amounts[str(world.spouse.pk)] == {"earnings": 0}


def test_portal_income_report_submit_refuses_a_negative_amount_naming_the_field(
    world: World,
) -> None:
    with pytest.raises(ApplicationError) as error:
        portal_income_report_submit(
            acting_user=world.account.user,
            account=world.account,
            amounts={world.account.person_id: {"earnings": -5}},
        )
    assert error.value.field == "earnings"
    assert not IncomeReport.objects.filter(income_month=JAN).exists()


def test_portal_bank_change_needs_the_second_factor_then_waits_for_staff(world: World) -> None:
    kwargs: dict[str, Any] = {
        "acting_user": world.account.user,
        "account": world.account,
        "holder_name": "Amira Haddad",
        "institution": "003",
        "transit": "54321",
        "account_number": "7654321",
        "proof_filename": "cheque.png",
        "proof_content": PNG,
    }
    with pytest.raises(ApplicationError) as error:
        portal_bank_change_request(second_factor_recent=False, **kwargs)
    assert error.value.code == "second_factor_required"
    assert not BankDetailChange.objects.exists()
    change = portal_bank_change_request(second_factor_recent=True, **kwargs)
    assert (change.status, change.requested_by, change.account) == (
        BankDetailChange.Status.PENDING,
        world.account.user,
        "7654321",
    )
    # One client-upload service (documents.services.document_upload_from_client): the
    # account that sent it and the person it comes from are both kept.
    assert (change.proof.uploaded_by, change.proof.uploaded_by_person) == (
        world.account.user,
        world.account.person,
    )


def test_sms_zero_from_the_number_on_file_reports_nothing_changed_and_answers(
    world: World,
) -> None:
    PortalAccount.objects.filter(pk=world.account.pk).update(sms_phone="4165550123")
    answer = sms_inbound_receive(phone="+1 416 555 0123", body=" 0 ")
    receipt = ReportReceipt.objects.get()
    assert (receipt.kind, receipt.channel) == (ReportKind.NOTHING_CHANGED, "sms")
    assert answer is not None
    assert receipt.number in answer.body
    assert answer.phone == "4165550123"
    assert answer.status == "sent"
    assert SmsMessage.objects.filter(direction=SmsDirection.INBOUND, status="received").count() == 1


def test_sms_from_an_unknown_number_records_nothing_and_answers_nothing(world: World) -> None:
    assert sms_inbound_receive(phone="6135550000", body="0") is None
    assert not ReportReceipt.objects.exists()
    assert SmsMessage.objects.get().status == "rejected"


def test_sms_webhook_checks_the_signature(world: World) -> None:
    PortalAccount.objects.filter(pk=world.account.pk).update(sms_phone="4165550123")
    body = json.dumps({"from": "+14165550123", "body": "0", "id": "abc"}).encode()
    client = Client()
    forged = client.post(
        "/my/sms/inbound/",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: webhook_signature(body, "wrong-secret")},
    )
    assert forged.status_code == 403
    assert not ReportReceipt.objects.exists()
    bad = client.post(
        "/my/sms/inbound/",
        b"{}",
        content_type="application/json",
        headers={SIGNATURE_HEADER: webhook_signature(b"{}")},
    )
    assert bad.status_code == 400
    signed = client.post(
        "/my/sms/inbound/",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: webhook_signature(body)},
    )
    assert signed.status_code == 200
    assert signed.json() == {"answered": True}
    assert ReportReceipt.objects.get().channel == "sms"


def test_reminders_go_by_email_and_sms_on_the_reminder_days_once_a_day(
    world: World, mailoutbox: Any
) -> None:

    PortalAccount.objects.filter(pk=world.account.pk).update(sms_phone="4165550123")
    world.account.user.email = "amira@example.org"
    world.account.user.save(update_fields=["email"])
    assert report_reminders_send(today=dt.date(2026, 2, 9)).sent == 0  # not a reminder day
    first = report_reminders_send(today=dt.date(2026, 2, 10))  # 5 days before the 15th
    again = report_reminders_send(today=dt.date(2026, 2, 10))
    assert (first.sent, again.sent) == (2, 0)
    assert [m.to for m in mailoutbox] == [["amira@example.org"]]
    assert SmsMessage.objects.filter(phone="4165550123", direction="outbound").count() == 1
    assert set(ReportReminder.objects.values_list("channel", flat=True)) == {"email", "sms"}


def test_no_hold_for_a_missing_report_without_two_reminders_on_each_channel(
    world: World,
) -> None:

    PortalAccount.objects.filter(pk=world.account.pk).update(sms_phone="4165550123")
    world.account.user.email = "amira@example.org"
    world.account.user.save(update_fields=["email"])
    hold = {
        "acting_user": world.staff["caseworker"],
        "benefit_unit": world.case,
        "kind": "hold",
        "reason": "No income report for January",
        "for_missing_report": True,
    }
    report_reminders_send(today=dt.date(2026, 2, 10))
    with pytest.raises(ApplicationError) as error:
        payment_action_record(**hold)
    assert error.value.code == "reminders_missing"
    assert not PaymentProfile.objects.filter(benefit_unit=world.case, on_hold=True).exists()
    report_reminders_send(today=dt.date(2026, 2, 13))  # 2 days before: the second reminders
    world.case.refresh_from_db()
    payment_action_record(**hold)
    assert PaymentProfile.objects.get(benefit_unit=world.case).on_hold is True


def test_purging_a_closed_file_closes_the_clients_portal_sign_in(world: World) -> None:
    """Records retention (caseworks.records): when a person's every file is purged, their
    client account keeps no username, e-mail or second factor and cannot sign in."""
    user = world.other_account.user
    user.email = "bea@example.org"
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email="bea@example.org", verified=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    BenefitUnit.objects.filter(pk=world.other_case.pk).update(
        status=CaseStatus.CLOSED,
        status_changed_on=dt.date(2018, 6, 30),
        closed_on=dt.date(2018, 6, 30),
    )
    result = closed_files_purge_batch(
        benefit_unit_ids=[world.other_case.pk], as_of=dt.date(2026, 2, 1), retention_years=7
    )

    assert [p.benefit_unit_id for p in result.purged] == [world.other_case.pk]
    user.refresh_from_db()
    assert user.username == f"purged-client-{user.pk}"
    assert (user.email, user.is_active, user.has_usable_password()) == ("", False, False)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not user.history.exclude(username=user.username).exists()
    counts = result.purged[0].counts
    assert counts["accounts.user:client_closed"] == 1
    signing_in = Client().post("/my/login/", {"login": "bea", "password": PASSWORD})
    assert signing_in.status_code == 200  # the form again: no account of that name
    # The client of the file still open keeps their sign-in.
    world.account.user.refresh_from_db()
    assert (world.account.user.username, world.account.user.is_active) == ("amira", True)
