"""Health benefit authorizations (issue 16): every eligibility rule from the rules package's
dated parameters (ages, once in 24 months, the $15 month, the mileage rates, the ADP share), the
partner's s. 59 amount, four eyes, the invoice against the remaining limit and the period, and
the journey from the request to the vendor's payment in a between-run batch (CPA-005 and
cheque), on the ledger and in the reconciliation, with the letter in English and French."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import override
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.services import case_status_change
from caseworks.core.errors import ApplicationError, PermissionDeniedError, SeveralApplicationError
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.payments.constants import (
    HealthAuthorizationKind,
    HealthAuthorizationStatus,
    LedgerEntryKind,
    OneTimeBenefitKind,
    OneTimeStatus,
    PaymentMethod,
)
from caseworks.payments.cpa005 import validate_file
from caseworks.payments.letters_authorizations import (
    health_authorization_letters_generate,
    render_health_authorization_letter,
)
from caseworks.payments.models import (
    HealthAuthorization,
    HealthAuthorizationInvoice,
    LedgerEntry,
    OneTimePayment,
)
from caseworks.payments.reconciliation import one_time_reconciliation
from caseworks.payments.services.authorization_invoices import (
    health_authorization_invoice_record,
    remaining_cents,
)
from caseworks.payments.services.authorizations import (
    health_authorization_cancel,
    health_authorization_decide,
    health_authorization_request,
)
from caseworks.payments.services.onetime import (
    one_time_batch_file,
    one_time_batch_issue,
    one_time_cheque_list_csv,
    one_time_payment_request,
    one_time_policy_set,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db

K = HealthAuthorizationKind
BANK = {"institution": "004", "transit": "12345", "account": "7654321"}


@pytest.fixture
def world(partner: Any) -> dict[str, Any]:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy", children=1
    )
    return {**staff, "unit": unit, "partner": partner}


def _member(world: dict[str, Any], role: str = MemberRole.APPLICANT) -> int:
    return int(world["unit"].members.get(role=role).person_id)


def _request(world: dict[str, Any], kind: str = K.DIABETIC_SURGICAL, **extra: Any) -> Any:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "member_id": _member(world),
        "vendor_name": "Pharmacie Nord",
        "vendor_address": "12 rue Main, Sudbury ON",
        "vendor_number": "V-778",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=90),
        "reason": "Supplies after surgery",
        "method": PaymentMethod.CHEQUE,
        "limit_cents": 20_000,
        "prescription_seen": True,
        **extra,
    }
    actor = values.pop("acting_user", None) or world["caseworker"]
    return health_authorization_request(
        acting_user=actor,
        benefit_unit=world["unit"],
        kind=kind,
        **values,
    )


def _approved(world: dict[str, Any], kind: str = K.DIABETIC_SURGICAL, **extra: Any) -> Any:
    return health_authorization_decide(
        acting_user=world["supervisor"], authorization=_request(world, kind, **extra), approve=True
    )


def _codes(exc: pytest.ExceptionInfo[ApplicationError]) -> set[tuple[str | None, str]]:
    errors = getattr(exc.value, "errors", [exc.value])
    return {(e.field, e.code) for e in errors}


# --- Request: the rules ---------------------------------------------------------------------


def test_request_records_limit_period_vendor_citation_audit_and_history(world: Any) -> None:
    auth = _request(world)
    assert auth.status == HealthAuthorizationStatus.REQUESTED
    assert auth.limit_cents == 20_000
    assert auth.citation.startswith("O. Reg. 134/98, s. 55(1) para 1 iii")
    event = AuditEvent.objects.get(event_type="health_authorization_requested")
    assert event.extra_data["limit_cents"] == 20_000
    assert auth.history.count() == 1
    assert auth.history.first().history_user == world["caseworker"]


def test_request_lists_every_refusal_at_once_and_saves_nothing(world: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(SeveralApplicationError) as refused:
        _request(
            world,
            vendor_name=" ",
            vendor_address="",
            reason="",
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
            limit_cents=0,
            prescription_seen=False,
        )
    assert _codes(refused) >= {
        ("vendor_name", "invalid"),
        ("vendor_address", "invalid"),
        ("reason", "invalid"),
        ("ends_on", "period_order"),
        ("limit_cents", "amount_out_of_range"),
        ("prescription_seen", "prescription"),
    }
    assert HealthAuthorization.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type__startswith="health_authorization").exists()


def test_request_refused_in_french_names_the_rule(world: Any) -> None:
    with override("fr"), pytest.raises(SeveralApplicationError) as refused:
        _request(world, prescription_seen=False)
    assert "ordonnance" in refused.value.message


def test_children_vision_only_under_18(world: Any) -> None:
    child = _member(world, MemberRole.DEPENDANT_CHILD)
    auth = _request(world, K.CHILD_VISION, member_id=child, limit_cents=25_000)
    assert auth.citation.startswith("O. Reg. 134/98, s. 55(1) para 1 ii")
    with pytest.raises(SeveralApplicationError) as adult:
        _request(world, K.CHILD_VISION, member_id=_member(world))
    assert ("member_id", "age") in _codes(adult)
    assert "younger than 18" in adult.value.message


def test_adult_eye_exam_amount_ages_20_to_64_and_once_in_24_months(world: Any) -> None:
    today = timezone.localdate()
    exam = _request(world, K.ADULT_EYE_EXAM, limit_cents=None)
    assert exam.limit_cents == 3_915  # O. Reg. 137/05: $39.15
    with pytest.raises(SeveralApplicationError) as again:
        _request(
            world, K.ADULT_EYE_EXAM, limit_cents=None, starts_on=today + relativedelta(months=23)
        )
    assert ("starts_on", "once_in_24_months") in _codes(again)
    # Refused or cancelled examinations do not count; 24 months later is allowed.
    later = today + relativedelta(months=24)
    assert (
        _request(
            world, K.ADULT_EYE_EXAM, limit_cents=None, starts_on=later, ends_on=later
        ).limit_cents
        == 3_915
    )
    with pytest.raises(SeveralApplicationError) as child:
        _request(
            world,
            K.ADULT_EYE_EXAM,
            limit_cents=None,
            member_id=_member(world, MemberRole.DEPENDANT_CHILD),
        )
    assert ("member_id", "age") in _codes(child)  # OHIP pays under 20
    with pytest.raises(SeveralApplicationError) as typed:
        _request(world, K.ADULT_EYE_EXAM, limit_cents=5_000, starts_on=today.replace(year=2030))
    assert ("limit_cents", "eye_exam_amount") in _codes(typed)


def test_eye_exam_over_64_refused(world: Any, partner: Any) -> None:
    older = active_case(
        partner=partner,
        actor=world["caseworker"],
        first_name="Old",
        last_name="Roy",
        born=timezone.localdate() - relativedelta(years=65),
    )
    with pytest.raises(SeveralApplicationError) as refused:
        health_authorization_request(
            acting_user=world["caseworker"],
            benefit_unit=older,
            member_id=int(older.members.get(role=MemberRole.APPLICANT).person_id),
            kind=K.ADULT_EYE_EXAM,
            vendor_name="Optique",
            vendor_address="1 Main",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            reason="Exam",
            method=PaymentMethod.CHEQUE,
        )
    assert ("member_id", "age") in _codes(refused)
    assert "20 to 64" in refused.value.message


def test_adp_share_is_25_percent_of_the_price_half_up(world: Any) -> None:
    auth = _request(world, K.ADP_SHARE, limit_cents=None, device_price_cents=123_401)
    assert auth.limit_cents == 30_850  # 1,234.01 x 25 % = 308.5025 -> $308.50
    assert auth.device_price_cents == 123_401
    with pytest.raises(SeveralApplicationError) as typed:
        _request(world, K.ADP_SHARE, limit_cents=50_000, device_price_cents=100_000)
    assert ("limit_cents", "adp_share") in _codes(typed)
    with pytest.raises(SeveralApplicationError) as missing:
        _request(world, K.ADP_SHARE, limit_cents=None)
    assert ("device_price_cents", "required") in _codes(missing)


def test_adult_dental_is_discretionary_within_the_partners_amount(world: Any) -> None:
    admin = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=world["partner"])
    one_time_policy_set(
        acting_user=admin,
        approval_threshold_cents=50_000,
        discretionary_annual_limit_cents=30_000,
        employment_expenses_annual_limit_cents=10_000,
    )
    first = _request(world, K.ADULT_DENTAL, limit_cents=20_000)
    assert "s. 59(2) para 1" in first.citation
    with pytest.raises(SeveralApplicationError) as over:
        _request(world, K.ADULT_DENTAL, limit_cents=10_001)
    assert ("limit_cents", "limit_exceeded") in _codes(over)
    with pytest.raises(SeveralApplicationError) as child:
        _request(world, K.ADULT_DENTAL, member_id=_member(world, MemberRole.DEPENDANT_CHILD))
    assert ("member_id", "age") in _codes(child)
    # A one-time adult dental payment made without an authorization counts too.
    health_authorization_decide(
        acting_user=world["supervisor"], authorization=first, approve=False, refusal_reason="No"
    )
    one_time_payment_request(
        acting_user=world["caseworker"],
        benefit_unit=world["unit"],
        member_id=_member(world),
        kind=OneTimeBenefitKind.ADULT_DENTAL,
        amount_cents=25_000,
        reason="Emergency extraction",
        payee="client",
        method="cheque",
    )
    with pytest.raises(SeveralApplicationError):
        _request(world, K.ADULT_DENTAL, limit_cents=5_001)


def test_only_while_assistance_is_paid(world: Any) -> None:
    case_status_change(
        acting_user=world["caseworker"],
        benefit_unit=world["unit"],
        to_status=CaseStatus.CLOSED,
        reason="Moved away",
        effective_on=timezone.localdate(),
        manual=True,
    )
    world["unit"].refresh_from_db()
    with pytest.raises(SeveralApplicationError) as closed:
        _request(world)
    assert ("benefit_unit", "not_active") in _codes(closed)


def test_plain_one_time_request_cannot_use_the_authorization_kind(world: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        one_time_payment_request(
            acting_user=world["caseworker"],
            benefit_unit=world["unit"],
            member_id=_member(world),
            kind=OneTimeBenefitKind.HEALTH_AUTHORIZATION,
            amount_cents=1_000,
            reason="x",
            payee="vendor",
            vendor_name="V",
            method="cheque",
        )
    assert refused.value.code == "authorization_only"


def test_vendor_bank_details_checked_for_direct_deposit(world: Any) -> None:
    with pytest.raises(SeveralApplicationError) as bad:
        _request(world, method=PaymentMethod.EFT, vendor_bank={**BANK, "transit": "12"})
    assert any(field == "transit" for field, _code in _codes(bad))
    auth = _request(world, method=PaymentMethod.EFT, vendor_bank=BANK)
    assert (auth.institution, auth.transit, auth.account) == ("004", "12345", "7654321")


def test_other_partner_cannot_request_or_decide(world: Any, other_partner: Any) -> None:
    stranger = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    with pytest.raises(ApplicationError):
        _request(world, acting_user=stranger)
    auth = _request(world)
    with pytest.raises(ApplicationError):
        health_authorization_decide(acting_user=stranger, authorization=auth, approve=True)
    auditor = UserFactory(role=Role.AUDITOR, delivery_partner=world["partner"])
    with pytest.raises(PermissionDeniedError):
        health_authorization_decide(acting_user=auditor, authorization=auth, approve=True)


# --- Decision: four eyes --------------------------------------------------------------------


def test_four_eyes_never_the_requester_and_supervisor_above_threshold(world: Any) -> None:
    auth = _request(world, limit_cents=60_000)
    with pytest.raises(ApplicationError) as own:
        health_authorization_decide(
            acting_user=world["caseworker"], authorization=auth, approve=True
        )
    assert own.value.code == "four_eyes"
    other_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=world["partner"])
    with pytest.raises(ApplicationError) as threshold:
        health_authorization_decide(acting_user=other_worker, authorization=auth, approve=True)
    assert threshold.value.code == "approver_needed"
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.REQUESTED
    done = health_authorization_decide(
        acting_user=world["supervisor"], authorization=auth, approve=True
    )
    assert done.status == HealthAuthorizationStatus.APPROVED
    assert done.decided_by == world["supervisor"]
    with pytest.raises(ApplicationError):
        health_authorization_decide(
            acting_user=world["supervisor2"], authorization=auth, approve=True
        )
    event = AuditEvent.objects.get(event_type="health_authorization_decided")
    assert event.extra_data["new"] == {"status": "approved"}


def test_refusal_needs_a_reason(world: Any) -> None:
    auth = _request(world)
    with pytest.raises(ApplicationError) as no_reason:
        health_authorization_decide(
            acting_user=world["supervisor"], authorization=auth, approve=False
        )
    assert no_reason.value.field == "refusal_reason"
    refused = health_authorization_decide(
        acting_user=world["supervisor"], authorization=auth, approve=False, refusal_reason="Covered"
    )
    assert refused.status == HealthAuthorizationStatus.REFUSED
    with pytest.raises(ApplicationError) as not_approved:
        health_authorization_invoice_record(
            acting_user=world["caseworker"],
            authorization=refused,
            invoice_number="A1",
            service_on=timezone.localdate(),
            amount_cents=100,
        )
    assert not_approved.value.code == "not_approved"


# --- Invoices -------------------------------------------------------------------------------


def _invoice(world: dict[str, Any], auth: Any, number: str = "INV-1", **extra: Any) -> Any:
    values: dict[str, Any] = {"service_on": timezone.localdate(), **extra}
    return health_authorization_invoice_record(
        acting_user=world["caseworker"], authorization=auth, invoice_number=number, **values
    )


def test_invoice_within_remaining_limit_and_period_makes_an_approved_vendor_payment(
    world: Any,
) -> None:
    auth = _approved(world)
    invoice = _invoice(world, auth, amount_cents=12_000)
    payment = invoice.one_time_payment
    assert payment.status == OneTimeStatus.APPROVED
    assert payment.payee == "vendor"
    assert payment.payee_name == "Pharmacie Nord"
    assert payment.amount_cents == invoice.amount_cents == 12_000
    assert payment.kind == OneTimeBenefitKind.HEALTH_AUTHORIZATION
    assert payment.citation == auth.citation
    assert payment.decided_by == world["supervisor"]
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.INVOICED
    assert remaining_cents(auth) == 8_000
    with pytest.raises(SeveralApplicationError) as over:
        _invoice(world, auth, "INV-2", amount_cents=8_001)
    assert ("amount_cents", "over_remaining_limit") in _codes(over)
    assert "$80.00" in over.value.message
    with pytest.raises(SeveralApplicationError) as late:
        _invoice(world, auth, "INV-3", amount_cents=100, service_on=auth.ends_on + dt.timedelta(1))
    assert ("service_on", "outside_period") in _codes(late)
    with pytest.raises(SeveralApplicationError) as twice:
        _invoice(world, auth, "INV-1", amount_cents=100)
    assert ("invoice_number", "duplicate_invoice") in _codes(twice)
    _invoice(world, auth, "INV-2", amount_cents=8_000)  # exactly what remains
    assert remaining_cents(auth) == 0
    assert HealthAuthorizationInvoice.objects.count() == OneTimePayment.objects.count() == 2
    event = (
        AuditEvent.objects.filter(event_type="health_authorization_invoiced").order_by("pk").last()
    )
    assert event is not None
    assert event.extra_data["remaining_cents"] == 0


def test_invoice_errors_in_french(world: Any) -> None:
    auth = _approved(world)
    with override("fr"), pytest.raises(SeveralApplicationError) as over:
        _invoice(world, auth, amount_cents=20_001)
    assert "seulement 200,00\xa0$ des 200,00\xa0$ autorisés" in over.value.message


def test_medical_transportation_month_paid_whole_from_15_dollars(world: Any) -> None:
    auth = _approved(world, K.MEDICAL_TRANSPORTATION, limit_cents=30_000)
    with pytest.raises(SeveralApplicationError) as small:
        _invoice(world, auth, kilometres=30, other_costs_cents=250)  # $12 + $2.50 = $14.50
    assert ("kilometres", "under_monthly_minimum") in _codes(small)
    assert "$15.00" in small.value.message
    invoice = _invoice(world, auth, kilometres=30, other_costs_cents=300)  # $12 + $3 = $15
    assert invoice.amount_cents == 1_500
    assert invoice.one_time_payment.amount_cents == 1_500
    assert (invoice.kilometres, invoice.other_costs_cents) == (30, 300)
    with pytest.raises(SeveralApplicationError) as same_month:
        _invoice(world, auth, "INV-2", kilometres=100, other_costs_cents=0)
    assert ("service_on", "month_recorded") in _codes(same_month)
    with pytest.raises(SeveralApplicationError) as typed:
        _invoice(
            world,
            auth,
            "INV-3",
            kilometres=100,
            amount_cents=9_999,
            service_on=timezone.localdate() + relativedelta(months=1),
        )
    assert ("amount_cents", "calculated") in _codes(typed)


def test_medical_transportation_north_rate_41_cents(world: Any) -> None:
    world["partner"].region = "Northern Ontario: District of Sudbury"
    world["partner"].save(update_fields=["region"])
    auth = _approved(world, K.MEDICAL_TRANSPORTATION, limit_cents=30_000)
    invoice = _invoice(world, auth, kilometres=100)
    assert invoice.amount_cents == 4_100  # 100 km x $0.41


def test_funeral_paid_to_the_funeral_home_only_after_prior_approval(world: Any) -> None:
    auth = _approved(
        world,
        K.FUNERAL_BURIAL,
        limit_cents=40_000,
        vendor_name="Salon funéraire Roy",
        starts_on=timezone.localdate() - dt.timedelta(days=5),
    )
    with pytest.raises(SeveralApplicationError) as before:
        _invoice(
            world, auth, service_on=timezone.localdate() - dt.timedelta(days=2), amount_cents=1
        )
    assert ("service_on", "prior_approval") in _codes(before)
    invoice = _invoice(world, auth, amount_cents=40_000)
    assert invoice.one_time_payment.kind == OneTimeBenefitKind.FUNERAL_BURIAL
    assert invoice.one_time_payment.payee_name == "Salon funéraire Roy"


def test_cancel_an_unused_approval_but_not_one_with_a_payment_waiting(world: Any) -> None:
    auth = _approved(world)
    _invoice(world, auth, amount_cents=500)
    with pytest.raises(ApplicationError) as waiting:
        health_authorization_cancel(acting_user=world["caseworker"], authorization=auth, reason="x")
    assert waiting.value.code == "not_cancellable"
    other = _approved(world, limit_cents=1_000)
    with pytest.raises(ApplicationError) as no_reason:
        health_authorization_cancel(acting_user=world["caseworker"], authorization=other, reason="")
    assert no_reason.value.field == "cancel_reason"
    done = health_authorization_cancel(
        acting_user=world["caseworker"], authorization=other, reason="Client moved"
    )
    assert done.status == HealthAuthorizationStatus.CANCELLED
    assert AuditEvent.objects.filter(event_type="health_authorization_cancelled").count() == 1


def test_expired_is_shown_after_the_period(world: Any) -> None:
    auth = _approved(world)
    assert auth.shown_status(auth.ends_on) == HealthAuthorizationStatus.APPROVED
    assert auth.shown_status(auth.ends_on + dt.timedelta(1)) == HealthAuthorizationStatus.EXPIRED


# --- The journey: request to the vendor's payment and the letter ------------------------------


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_journey_request_approve_letter_invoice_batch_ledger_file(
    world: Any, language: str
) -> None:
    eft = _approved(
        world,
        K.ADP_SHARE,
        limit_cents=None,
        device_price_cents=123_401,
        method=PaymentMethod.EFT,
        vendor_bank=BANK,
        vendor_name="Hearing Co",
    )
    cheque = _approved(world, K.CHILD_VISION, member_id=_member(world, MemberRole.DEPENDANT_CHILD))
    # The letter states the limit, the period and the rule, in the language.
    health_authorization_letters_generate(acting_user=world["supervisor"], authorization=eft)
    eft.refresh_from_db()
    assert eft.notice_en is not None
    assert eft.notice_fr is not None
    assert Document.objects.filter(pk__in=[eft.notice_en_id, eft.notice_fr_id]).count() == 2
    text = _pdf_text(render_health_authorization_letter(eft, language))
    if language == "fr":
        assert "308,50 $" in text
        assert "1 234,01 $" in text
        assert "Règl. de l'Ont. 134/98" in text
        assert "Hearing Co" in text
    else:
        assert "$308.50" in text
        assert "$1,234.01" in text
        assert "O. Reg. 134/98, s. 55(1) para 1" in text
    # Invoices: the whole limit for the device, part of the children's vision limit.
    _invoice(world, eft, "H-1", amount_cents=30_850)
    _invoice(world, cheque, "V-1", amount_cents=15_075)
    batch = one_time_batch_issue(acting_user=world["supervisor2"], idempotency_key="health-1")
    paid = {p.amount_cents: p for p in batch.payments.all()}
    assert set(paid) == {30_850, 15_075}
    assert all(p.status == OneTimeStatus.ISSUED for p in paid.values())
    entries = LedgerEntry.objects.filter(kind=LedgerEntryKind.ONE_TIME_PAYMENT)
    assert sorted(entries.values_list("amount_cents", flat=True)) == [15_075, 30_850]
    # The deposit is in the CPA-005 file, the cheque on the cheque list, to the cent.
    data = one_time_batch_file(batch)
    validate_file([r for r in data.decode("ascii").split("\r\n") if r])  # raises if malformed
    assert b"00000030850" in data
    assert "150.75" in one_time_cheque_list_csv(batch)
    report = one_time_reconciliation(batch)
    assert report["issued"]["total"] == (2, 45_925)
    # The batch marks the authorizations paid; a replay issues nothing more.
    eft.refresh_from_db()
    cheque.refresh_from_db()
    assert eft.status == cheque.status == HealthAuthorizationStatus.PAID
    assert eft.history.first().history_user == world["supervisor2"]
    assert (
        one_time_batch_issue(acting_user=world["supervisor2"], idempotency_key="health-1") == batch
    )
    assert entries.count() == 2
    # A further invoice on what remains of the children's vision limit.
    _invoice(world, cheque, "V-2", amount_cents=4_925)
    cheque.refresh_from_db()
    assert cheque.status == HealthAuthorizationStatus.INVOICED
    assert remaining_cents(cheque) == 0


def test_refusal_notice_gives_rights_for_a_mandatory_benefit_and_no_appeal_for_s59(
    world: Any,
) -> None:
    mandatory = health_authorization_decide(
        acting_user=world["supervisor"],
        authorization=_request(world),
        approve=False,
        refusal_reason="Covered by the client's insurance",
    )
    discretionary = health_authorization_decide(
        acting_user=world["supervisor"],
        authorization=_request(world, K.ADULT_DENTAL, limit_cents=10_000),
        approve=False,
        refusal_reason="Not an emergency",
    )
    en = _pdf_text(render_health_authorization_letter(mandatory, "en"))
    assert "refused" in en
    assert "Covered by the client's insurance" in en
    assert "internal review" in en
    fr = _pdf_text(render_health_authorization_letter(discretionary, "fr"))
    assert "refusée" in fr
    assert "ne peut pas faire l’objet d’un appel" in fr
    assert "Règl. de l'Ont. 134/98, art. 59(2) disp. 1" in fr
