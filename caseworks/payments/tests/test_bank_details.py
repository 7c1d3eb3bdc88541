"""Guarded bank details (issue 12): the $733 chain — a partner administrator's two staff
accounts change a client's account, prepare, approve and release a run — fails at each guard."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.core.errors import ApplicationError
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload
from caseworks.payments.bank_details import (
    add_business_days,
    bank_detail_change_approve,
    bank_detail_change_request,
)
from caseworks.payments.models import BankAccount, BankDetailChange, PaymentRunLine
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% synthetic void cheque\n"


def _chain(partner: Any) -> dict[str, Any]:
    """The administrator's caseworker and supervisor, an honest supervisor, and a client paid to
    their own account."""
    people = {
        "admins_caseworker": UserFactory(role=Role.CASEWORKER, delivery_partner=partner),
        "admins_supervisor": UserFactory(role=Role.SUPERVISOR, delivery_partner=partner),
        "honest_supervisor": UserFactory(role=Role.SUPERVISOR, delivery_partner=partner),
    }
    people["case"] = active_case(
        partner=partner,
        actor=people["admins_caseworker"],
        first_name="Ana",
        last_name="Roy",
        bank=("004", "12345", "1111111"),
    )
    people["proof"] = document_upload(
        acting_user=people["admins_caseworker"],
        benefit_unit=people["case"],
        title="Void cheque",
        filename="cheque.pdf",
        content=PDF,
    )
    return people


def _request(people: dict[str, Any], proof: Any) -> BankDetailChange:
    return bank_detail_change_request(
        acting_user=people["admins_caseworker"],
        benefit_unit=people["case"],
        holder_name="Ana Roy",
        institution="010",
        transit="54321",
        account="9999999",
        proof=proof,
    )


def test_bank_change_without_proof_is_refused(partner: Any) -> None:
    people = _chain(partner)
    with pytest.raises(ApplicationError) as refused:
        _request(people, None)
    assert refused.value.code == "bank_proof_required"
    assert not BankDetailChange.objects.exists()


def test_bank_change_cannot_be_approved_by_the_person_who_asked(partner: Any) -> None:
    people = _chain(partner)
    change = _request(people, people["proof"])
    with pytest.raises(ApplicationError) as refused:
        bank_detail_change_approve(acting_user=people["admins_caseworker"], change=change)
    assert refused.value.code == "bank_change_same_person"
    assert BankAccount.objects.get(end_on__isnull=True).account == "1111111"


def test_733_chain_fails_at_each_guard(partner: Any) -> None:
    people = _chain(partner)
    case = people["case"]
    change = _request(people, people["proof"])
    # Until a second person approves, the old account stays the current one.
    assert BankAccount.objects.get(benefit_unit=case, end_on__isnull=True).account == "1111111"
    change = bank_detail_change_approve(acting_user=people["admins_supervisor"], change=change)
    today = timezone.localdate()
    assert change.bank_account.deposits_from == add_business_days(today, 5)
    # The notice goes to the client, in their language, naming only the last digits.
    notice = Document.objects.get(pk=change.notice_id)
    assert notice.kind == "notice"
    assert notice.benefit_unit_id == case.pk
    # Cooling-off: the run pays by cheque, not to the new account.
    month = today.replace(day=1)
    run = payment_run_prepare(
        acting_user=people["admins_caseworker"], delivery_partner=partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=people["admins_caseworker"], run=run)
    line = PaymentRunLine.objects.get(run=run, benefit_unit=case)
    assert (line.method, line.bank_account_id) == ("cheque", None)
    # Separation of duties: who approved the change cannot approve the run paying it...
    with pytest.raises(ApplicationError) as refused:
        payment_run_approve(acting_user=people["admins_supervisor"], run=run)
    assert refused.value.code == "bank_details_changed_by_approver"
    assert case.case_number in refused.value.message
    # ... nor release it once an honest approver has approved it.
    run = payment_run_approve(acting_user=people["honest_supervisor"], run=run)
    with pytest.raises(ApplicationError) as refused:
        payment_run_release(acting_user=people["admins_supervisor"], run=run)
    assert case.case_number in refused.value.message


def test_after_the_cooling_off_the_new_account_is_paid(partner: Any) -> None:
    people = _chain(partner)
    change = _request(people, people["proof"])
    change = bank_detail_change_approve(acting_user=people["admins_supervisor"], change=change)
    bank = change.bank_account
    bank.deposits_from = timezone.localdate() - dt.timedelta(days=1)
    bank.save(update_fields=["deposits_from"])
    run = payment_run_prepare(
        acting_user=people["honest_supervisor"],
        delivery_partner=partner,
        benefit_month=timezone.localdate().replace(day=1),
    )
    run = payment_run_dry_run(acting_user=people["honest_supervisor"], run=run)
    line = PaymentRunLine.objects.get(run=run, benefit_unit=people["case"])
    assert (line.method, line.bank_account_id) == ("eft", bank.pk)


def test_bank_change_pages_ask_then_a_second_person_approves(partner: Any) -> None:
    people = _chain(partner)
    case = people["case"]
    asker = Client()
    asker.force_login(people["admins_caseworker"])
    data = {
        "bank-holder_name": "Ana Roy",
        "bank-institution": "010",
        "bank-transit": "54321",
        "bank-account": "9999999",
        "idempotency_key": uuid.uuid4().hex,
    }
    url = reverse("payments:bank_account", args=[case.pk])
    without_proof = asker.post(url, data)
    assert without_proof.status_code == 200
    assert not BankDetailChange.objects.exists()
    data = {**data, "bank-proof": people["proof"].pk, "idempotency_key": uuid.uuid4().hex}
    assert asker.post(url, data).status_code == 302
    change = BankDetailChange.objects.get()
    decide = reverse("payments:bank_change_decide", args=[case.pk, change.pk])
    page = asker.get(reverse("payments:case_money", args=[case.pk])).content.decode()
    assert decide not in page  # the requester is not offered the decision
    asker.post(decide, {"bankdecision-decision": "approve", "idempotency_key": uuid.uuid4().hex})
    change.refresh_from_db()
    assert change.status == "pending"
    approver = Client()
    approver.force_login(people["admins_supervisor"])
    assert decide in approver.get(reverse("payments:case_money", args=[case.pk])).content.decode()
    response = approver.post(
        decide, {"bankdecision-decision": "approve", "idempotency_key": uuid.uuid4().hex}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "approved"
    assert BankAccount.objects.get(benefit_unit=case, end_on__isnull=True).account == "9999999"
