"""The permission matrix: every client/case URL, page and API, for every role, in three places.

For each URL in `URLS` and each actor in `ACTORS` this suite makes the real request and checks
the status code:

* a role of the record's own delivery partner gets exactly the rights written in `RIGHTS_GRID`
  (the success code if it holds every capability the URL needs, 403 otherwise);
* provincial staff (no partner) get the same rights, across every partner;
* the same role in ANOTHER delivery partner, when the role could otherwise do it, is refused
  with 404 (the record "does not exist" for them); a role that could not do it anyway is
  refused by the role check (403), exactly as in partner A, and is not repeated here;
* an anonymous caller gets 401 (API) or the login redirect (pages).

`test_every_url_is_in_the_matrix` walks Django's URL resolver and the OpenAPI schema and FAILS
when a URL taking a record id (person_id, benefit_unit_id, …), any URL of a client or case app,
or any API operation is missing from `URLS`. A new URL must be added here, with its rights.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from caseworks.accounts.constants import PROVINCIAL_ROLES, ROLE_CAPABILITIES, Role
from caseworks.accounts.constants import Capability as C  # noqa: N817  # short, for the table
from caseworks.accounts.models import ApiToken, StaffInvitation
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.services import application_start, appointment_book, inquiry_record
from caseworks.cases.constants import MemberRole, TransferKind
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    case_transfer,
    task_create,
)
from caseworks.clients.tests.factories import PersonFactory
from caseworks.documents.services import document_upload
from caseworks.eligibility.services import decision_make, determination_run
from caseworks.employment.models import ProviderAccount
from caseworks.employment.services import (
    employment_program_create,
    outcome_provider_report,
    program_session_create,
    referral_provider_respond,
    referral_send,
    session_attendance_record,
)
from caseworks.employment.tests.factories import ServiceProviderFactory
from caseworks.messaging.services import (
    ClientFile,
    checklist_document_upload_from_client,
    message_send_from_client,
    reported_change_submit_from_client,
)
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.payments.runs import payment_run_prepare
from caseworks.plans.services import participation_agreement_create
from caseworks.reporting.services import policy_simulation_run
from caseworks.reviews.services import (
    appeal_record,
    internal_review_decide,
    internal_review_request,
)
from caseworks.surveys.services import survey_create, survey_question_add, survey_send
from config.api import api

# ---------------------------------------------------------------------------------------------
# 1. Who may do what: every capability (row) of every role (column); "x" = the role has it.
#    test_rights_grid_matches_role_capabilities keeps this in step with ROLE_CAPABILITIES: a
#    change of rights must be made in both places, on purpose.
# ---------------------------------------------------------------------------------------------
ROLE_COLUMNS = (
    Role.INTAKE_CLERK,
    Role.CASEWORKER,
    Role.EMPLOYMENT_CASEWORKER,
    Role.SUPERVISOR,
    Role.PARTNER_ADMIN,
    Role.MINISTRY_ANALYST,
    Role.AUDITOR,
    Role.PROVIDER,
)
RIGHTS_GRID: dict[C, str] = {
    #                              intake  case-  empl.  super- partner minis- audi-  provi-
    #                              clerk   worker worker visor  admin   try    tor    der
    C.CLIENT_VIEW:                "  x      x      x      x      .      .      x      .  ",
    C.CLIENT_CREATE:              "  x      x      .      x      .      .      .      .  ",
    C.CLIENT_EDIT:                "  .      x      .      x      .      .      .      .  ",
    C.CASE_VIEW:                  "  x      x      x      x      .      .      x      .  ",
    C.CASE_CREATE:                "  x      x      .      x      .      .      .      .  ",
    C.CASE_EDIT:                  "  .      x      .      x      .      .      .      .  ",
    C.CASE_STATUS_CHANGE:         "  .      x      .      x      .      .      .      .  ",
    C.CASE_NOTE_CREATE:           "  x      x      x      x      .      .      .      .  ",
    C.TASK_MANAGE:                "  .      x      x      x      .      .      .      .  ",
    C.CASE_REASSIGN:              "  .      .      .      x      .      .      .      .  ",
    C.CASE_TRANSFER:              "  .      .      .      x      .      .      .      .  ",
    C.ACCESS_LOG_VIEW:            "  .      .      .      .      .      .      x      .  ",
    C.STAFF_MANAGE:               "  .      .      .      .      x      .      .      .  ",
    C.REPORTS_VIEW:               "  .      .      .      x      x      x      .      .  ",
    C.PLAN_MANAGE:                "  .      x      x      x      .      .      .      .  ",
    C.REFERRAL_MANAGE:            "  .      x      x      x      .      .      .      .  ",
    C.EMPLOYMENT_OUTCOME_RECORD:  "  .      x      x      x      .      .      .      .  ",
    C.CASELOAD_SUPERVISE:         "  .      .      .      x      .      .      .      .  ",
    C.PROVIDER_DIRECTORY_MANAGE:  "  .      .      .      x      x      .      .      .  ",
    C.PROVIDER_REFERRAL_RESPOND:  "  .      .      .      .      .      .      .      x  ",
    C.INQUIRY_RECORD:             "  x      x      .      x      .      .      .      .  ",
    C.APPOINTMENT_BOOK:           "  x      x      .      x      .      .      .      .  ",
    C.DOCUMENT_UPLOAD:            "  x      x      .      x      .      .      .      .  ",
    C.DOCUMENT_VIEW:              "  x      x      x      x      .      .      x      .  ",
    C.APPLICATION_EDIT:           "  .      x      .      x      .      .      .      .  ",
    C.DETERMINATION_RUN:          "  .      x      .      x      .      .      .      .  ",
    C.DECISION_MAKE:              "  .      x      .      x      .      .      .      .  ",
    C.DECISION_APPROVE_OVERRIDE:  "  .      .      .      x      .      .      .      .  ",
    C.INCOME_REPORT_RECORD:       "  .      x      .      x      .      .      .      .  ",
    C.PAYMENT_VIEW:               "  .      x      .      x      .      .      x      .  ",
    C.PAYMENT_MANAGE:             "  .      x      .      x      .      .      .      .  ",
    C.PAYMENT_RUN_PREPARE:        "  .      x      .      x      .      .      .      .  ",
    C.PAYMENT_RUN_APPROVE:        "  .      .      .      x      .      .      .      .  ",
    C.OVERPAYMENT_MANAGE:         "  .      x      .      x      .      .      .      .  ",
    C.OVERPAYMENT_WRITE_OFF:      "  .      .      .      x      .      .      .      .  ",
    C.REVIEW_MANAGE:              "  .      x      .      x      .      .      .      .  ",
    C.SURVEY_MANAGE:              "  .      .      .      .      .      x      .      .  ",
    C.SURVEY_RESPOND:             "  .      .      .      .      x      .      .      .  ",
    C.POLICY_SIMULATE:            "  .      .      .      .      .      x      .      .  ",
    C.LEGAL_HOLD_MANAGE:          "  .      .      .      x      x      .      .      .  ",
}  # fmt: skip
RIGHTS: dict[str, frozenset[C]] = {
    role.value: frozenset(
        capability for capability, marks in RIGHTS_GRID.items() if marks.split()[column] == "x"
    )
    for column, role in enumerate(ROLE_COLUMNS)
}


# ---------------------------------------------------------------------------------------------
# 2. The records every request is made against: all in partner A. Records only some URLs need
#    are made on first use (cached_property), through the real services.
# ---------------------------------------------------------------------------------------------
class World:
    def __init__(self) -> None:
        self.partner = DeliveryPartnerFactory(code="matrix-a", name="Matrix Partner A")
        self.other_partner = DeliveryPartnerFactory(code="matrix-b", name="Matrix Partner B")
        # Partner A's caseworker who holds the case.
        self.owner = UserFactory(role=Role.CASEWORKER, delivery_partner=self.partner)
        # The applicant of `case`.
        self.person = PersonFactory(
            delivery_partner=self.partner, first_name="Zoé", last_name="Quenneville"
        )
        self.case = benefit_unit_create(
            acting_user=self.owner, applicant=self.person, caseworker=self.owner
        )

    def _refresh_case(self) -> None:
        self.case.refresh_from_db()

    @functools.cached_property
    def member(self) -> Any:
        """A dependent child on `case`."""
        child = PersonFactory(delivery_partner=self.partner, date_of_birth=dt.date(2019, 3, 1))
        member = benefit_unit_member_add(
            acting_user=self.owner,
            benefit_unit=self.case,
            person=child,
            role=MemberRole.DEPENDANT_CHILD,
            start_on=self.case.opened_on,
        )
        self._refresh_case()
        return member

    @functools.cached_property
    def free_person(self) -> Any:
        """Registered, on no case."""
        return PersonFactory(delivery_partner=self.partner)

    @functools.cached_property
    def free_child(self) -> Any:
        """Registered, on no case, under 18."""
        return PersonFactory(delivery_partner=self.partner, date_of_birth=dt.date(2020, 6, 1))

    @functools.cached_property
    def task(self) -> Any:
        return task_create(
            acting_user=self.owner,
            title="Call back",
            due_on=timezone.localdate(),
            benefit_unit=self.case,
        )

    @functools.cached_property
    def provider(self) -> Any:
        """Partner A's employment services provider, with one provider login (`agency`)."""
        return ServiceProviderFactory(name="Matrix Agency A", delivery_partner=self.partner)

    @functools.cached_property
    def other_provider(self) -> Any:
        return ServiceProviderFactory(name="Matrix Agency B", delivery_partner=self.other_partner)

    @functools.cached_property
    def agency(self) -> Any:
        return _provider_login(self.provider, self.partner)

    @functools.cached_property
    def referral(self) -> Any:
        """`person` referred to `provider`, which accepted."""
        referral = referral_send(
            acting_user=self.owner,
            benefit_unit=self.case,
            person=self.person,
            provider=self.provider,
            purpose="Employment services",
            consent_given=True,
            information_shared=["contact"],
        )
        referral_provider_respond(acting_user=self.agency, referral=referral, to_status="accepted")
        self._refresh_case()
        return referral

    @functools.cached_property
    def follow_up(self) -> Any:
        """The 1-month follow-up (due now) of a job the provider reported for `referral`."""
        outcome = outcome_provider_report(
            acting_user=self.agency,
            referral=self.referral,
            employer="Matrix Grocers",
            start_on=timezone.localdate() - dt.timedelta(days=40),
            hours_per_week="30",
            hourly_wage_cents=1_900,
            permanence="permanent",
            has_benefits=False,
        )
        self._refresh_case()
        return outcome.follow_ups.order_by("months_after_start").first()

    @functools.cached_property
    def agreement(self) -> Any:
        """A draft participation agreement with `person`."""
        agreement = participation_agreement_create(
            acting_user=self.owner,
            benefit_unit=self.case,
            person=self.person,
            start_on=timezone.localdate(),
        )
        self._refresh_case()
        return agreement

    @functools.cached_property
    def transfer(self) -> Any:
        """Another case of partner A, transferred to partner B (partner A sent it)."""
        supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=self.partner)
        moved = benefit_unit_create(
            acting_user=supervisor, applicant=PersonFactory(delivery_partner=self.partner)
        )
        return case_transfer(
            acting_user=supervisor,
            benefit_unit=moved,
            to_partner=self.other_partner,
            kind=TransferKind.CLIENT_MOVED,
            reason="Moved away",
        )

    actor: Any = None  # the caller of the request being made (set by _request)

    @functools.cached_property
    def colleague(self) -> Any:
        """A caseworker of the caller's own partner (partner A for provincial callers)."""
        partner = getattr(self.actor, "delivery_partner", None) or self.partner
        return UserFactory(role=Role.CASEWORKER, delivery_partner=partner)

    @functools.cached_property
    def inquiry(self) -> Any:
        """A caller pre-screened at intake."""
        return inquiry_record(acting_user=self.owner, caller_name="Matrix Caller", phone="555-0100")

    @functools.cached_property
    def appointment(self) -> Any:
        """An intake appointment of the client, in three days."""
        starts = (timezone.localtime() + dt.timedelta(days=3)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        return appointment_book(
            acting_user=self.owner, caseworker=self.owner, starts_at=starts, person=self.person
        )

    @functools.cached_property
    def application(self) -> Any:
        """An application (with its own pending case) for another person of partner A."""
        applicant = PersonFactory(delivery_partner=self.partner, first_name="Appli")
        return application_start(acting_user=self.owner, applicant=applicant)

    @functools.cached_property
    def determination(self) -> Any:
        """The stored rules result for `application` (insufficient information, as filed)."""
        return determination_run(acting_user=self.owner, application=self.application)

    @functools.cached_property
    def decision(self) -> Any:
        """A grant against the rules' result: an override awaiting a supervisor."""
        return decision_make(
            acting_user=self.owner,
            determination=self.determination,
            outcome="grant",
            override_reason="Matrix: proof seen in person",
        )

    @functools.cached_property
    def document(self) -> Any:
        """A proof uploaded to `case`."""
        return document_upload(
            acting_user=self.owner,
            benefit_unit=self.case,
            title="Proof of identity",
            filename="id.pdf",
            content=b"%PDF-1.4\n% synthetic test document\n",
        )

    @functools.cached_property
    def bank_change(self) -> Any:
        """A change of `case`'s bank details waiting for a second person."""
        from caseworks.payments.bank_details import bank_detail_change_request  # noqa: PLC0415

        return bank_detail_change_request(
            acting_user=self.owner,
            benefit_unit=self.case,
            holder_name="Matrix Client",
            institution="004",
            transit="12345",
            account="1234567",
            proof=self.document,
        )

    @functools.cached_property
    def one_time_payment(self) -> Any:
        """A one-time payment request on `case`, waiting for a decision (made directly: the
        service pays only an active case, and `case` is still pending)."""
        from caseworks.payments.models import OneTimePayment  # noqa: PLC0415

        return OneTimePayment.objects.create(
            benefit_unit=self.case,
            member=self.person,
            kind="moving",
            amount_cents=10_000,
            reason="Matrix: van rental",
            payee="client",
            method="cheque",
            payee_name="Zoe Quenneville",
            citation="O. Reg. 134/98, s. 59(2)",
            requested_by=self.owner,
        )

    @functools.cached_property
    def one_time_batch(self) -> Any:
        """Partner A's between-run batch issuing one cheque to `person` (no bank file)."""
        from caseworks.payments.models import OneTimeBatch, OneTimePayment  # noqa: PLC0415

        batch = OneTimeBatch.objects.create(
            delivery_partner=self.partner, idempotency_key="matrix", issued_by=self.owner
        )
        OneTimePayment.objects.create(
            benefit_unit=self.case,
            member=self.person,
            kind="newborn_items",
            amount_cents=12_345,
            reason="Matrix: crib",
            payee="client",
            method="cheque",
            payee_name="Zoe Quenneville",
            citation="O. Reg. 134/98, s. 59(2)",
            requested_by=self.owner,
            status="issued",
            batch=batch,
        )
        return batch

    @functools.cached_property
    def run(self) -> Any:
        """Partner A's payment run for this month, prepared."""
        return payment_run_prepare(
            acting_user=self.owner,
            delivery_partner=self.partner,
            benefit_month=timezone.localdate().replace(day=1),
        )

    @functools.cached_property
    def health_authorization(self) -> Any:
        """A health benefit authorization asked for on `case`, waiting for a decision (made
        directly: the matrix's case is not active, and the request service wants one)."""
        from caseworks.payments.models import HealthAuthorization  # noqa: PLC0415

        return HealthAuthorization.objects.create(
            benefit_unit=self.case,
            member=self.person,
            kind="diabetic_surgical",
            vendor_name="Matrix Pharmacy",
            vendor_address="1 Matrix St",
            method="cheque",
            limit_cents=10_000,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            reason="Matrix",
            citation="O. Reg. 134/98, s. 55(1) para 1 iii",
            requested_by=self.owner,
        )

    @functools.cached_property
    def review(self) -> Any:
        """A request for internal review of a decision on `case`."""
        review = internal_review_request(
            acting_user=self.owner,
            benefit_unit=self.case,
            decision_description="Matrix: assistance reduced",
            decision_date=timezone.localdate() - dt.timedelta(days=5),
            requested_on=timezone.localdate(),
            grounds="Matrix: income was counted twice",
        )
        self._refresh_case()
        return review

    @functools.cached_property
    def appeal(self) -> Any:
        """An appeal to the Social Benefits Tribunal after `review` confirmed the decision."""
        decided = internal_review_decide(
            acting_user=self.owner, review=self.review, outcome="confirmed", reasons="Matrix"
        )
        appeal = appeal_record(
            acting_user=self.owner, review=decided, filed_on=timezone.localdate()
        )
        self._refresh_case()
        return appeal

    @functools.cached_property
    def program(self) -> Any:
        return employment_program_create(
            acting_user=self.owner, name="Matrix resume workshop", kind="workshop"
        )

    @functools.cached_property
    def session(self) -> Any:
        starts = timezone.now() + dt.timedelta(days=7)
        return program_session_create(
            acting_user=self.owner,
            program=self.program,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=10,
        )

    @functools.cached_property
    def attendance(self) -> Any:
        return session_attendance_record(
            acting_user=self.owner, session=self.session, benefit_unit=self.case, person=self.person
        )

    @functools.cached_property
    def analyst(self) -> Any:
        return UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)

    @functools.cached_property
    def survey(self) -> Any:
        """A Ministry survey with one question, sent to partner A."""
        survey = survey_create(acting_user=self.analyst, title="Matrix survey")
        survey_question_add(
            acting_user=self.analyst, survey=survey, text="How many staff?", kind="number"
        )
        survey_send(
            acting_user=self.analyst,
            survey=survey,
            deadline=timezone.localdate() + dt.timedelta(days=30),
            partner_ids=[self.partner.pk],
        )
        return survey

    @functools.cached_property
    def survey_response(self) -> Any:
        """Partner A's response to `survey`."""
        return self.survey.responses.get(delivery_partner=self.partner)

    @functools.cached_property
    def invitation(self) -> Any:
        """Partner A's invitation of a supervisor, waiting for a second approver."""
        return StaffInvitation.objects.create(
            kind=StaffInvitation.Kind.NEW_ACCOUNT,
            status=StaffInvitation.Status.AWAITING_APPROVAL,
            delivery_partner=self.partner,
            role=Role.SUPERVISOR,
            username="matrix.invited",
            email="matrix.invited@example.org",
            invited_by=UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=self.partner),
        )

    @functools.cached_property
    def simulation(self) -> Any:
        """A Ministry policy simulation (a higher flat earnings exemption) on the caseload."""
        return policy_simulation_run(
            acting_user=self.analyst,
            overrides={"ontario_works.earnings.flat_exemption": Decimal("250")},
            benefit_month=timezone.localdate().replace(day=1),
        )

    @functools.cached_property
    def client_message(self) -> Any:
        """A message `person` sent online on `case` (the case's thread)."""
        return message_send_from_client(
            person=self.person, benefit_unit=self.case, body="Matrix: is my cheque late?"
        )

    @functools.cached_property
    def reported_change(self) -> Any:
        """A change of household `person` reported online on `case`, pending."""
        return reported_change_submit_from_client(
            person=self.person,
            benefit_unit=self.case,
            kind="household",
            changed_on=timezone.localdate(),
            details="Matrix: my sister moved in",
        )

    @functools.cached_property
    def client_upload(self) -> Any:
        """A proof the applicant of `application` sent online for its first pending item."""
        item = self.application.verifications.filter(status="pending").order_by("id").first()
        return checklist_document_upload_from_client(
            person=self.application.benefit_unit.members.get(role=MemberRole.APPLICANT).person,
            item=item,
            file=ClientFile("proof.pdf", b"%PDF-1.4\n% synthetic test document\n"),
        )

    def ids(self, path: str, actor_user: Any, where: str) -> dict[str, Any]:
        """Values for the {placeholders} in `path`. Add each new kind of id here."""
        values: dict[str, Callable[[], Any]] = {
            "person_id": lambda: self.person.pk,
            "benefit_unit_id": lambda: self.case.pk,
            "member_id": lambda: self.member.pk,
            "task_id": lambda: self.task.pk,
            "referral_id": lambda: self.referral.pk,
            "follow_up_id": lambda: self.follow_up.pk,
            "agreement_id": lambda: self.agreement.pk,
            "transfer_id": lambda: self.transfer.pk,
            "worker_id": lambda: self.owner.pk,
            "inquiry_id": lambda: self.inquiry.pk,
            "appointment_id": lambda: self.appointment.pk,
            "application_id": lambda: self.application.pk,
            "item_id": lambda: self.application.verifications.order_by("id").first().pk,
            "determination_id": lambda: self.determination.pk,
            "decision_id": lambda: self.decision.pk,
            "document_id": lambda: self.document.pk,
            "change_id": lambda: self.bank_change.pk,
            "run_id": lambda: self.run.pk,
            "payment_id": lambda: self.one_time_payment.pk,
            "batch_id": lambda: self.one_time_batch.pk,
            "review_id": lambda: self.review.pk,
            "appeal_id": lambda: self.appeal.pk,
            "program_id": lambda: self.program.pk,
            "session_id": lambda: self.attendance.session_id,
            "attendance_id": lambda: self.attendance.pk,
            "partner_id": lambda: self.partner.pk,
            "survey_id": lambda: self.survey.pk,
            "response_id": lambda: self.survey_response.pk,
            "simulation_id": lambda: self.simulation.pk,
            "invitation_id": lambda: self.invitation.pk,
            "reported_change_id": lambda: self.reported_change.pk,
            "upload_id": lambda: self.client_upload.pk,
            "authorization_id": lambda: self.health_authorization.pk,
            # No bank return in this world (its run is not released): the reissue page answers
            # an unknown return with a message and a redirect; the rights are what is checked.
            "return_id": lambda: 2**62,
            "fmt": lambda: "csv",
            # The caller's own token; another partner's caller (or nobody) is given partner
            # A's caseworker's token: someone else's, so 404.
            "token_id": lambda: (
                _token_for(actor_user if where in ("own", "provincial") else self.owner).pk
            ),
        }
        return {name: values[name]() for name in _PLACEHOLDER.findall(path)}


ID_PLACEHOLDERS = (
    "invitation_id",
    "person_id",
    "benefit_unit_id",
    "member_id",
    "task_id",
    "referral_id",
    "follow_up_id",
    "agreement_id",
    "transfer_id",
    "worker_id",
    "inquiry_id",
    "appointment_id",
    "application_id",
    "item_id",
    "determination_id",
    "decision_id",
    "document_id",
    "change_id",
    "run_id",
    "payment_id",
    "batch_id",
    "review_id",
    "appeal_id",
    "program_id",
    "session_id",
    "attendance_id",
    "partner_id",
    "survey_id",
    "response_id",
    "simulation_id",
    "return_id",
    "fmt",
    "token_id",
    "reported_change_id",
    "upload_id",
    "authorization_id",
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _token_for(user: Any) -> ApiToken:
    token, _ = api_token_create(acting_user=user, user=user, name="matrix")
    return token


def _provider_login(provider: Any, partner: Any) -> Any:
    user = UserFactory(role=Role.PROVIDER, delivery_partner=partner)
    ProviderAccount.objects.create(user=user, provider=provider, created_by=user)
    return user


def _build_world() -> World:
    return World()


# ---------------------------------------------------------------------------------------------
# 3. Every URL. `needs`: every capability the request needs. `gate`: those checked BEFORE the
#    record is looked up (default: all of `needs`): another partner's caller holding them gets
#    404, one lacking them 403. `scope`:
#    "partner" — the path or body names a record of partner A (other partners: 404/403);
#    "own"     — the caller acts within their own partner or account (same rights everywhere);
#    "self"    — a record of the caller's own account (someone else's: 404).
#    `setup(world)`: records that must exist before the request (e.g. for a list).
#    `reveals(world, response)`: whether a list shows partner A's record (own: yes; other: no).
# ---------------------------------------------------------------------------------------------
Body = Callable[[World], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Url:
    method: str
    path: str
    needs: frozenset[C]
    ok: tuple[int, ...]
    scope: str = "partner"
    body: Body | None = None
    query: Body | None = None
    reveals: Callable[[World, Any], bool] | None = None
    gate: frozenset[C] | None = None
    setup: Callable[[World], Any] | None = None
    any_of: frozenset[C] = frozenset()  # and at least one of these, when given
    multipart: bool = False  # an API upload: the body is sent as multipart/form-data

    def allowed(self, rights: frozenset[C]) -> bool:
        return self.needs <= rights and (not self.any_of or bool(self.any_of & rights))

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _today() -> str:
    return timezone.localdate().isoformat()


def _ids_in(response: Any) -> set[int]:
    return {row["id"] for row in response.json()}


def _u(
    method: str,
    path: str,
    *needs: C,
    ok: int | tuple[int, ...],
    gate: tuple[C, ...] | None = None,
    **kw: Any,
) -> Url:
    return Url(
        method,
        path,
        frozenset(needs),
        ok if isinstance(ok, tuple) else (ok,),
        gate=frozenset(gate) if gate is not None else None,
        **kw,
    )


PAGE_POST_OK = (302,)  # a page form that succeeds redirects (with valid data, as here)
# A page form posted empty: the page again with the errors (200, or 422 where the page says
# so), or a redirect with a message. Never 403/404: the role got through to the form.
PAGE_FORM_EMPTY = (200, 302, 422)

URLS: list[Url] = [
    # ----- API: me and tokens -----
    _u("GET", "/api/me", ok=200, scope="own"),
    _u("GET", "/api/me/tokens", ok=200, scope="own"),
    _u("POST", "/api/me/tokens", ok=201, scope="own", body=lambda w: {"name": "matrix script"}),
    _u("POST", "/api/me/tokens/{token_id}/revoke", ok=200, scope="self"),
    _u(
        "POST",
        "/api/staff",
        C.STAFF_MANAGE,
        ok=201,
        scope="own",
        body=lambda w: {
            "username": "matrix.new",
            "email": "matrix.new@example.org",
            "role": "caseworker",
        },
    ),
    # ----- Staff invitations (partner administrators; a redirect with a message) -----
    _u("POST", "/staff/invitations/{invitation_id}/approve/", C.STAFF_MANAGE, ok=302),
    _u("POST", "/staff/invitations/{invitation_id}/withdraw/", C.STAFF_MANAGE, ok=302),
    # ----- API: clients -----
    _u(
        "GET",
        "/api/clients",
        C.CLIENT_VIEW,
        ok=200,
        scope="own",
        query=lambda w: {"q": w.person.last_name},
        reveals=lambda w, r: w.person.pk in _ids_in(r),
    ),
    _u(
        "POST",
        "/api/clients",
        C.CLIENT_CREATE,
        ok=201,
        scope="own",
        body=lambda w: {"first_name": "New", "last_name": "Client", "date_of_birth": "1980-01-02"},
    ),
    _u("GET", "/api/clients/{person_id}", C.CLIENT_VIEW, ok=200),
    _u(
        "PATCH",
        "/api/clients/{person_id}",
        C.CLIENT_VIEW,
        C.CLIENT_EDIT,
        ok=200,
        body=lambda w: {"city": "Sudbury"},
    ),
    _u("GET", "/api/clients/{person_id}/access-log", C.CLIENT_VIEW, C.ACCESS_LOG_VIEW, ok=200),
    # ----- API: cases -----
    _u(
        "POST",
        "/api/cases",
        C.CLIENT_VIEW,
        C.CASE_CREATE,
        ok=201,
        body=lambda w: {"person_id": w.free_person.pk},
    ),
    _u("GET", "/api/cases/{benefit_unit_id}", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/members",
        C.CLIENT_VIEW,
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=201,
        body=lambda w: {
            "person_id": w.free_child.pk,
            "role": "dependant_child",
            "start_on": _today(),
            "expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/members/{member_id}/end",
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=200,
        body=lambda w: {
            "end_on": _today(),
            "reason": "Moved out",
            "expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/status",
        C.CASE_VIEW,
        C.CASE_STATUS_CHANGE,
        ok=200,
        # By hand: withdraw, with a reason (granting belongs to the eligibility decision).
        body=lambda w: {
            "to_status": "withdrawn",
            "reason": "Matrix: the client withdrew",
            "expected_version": w.case.version,
        },
    ),
    _u("GET", "/api/cases/{benefit_unit_id}/notes", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/notes",
        C.CASE_VIEW,
        C.CASE_NOTE_CREATE,
        ok=201,
        body=lambda w: {"body": "Matrix note"},
    ),
    # ----- API: tasks -----
    _u(
        "GET",
        "/api/tasks",
        C.CASE_VIEW,
        ok=200,
        scope="own",
    ),
    _u("POST", "/api/tasks/{task_id}/complete", C.CASE_VIEW, C.TASK_MANAGE, ok=200),
    # ----- Pages: clients -----
    _u(
        "GET",
        "/clients/",
        C.CLIENT_VIEW,
        ok=200,
        scope="own",
        query=lambda w: {"q": w.person.last_name},
        reveals=lambda w, r: f"/clients/{w.person.pk}/" in r.content.decode(),
    ),
    _u("GET", "/clients/new/", C.CLIENT_CREATE, ok=200, scope="own"),
    _u(
        "POST",
        "/clients/new/",
        C.CLIENT_CREATE,
        ok=PAGE_POST_OK,
        scope="own",
        body=lambda w: {
            "first_name": "New",
            "last_name": "Client",
            "date_of_birth": "1980-01-02",
            "language_preference": "en",
        },
    ),
    _u("GET", "/clients/{person_id}/", C.CLIENT_VIEW, ok=200),
    _u("GET", "/clients/{person_id}/edit/", C.CLIENT_VIEW, C.CLIENT_EDIT, ok=200),
    _u(
        "POST",
        "/clients/{person_id}/edit/",
        C.CLIENT_VIEW,
        C.CLIENT_EDIT,
        ok=PAGE_POST_OK,
        body=lambda w: {
            "first_name": w.person.first_name,
            "last_name": w.person.last_name,
            "date_of_birth": w.person.date_of_birth.isoformat(),
            "language_preference": "en",
            "city": "Sudbury",
        },
    ),
    _u("GET", "/clients/{person_id}/access-log/", C.CLIENT_VIEW, C.ACCESS_LOG_VIEW, ok=200),
    _u("GET", "/clients/access-log/", C.ACCESS_LOG_VIEW, ok=200, scope="own"),
    _u("GET", "/clients/access-log/export/", C.ACCESS_LOG_VIEW, ok=200, scope="own"),
    # ----- Pages: cases -----
    _u(
        "POST",
        "/cases/new/",
        C.CLIENT_VIEW,
        C.CASE_CREATE,
        ok=302,
        body=lambda w: {"person_id": w.free_person.pk},
    ),
    _u("GET", "/cases/{benefit_unit_id}/", C.CASE_VIEW, ok=200),
    # The caseworker's page that gives a client an activation code for the portal (issue 17).
    _u("GET", "/portal-access/cases/{benefit_unit_id}/", C.CASE_EDIT, ok=200),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/status/",
        C.CASE_VIEW,
        C.CASE_STATUS_CHANGE,
        ok=PAGE_POST_OK,
        body=lambda w: {
            "status-to_status": "withdrawn",
            "status-reason": "Matrix: the client withdrew",
            "status-effective_on": _today(),
            "status-expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/notes/",
        C.CASE_VIEW,
        C.CASE_NOTE_CREATE,
        ok=PAGE_POST_OK,
        body=lambda w: {"note-body": "Matrix note"},
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/tasks/",
        C.CASE_VIEW,
        C.TASK_MANAGE,
        ok=PAGE_POST_OK,
        body=lambda w: {"task-title": "Matrix task", "task-due_on": _today()},
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/members/",
        C.CLIENT_VIEW,
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=PAGE_POST_OK,
        body=lambda w: {
            "member-person": w.free_child.pk,
            "member-role": "dependant_child",
            "member-start_on": _today(),
            "member-expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/members/{member_id}/end/",
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=PAGE_POST_OK,
        body=lambda w: {
            f"end-{w.member.pk}-end_on": _today(),
            f"end-{w.member.pk}-reason": "Moved out",
            f"end-{w.member.pk}-expected_version": w.case.version,
        },
    ),
    _u("POST", "/cases/tasks/{task_id}/done/", C.CASE_VIEW, C.TASK_MANAGE, ok=PAGE_POST_OK),
    # ----- API: employment services providers (a provider login sees its referrals only) -----
    _u(
        "GET",
        "/api/provider/referrals",
        C.PROVIDER_REFERRAL_RESPOND,
        ok=200,
        scope="own",
        setup=lambda w: w.referral,
        reveals=lambda w, r: w.referral.pk in _ids_in(r),
    ),
    _u("GET", "/api/provider/referrals/{referral_id}", C.PROVIDER_REFERRAL_RESPOND, ok=200),
    _u(
        "POST",
        "/api/provider/referrals/{referral_id}/status",
        C.PROVIDER_REFERRAL_RESPOND,
        ok=200,
        body=lambda w: {"to_status": "started"},
    ),
    _u(
        "POST",
        "/api/provider/referrals/{referral_id}/outcomes",
        C.PROVIDER_REFERRAL_RESPOND,
        ok=201,
        body=lambda w: {
            "employer": "Matrix Hardware",
            "start_on": _today(),
            "hours_per_week": "25",
            "hourly_wage_cents": 1_800,
            "permanence": "temporary",
            "has_benefits": False,
        },
    ),
    _u(
        "POST",
        "/api/provider/follow-ups/{follow_up_id}",
        C.PROVIDER_REFERRAL_RESPOND,
        ok=200,
        body=lambda w: {"still_employed": True, "hours_per_week": "30", "hourly_wage_cents": 1_900},
    ),
    # ----- Pages: caseloads, reassignment, transfers -----
    _u("GET", "/caseload/", C.CASE_VIEW, ok=200, scope="own"),
    _u("GET", "/caseload/workers/{worker_id}/", C.CASE_VIEW, C.CASELOAD_SUPERVISE, ok=200),
    _u("GET", "/caseload/supervisor/", C.CASELOAD_SUPERVISE, ok=200, scope="own"),
    _u("POST", "/caseload/reassign/", C.CASE_REASSIGN, ok=302, scope="own"),
    _u("GET", "/caseload/tasks/", C.TASK_MANAGE, ok=200, scope="own"),
    _u("POST", "/caseload/tasks/", C.TASK_MANAGE, ok=PAGE_FORM_EMPTY, scope="own"),
    _u("POST", "/caseload/tasks/notices/seen/", C.CASE_VIEW, ok=302, scope="own"),
    _u("GET", "/caseload/cases/{benefit_unit_id}/transfer/", C.CASE_VIEW, C.CASE_TRANSFER, ok=200),
    _u(
        "POST",
        "/caseload/cases/{benefit_unit_id}/transfer/",
        C.CASE_VIEW,
        C.CASE_TRANSFER,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/caseload/transfers/", C.CASE_VIEW, ok=200, scope="own", setup=lambda w: w.transfer),
    # The sending partner's history of a case it transferred (partner B received it: 404).
    _u("GET", "/caseload/transfers/{transfer_id}/", C.CASE_VIEW, ok=200),
    # ----- Pages: employment -----
    # The directory: staff who refer (case view) or who keep it (directory manage).
    _u(
        "GET",
        "/employment/providers/",
        ok=200,
        scope="own",
        any_of=frozenset({C.CASE_VIEW, C.PROVIDER_DIRECTORY_MANAGE}),
    ),
    _u(
        "POST",
        "/employment/providers/",
        C.PROVIDER_DIRECTORY_MANAGE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    # A partner administrator links a provider login to a provider of the directory.
    _u(
        "POST",
        "/employment/providers/accounts/",
        C.STAFF_MANAGE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u("GET", "/employment/cases/{benefit_unit_id}/", C.CASE_VIEW, ok=200),
    *(
        _u("POST", path, C.CASE_VIEW, capability, ok=PAGE_FORM_EMPTY)
        for path, capability in (
            ("/employment/cases/{benefit_unit_id}/referrals/", C.REFERRAL_MANAGE),
            (
                "/employment/cases/{benefit_unit_id}/referrals/{referral_id}/status/",
                C.REFERRAL_MANAGE,
            ),
            ("/employment/cases/{benefit_unit_id}/outcomes/", C.EMPLOYMENT_OUTCOME_RECORD),
            (
                "/employment/cases/{benefit_unit_id}/follow-ups/{follow_up_id}/",
                C.EMPLOYMENT_OUTCOME_RECORD,
            ),
            ("/employment/cases/{benefit_unit_id}/activities/", C.EMPLOYMENT_OUTCOME_RECORD),
            ("/employment/cases/{benefit_unit_id}/exit/", C.CASE_STATUS_CHANGE),
        )
    ),
    # ----- API: intake to decision -----
    _u(
        "POST",
        "/api/inquiries",
        C.INQUIRY_RECORD,
        ok=201,
        scope="own",
        body=lambda w: {"caller_name": "Matrix Caller", "monthly_income": "0"},
    ),
    _u(
        "POST",
        "/api/appointments",
        C.APPOINTMENT_BOOK,
        ok=201,
        scope="own",
        body=lambda w: {
            "caseworker_id": w.colleague.pk,
            "starts_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
            "duration_minutes": 60,
        },
    ),
    _u(
        "POST",
        "/api/applications",
        C.CLIENT_VIEW,
        C.APPLICATION_EDIT,
        ok=201,
        body=lambda w: {"person_id": w.free_person.pk},
    ),
    _u("GET", "/api/applications/{application_id}", C.CASE_VIEW, ok=200),
    _u(
        "PATCH",
        "/api/applications/{application_id}",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=200,
        body=lambda w: {"city": "Sudbury"},
    ),
    _u(
        "POST",
        "/api/applications/{application_id}/members",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=201,
        body=lambda w: {
            "first_name": "Newborn",
            "last_name": "Matrix",
            "date_of_birth": _today(),
            "role": "dependant_child",
        },
    ),
    _u(
        "POST",
        "/api/applications/{application_id}/verifications/{item_id}",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=200,
        body=lambda w: {"status": "waived", "waived_reason": "Seen in person"},
    ),
    _u(
        "POST",
        "/api/applications/{application_id}/determinations",
        C.CASE_VIEW,
        C.DETERMINATION_RUN,
        ok=201,
    ),
    _u("GET", "/api/determinations/{determination_id}", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/api/determinations/{determination_id}/decision",
        C.CASE_VIEW,
        C.DECISION_MAKE,
        ok=201,
        body=lambda w: {"outcome": "grant", "override_reason": "Matrix: proof seen in person"},
    ),
    _u("GET", "/api/decisions/{decision_id}", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/documents",
        C.CASE_VIEW,
        C.DOCUMENT_UPLOAD,
        ok=201,
        multipart=True,
        body=lambda w: {
            "title": "Proof of address",
            "file": SimpleUploadedFile("lease.pdf", b"%PDF-1.4\n% synthetic\n"),
        },
    ),
    # ----- Pages: intake, applications, documents, determinations and decisions -----
    _u("GET", "/applications/inquiries/new/", C.INQUIRY_RECORD, ok=200, scope="own"),
    _u("POST", "/applications/inquiries/new/", C.INQUIRY_RECORD, ok=PAGE_FORM_EMPTY, scope="own"),
    _u("GET", "/applications/inquiries/", C.INQUIRY_RECORD, ok=200, scope="own"),
    _u("GET", "/applications/inquiries/{inquiry_id}/", C.INQUIRY_RECORD, ok=200),
    _u("POST", "/applications/inquiries/{inquiry_id}/", C.INQUIRY_RECORD, ok=PAGE_FORM_EMPTY),
    # The form; an inquiry already linked to a registered person redirects to its page.
    _u(
        "GET",
        "/applications/inquiries/{inquiry_id}/register/",
        C.INQUIRY_RECORD,
        C.CLIENT_CREATE,
        ok=(200, 302),
    ),
    _u(
        "POST",
        "/applications/inquiries/{inquiry_id}/register/",
        C.INQUIRY_RECORD,
        C.CLIENT_CREATE,
        ok=PAGE_FORM_EMPTY,
    ),
    # "Use this person" on the duplicate panel: the inquiry linked to a client already known.
    _u(
        "POST",
        "/applications/inquiries/{inquiry_id}/link/",
        C.INQUIRY_RECORD,
        C.CLIENT_VIEW,
        ok=(302,),
        body=lambda w: {"person": w.person.pk},
    ),
    _u("GET", "/applications/appointments/{appointment_id}/", C.APPOINTMENT_BOOK, ok=200),
    _u(
        "POST",
        "/applications/appointments/{appointment_id}/",
        C.APPOINTMENT_BOOK,
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/applications/cases/{benefit_unit_id}/start/",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/applications/appointments/new/", C.APPOINTMENT_BOOK, ok=200, scope="own"),
    _u(
        "POST",
        "/applications/appointments/new/",
        C.APPOINTMENT_BOOK,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u("GET", "/applications/calendar/", C.APPOINTMENT_BOOK, ok=200, scope="own"),
    _u("GET", "/applications/start/{person_id}/", C.CLIENT_VIEW, C.APPLICATION_EDIT, ok=200),
    _u(
        "POST",
        "/applications/start/{person_id}/",
        C.CLIENT_VIEW,
        C.APPLICATION_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/applications/{application_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/applications/{application_id}/",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "GET",
        "/applications/{application_id}/members/new/",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=200,
    ),
    _u(
        "POST",
        "/applications/{application_id}/members/new/",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/applications/{application_id}/verification/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/applications/{application_id}/verification/",
        C.CASE_VIEW,
        C.APPLICATION_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/documents/cases/{benefit_unit_id}/", C.CASE_VIEW, C.DOCUMENT_VIEW, ok=200),
    _u(
        "POST",
        "/documents/cases/{benefit_unit_id}/",
        C.CASE_VIEW,
        C.DOCUMENT_VIEW,
        C.DOCUMENT_UPLOAD,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/documents/{document_id}/download/", C.DOCUMENT_VIEW, ok=200),
    _u("GET", "/documents/letters/", C.DOCUMENT_UPLOAD, ok=200, scope="own"),
    _u("POST", "/documents/letters/", C.DOCUMENT_UPLOAD, ok=PAGE_FORM_EMPTY, scope="own"),
    _u(
        "POST",
        "/eligibility/applications/{application_id}/run/",
        C.CASE_VIEW,
        C.DETERMINATION_RUN,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/eligibility/determinations/{determination_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/eligibility/determinations/{determination_id}/decide/",
        C.CASE_VIEW,
        C.DECISION_MAKE,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/eligibility/decisions/{decision_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/eligibility/decisions/{decision_id}/review/",
        C.CASE_VIEW,
        C.DECISION_APPROVE_OVERRIDE,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/eligibility/approvals/", C.DECISION_APPROVE_OVERRIDE, ok=200, scope="own"),
    # ----- Pages: money on a case, payment runs -----
    _u("GET", "/payments/cases/{benefit_unit_id}/", C.CASE_VIEW, C.PAYMENT_VIEW, ok=200),
    _u(
        "GET",
        "/payments/cases/{benefit_unit_id}/income/",
        C.CASE_VIEW,
        C.INCOME_REPORT_RECORD,
        ok=200,
    ),
    _u(
        "POST",
        "/payments/cases/{benefit_unit_id}/circumstances/",
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/payments/cases/{benefit_unit_id}/recalculate/",
        C.CASE_VIEW,
        C.DETERMINATION_RUN,
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/payments/cases/{benefit_unit_id}/member-circumstances/",
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=PAGE_FORM_EMPTY,
    ),
    *(
        _u("POST", path, C.CASE_VIEW, C.PAYMENT_MANAGE, ok=PAGE_FORM_EMPTY)
        for path in (
            "/payments/cases/{benefit_unit_id}/bank-account/",
            "/payments/cases/{benefit_unit_id}/actions/",
            "/payments/cases/{benefit_unit_id}/bank-changes/{change_id}/",
        )
    ),
    *(
        _u("POST", path, C.CASE_VIEW, C.OVERPAYMENT_MANAGE, ok=PAGE_FORM_EMPTY)
        for path in (
            "/payments/cases/{benefit_unit_id}/overpayments/",
            "/payments/cases/{benefit_unit_id}/ledger/",
        )
    ),
    # One-time and between-run payments (issue 16): the request on the case, the queue of
    # requests to decide, the finance page that issues them, the batch and its files.
    _u(
        "GET",
        "/payments/cases/{benefit_unit_id}/one-time/",
        C.CASE_VIEW,
        C.PAYMENT_MANAGE,
        ok=200,
    ),
    _u(
        "POST",
        "/payments/cases/{benefit_unit_id}/one-time/",
        C.CASE_VIEW,
        C.PAYMENT_MANAGE,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/payments/one-time/", C.PAYMENT_VIEW, C.PAYMENT_MANAGE, ok=200, scope="own"),
    _u(
        "POST",
        "/payments/one-time/{payment_id}/decide/",
        C.PAYMENT_VIEW,
        C.PAYMENT_MANAGE,
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/payments/one-time/batches/", C.PAYMENT_VIEW, ok=200, scope="own"),
    _u(
        "POST",
        "/payments/one-time/batches/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u("GET", "/payments/one-time/batches/{batch_id}/", C.PAYMENT_VIEW, ok=200),
    _u(
        "GET",
        "/payments/one-time/batches/{batch_id}/cpa005/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=(200, 302),
    ),
    _u(
        "GET",
        "/payments/one-time/batches/{batch_id}/cheques.csv",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=200,
    ),
    # Health benefit authorizations (issue 16).
    *(
        _u("GET", path, C.CASE_VIEW, C.PAYMENT_VIEW, ok=200)
        for path in (
            "/payments/cases/{benefit_unit_id}/health/",
            "/payments/cases/{benefit_unit_id}/health/{authorization_id}/",
        )
    ),
    *(
        _u("POST", path, C.CASE_VIEW, C.PAYMENT_VIEW, C.PAYMENT_MANAGE, ok=PAGE_FORM_EMPTY)
        for path in (
            "/payments/cases/{benefit_unit_id}/health/",
            "/payments/cases/{benefit_unit_id}/health/{authorization_id}/decide/",
            "/payments/cases/{benefit_unit_id}/health/{authorization_id}/invoice/",
            "/payments/cases/{benefit_unit_id}/health/{authorization_id}/cancel/",
        )
    ),
    _u("GET", "/payments/runs/", C.PAYMENT_VIEW, ok=200, scope="own"),
    _u(
        "POST",
        "/payments/runs/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_PREPARE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u("GET", "/payments/runs/{run_id}/", C.PAYMENT_VIEW, ok=200),
    # The partner administrator names the approvers of the partner's runs (issue 12).
    _u("GET", "/payments/runs/approvers/", C.STAFF_MANAGE, ok=200, scope="own"),
    _u("POST", "/payments/runs/approvers/", C.STAFF_MANAGE, ok=PAGE_FORM_EMPTY, scope="own"),
    # The run is looked up first (payment view), then the right to act on it.
    _u(
        "POST",
        "/payments/runs/{run_id}/dry-run/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_PREPARE,
        gate=(C.PAYMENT_VIEW,),
        ok=PAGE_FORM_EMPTY,
    ),
    *(
        _u(
            "POST",
            path,
            C.PAYMENT_VIEW,
            C.PAYMENT_RUN_APPROVE,
            gate=(C.PAYMENT_VIEW,),
            ok=PAGE_FORM_EMPTY,
        )
        for path in ("/payments/runs/{run_id}/approve/", "/payments/runs/{run_id}/release/")
    ),
    # Building the CPA-005 file takes a file creation number: a POST.
    _u(
        "POST",
        "/payments/runs/{run_id}/cpa005/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=(200, 302),
    ),
    _u(
        "GET",
        "/payments/runs/{run_id}/cheques.csv",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=(200, 302),
    ),
    # Bank returns, reconciliation, cheque register (the world's run is not released: the
    # reconciliation CSV answers with a message, the register is empty).
    _u("GET", "/payments/runs/returns/", C.PAYMENT_VIEW, ok=200, scope="own"),
    _u(
        "POST",
        "/payments/runs/returns/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u(
        "POST",
        "/payments/runs/returns/{return_id}/reissue/",
        C.PAYMENT_MANAGE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u("GET", "/payments/runs/{run_id}/reconciliation/", C.PAYMENT_VIEW, ok=200),
    _u("GET", "/payments/runs/{run_id}/reconciliation.csv", C.PAYMENT_VIEW, ok=(200, 302)),
    _u(
        "GET",
        "/payments/runs/{run_id}/cheque-register/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=200,
    ),
    _u(
        "POST",
        "/payments/runs/{run_id}/cheque-register/action/",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=PAGE_FORM_EMPTY,
    ),
    # ----- Pages: internal reviews and appeals -----
    _u("GET", "/reviews/cases/{benefit_unit_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/reviews/cases/{benefit_unit_id}/",
        C.CASE_VIEW,
        C.REVIEW_MANAGE,
        gate=(C.CASE_VIEW,),
        ok=PAGE_FORM_EMPTY,
    ),
    *(
        _u("POST", path, C.CASE_VIEW, C.REVIEW_MANAGE, gate=(C.CASE_VIEW,), ok=PAGE_FORM_EMPTY)
        for path in (
            "/reviews/{review_id}/decide/",
            "/reviews/{review_id}/appeal/",
            "/reviews/appeals/{appeal_id}/",
        )
    ),
    # ----- Pages: clients online (issue 17): the team inbox, a case's messages, changes, proofs
    _u(
        "GET",
        "/messaging/inbox/",
        C.CASE_VIEW,
        ok=200,
        scope="own",
        setup=lambda w: w.client_message,
        reveals=lambda w, r: w.case.case_number in r.content.decode(),
    ),
    _u(
        "GET",
        "/messaging/changes/",
        C.CASE_VIEW,
        ok=200,
        scope="own",
        setup=lambda w: w.reported_change,
        reveals=lambda w, r: w.case.case_number in r.content.decode(),
    ),
    _u("GET", "/messaging/cases/{benefit_unit_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/messaging/cases/{benefit_unit_id}/",
        C.CASE_VIEW,
        C.CASE_NOTE_CREATE,
        gate=(C.CASE_VIEW,),
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/messaging/changes/{reported_change_id}/decide/",
        C.CASE_VIEW,
        C.CASE_EDIT,
        gate=(C.CASE_VIEW,),
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/messaging/uploads/{upload_id}/accept/",
        C.DOCUMENT_VIEW,
        C.APPLICATION_EDIT,
        gate=(C.DOCUMENT_VIEW,),
        ok=PAGE_POST_OK,
    ),
    # ----- Pages: employment programs and sessions -----
    _u("GET", "/employment/programs/", C.CASE_VIEW, ok=200, scope="own"),
    _u(
        "POST",
        "/employment/programs/",
        C.CASE_VIEW,
        C.REFERRAL_MANAGE,
        ok=PAGE_FORM_EMPTY,
        scope="own",
    ),
    _u("GET", "/employment/programs/{program_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/employment/programs/{program_id}/",
        C.CASE_VIEW,
        C.REFERRAL_MANAGE,
        gate=(C.CASE_VIEW,),
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/employment/sessions/{session_id}/attendance/{attendance_id}/",
        C.CASE_VIEW,
        C.REFERRAL_MANAGE,
        ok=PAGE_FORM_EMPTY,
    ),
    _u(
        "POST",
        "/employment/cases/{benefit_unit_id}/sessions/",
        C.CASE_VIEW,
        C.REFERRAL_MANAGE,
        ok=PAGE_FORM_EMPTY,
    ),
    # ----- Pages: reports of one partner; Ministry surveys and partners' answers -----
    _u("GET", "/reporting/partners/{partner_id}/", C.REPORTS_VIEW, ok=200),
    _u("GET", "/reporting/partners/{partner_id}/export.{fmt}", C.REPORTS_VIEW, ok=200),
    *(
        _u("GET", path, C.SURVEY_MANAGE, ok=200, scope="own")
        for path in (
            "/surveys/{survey_id}/",
            "/surveys/{survey_id}/results/",
            "/surveys/{survey_id}/results/export.{fmt}",
        )
    ),
    *(
        _u("POST", path, C.SURVEY_MANAGE, ok=PAGE_FORM_EMPTY, scope="own")
        for path in ("/surveys/{survey_id}/questions/", "/surveys/{survey_id}/send/")
    ),
    _u("GET", "/surveys/answers/{response_id}/", C.SURVEY_RESPOND, ok=200),
    _u("GET", "/reporting/simulation/{simulation_id}/", C.POLICY_SIMULATE, ok=200, scope="own"),
    # ----- API: money on a case, payment runs -----
    _u(
        "GET",
        "/api/payments/cases/{benefit_unit_id}/money",
        C.CASE_VIEW,
        C.PAYMENT_VIEW,
        ok=200,
    ),
    # Business validation (422) still means the role got through to the service.
    _u(
        "POST",
        "/api/payments/cases/{benefit_unit_id}/recalculations",
        C.CASE_VIEW,
        C.DETERMINATION_RUN,
        ok=(200, 201, 422),
        body=lambda w: {
            "from_month": timezone.localdate().strftime("%Y-%m"),
            "expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/api/payments/cases/{benefit_unit_id}/income-reports",
        C.CASE_VIEW,
        C.INCOME_REPORT_RECORD,
        ok=(200, 201, 422),
        body=lambda w: {
            "person_id": w.person.pk,
            "income_month": timezone.localdate().strftime("%Y-%m"),
            "amounts": {"earnings": "100.00"},
            "expected_version": w.case.version,
        },
    ),
    _u("GET", "/api/payments/runs", C.PAYMENT_VIEW, ok=200, scope="own"),
    _u(
        "POST",
        "/api/payments/runs",
        C.PAYMENT_RUN_PREPARE,
        ok=(201, 202, 422),
        scope="own",
        body=lambda w: {"benefit_month": timezone.localdate().strftime("%Y-%m")},
    ),
    _u("GET", "/api/payments/runs/{run_id}", C.PAYMENT_VIEW, ok=200),
    *(
        _u("POST", path, C.PAYMENT_VIEW, C.PAYMENT_RUN_APPROVE, ok=(200, 202, 409, 422))
        for path in ("/api/payments/runs/{run_id}/approve", "/api/payments/runs/{run_id}/release")
    ),
    # ----- API: one-time and between-run payments (issue 16) -----
    _u(
        "POST",
        "/api/payments/cases/{benefit_unit_id}/one-time-payments",
        C.CASE_VIEW,
        C.PAYMENT_MANAGE,
        ok=(201, 422),  # the world's case is pending: "Only an active case is paid."
        body=lambda w: {
            "member_id": w.person.pk,
            "kind": "moving",
            "amount": "100.00",
            "reason": "Matrix",
            "payee": "client",
            "method": "cheque",
        },
    ),
    _u(
        "GET",
        "/api/payments/one-time-payments",
        C.PAYMENT_VIEW,
        ok=200,
        scope="own",
        setup=lambda w: w.one_time_payment,
        reveals=lambda w, r: w.one_time_payment.pk in _ids_in(r),
    ),
    _u(
        "POST",
        "/api/payments/one-time-payments/{payment_id}/decision",
        C.PAYMENT_VIEW,
        C.PAYMENT_MANAGE,
        ok=(200, 422),  # a refusal without its reason: 422
        body=lambda w: {"approve": False},
    ),
    _u("POST", "/api/payments/one-time-batches", C.PAYMENT_RUN_APPROVE, ok=(201, 422), scope="own"),
    # ----- API: bank returns, reissues, cheque register (ids in the body: 422 when not found) --
    _u(
        "POST",
        "/api/payments/returns",
        C.PAYMENT_RUN_APPROVE,
        ok=(201, 422),
        scope="own",
        body=lambda w: {"content_base64": "YQ=="},  # "a": not a returns file
    ),
    _u("GET", "/api/payments/returns", C.PAYMENT_VIEW, ok=200, scope="own"),
    _u(
        "POST",
        "/api/payments/reissues",
        C.PAYMENT_VIEW,
        C.PAYMENT_MANAGE,
        ok=(201, 422),
        scope="own",
        body=lambda w: {"return_id": 2**62, "method": "cheque", "reason": "Matrix"},
    ),
    *(
        _u("POST", path, C.PAYMENT_RUN_APPROVE, ok=(201, 422), scope="own")
        for path in ("/api/payments/reissues/file", "/api/payments/reissues/cheque-list")
    ),
    _u(
        "GET",
        "/api/payments/runs/{run_id}/cheque-register",
        C.PAYMENT_VIEW,
        C.PAYMENT_RUN_APPROVE,
        ok=200,
    ),
    _u(
        "POST",
        "/api/payments/cheque-actions",
        C.PAYMENT_RUN_APPROVE,
        ok=(201, 422),
        scope="own",
        body=lambda w: {"payment_id": 2**62, "kind": "stop", "reason": "Matrix"},
    ),
    # ----- Pages: participation agreements -----
    _u("GET", "/plans/cases/{benefit_unit_id}/", C.CASE_VIEW, ok=200, setup=lambda w: w.agreement),
    _u(
        "POST",
        "/plans/cases/{benefit_unit_id}/",
        C.CASE_VIEW,
        C.PLAN_MANAGE,
        gate=(C.CASE_VIEW,),  # the case is looked up first, then the right to plan
        ok=PAGE_FORM_EMPTY,
    ),
    _u("GET", "/plans/{agreement_id}/", C.CASE_VIEW, ok=200),
    _u("GET", "/plans/{agreement_id}/agreement.pdf", C.CASE_VIEW, ok=200),
    *(
        _u(
            "POST",
            f"/plans/{{agreement_id}}/{action}/",
            C.CASE_VIEW,
            C.PLAN_MANAGE,
            ok=PAGE_FORM_EMPTY,
        )
        for action in ("goals", "activities", "sign", "reviews", "deferrals")
    ),
]


# ---------------------------------------------------------------------------------------------
# 4. Who asks: each role in partner A ("own"), provincial staff, each role in partner B
#    ("other"), and nobody.
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Actor:
    where: str  # own | provincial | other | anonymous
    role: str = ""

    @property
    def id(self) -> str:
        return f"{self.where}-{self.role}" if self.role else self.where


ACTORS = (
    [Actor("own", role.value) for role in Role]
    + [Actor("provincial", role.value) for role in sorted(PROVINCIAL_ROLES)]
    + [Actor("other", role.value) for role in Role]
    + [Actor("anonymous")]
)


def _passes_gate(url: Url, rights: frozenset[C]) -> bool:
    return url.allowed(rights) if url.gate is None else url.gate <= rights


def expected_statuses(url: Url, actor: Actor) -> tuple[int, ...]:
    if actor.where == "anonymous":
        return (401,) if url.is_api else (302,)
    rights = RIGHTS[actor.role]
    if actor.where == "other" and url.scope in ("partner", "self"):
        # Refused before the lookup (403), or the record "does not exist" for them (404).
        return (404,) if _passes_gate(url, rights) else (403,)
    return url.ok if url.allowed(rights) else (403,)


def _matrix() -> list[Any]:
    """Every (URL, actor) pair, except another partner's roles that the role check alone
    refuses: their 403 is the same code path as the same role's 403 in partner A."""
    return [
        pytest.param(url, actor, id=f"{url.id}-{actor.id}")
        for url in URLS
        for actor in ACTORS
        if actor.where != "other" or _passes_gate(url, RIGHTS[actor.role])
    ]


def _make_actor(actor: Actor, world: World) -> Any:
    if actor.where == "anonymous":
        return None
    if actor.role == Role.PROVIDER:
        # A provider login acts for one provider: partner A's, or (other) partner B's.
        if actor.where == "own":
            return _provider_login(world.provider, world.partner)
        return _provider_login(world.other_provider, world.other_partner)
    partner = {"own": world.partner, "other": world.other_partner, "provincial": None}
    return UserFactory(role=actor.role, delivery_partner=partner[actor.where])


def _request(url: Url, world: World, user: Any, actor: Actor) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    if url.setup is not None:
        url.setup(world)
    path = url.path.format(**world.ids(url.path, user, actor.where))
    world.actor = user
    body = url.body(world) if url.body else {}
    if url.method == "GET":
        return client.get(path, url.query(world) if url.query else None)
    key = uuid.uuid4().hex  # money routes need an idempotency key (header, or the form's field)
    if url.is_api and not url.multipart:
        return client.generic(
            url.method,
            path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
    return client.post(path, {"idempotency_key": key, **body}, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "actor"), _matrix())
def test_permission_matrix(url: Url, actor: Actor) -> None:
    world = _build_world()
    user = _make_actor(actor, world)
    response = _request(url, world, user, actor)
    expected = expected_statuses(url, actor)
    assert response.status_code in expected, (
        f"{actor.id} {url.id}: got {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )
    if actor.where == "anonymous" and not url.is_api:
        assert "/login/" in response["Location"]
    if url.reveals is not None and response.status_code == 200:
        shown = url.reveals(world, response)
        # Partner A's record shows for partner A and provincial staff, never for partner B.
        assert shown is (actor.where != "other"), f"{actor.id} {url.id}: reveals={shown}"


# ---------------------------------------------------------------------------------------------
# 5. The matrix is complete and honest.
# ---------------------------------------------------------------------------------------------
def test_rights_grid_matches_role_capabilities() -> None:
    assert set(ROLE_COLUMNS) == set(Role), "add the new role as a column of RIGHTS_GRID"
    assert set(RIGHTS_GRID) == set(C), "add the new capability as a row of RIGHTS_GRID"
    for marks in RIGHTS_GRID.values():
        assert len(marks.split()) == len(ROLE_COLUMNS)
    for role, rights in RIGHTS.items():
        actual = ROLE_CAPABILITIES[role]
        assert rights == actual, (
            f"{role}: only in the grid {sorted(rights - actual)}, "
            f"only in ROLE_CAPABILITIES {sorted(actual - rights)}"
        )


# Apps whose every URL shows or changes client or case data.
CLIENT_CASE_NAMESPACES = {
    "clients",
    "cases",
    "applications",
    "documents",
    "eligibility",
    "plans",
    "employment",
    "caseload",
    "payments",
    "reviews",
    "messaging",
}
NOT_CLIENT_DATA = {"/api/", "/api/openapi.json", "/api/docs"}  # API root and its docs
# The client realm (/my/, caseworks.portal): no staff page at all (staff sessions are sent to
# the portal's sign-in); its own matrix is caseworks/portal/tests/test_portal_matrix.py, where
# every portal URL is checked for the case's own client, other clients, staff and anonymous.
PORTAL_PREFIX = "/my/"


def _normalise(route: str) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path() converters
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # re_path() groups
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def _django_routes() -> list[tuple[str, str]]:
    """(path, namespace) of every URL Django resolves, admin excepted."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                found.append((_normalise(prefix + str(pattern.pattern)), namespace))

    walk(get_resolver().url_patterns, "", "")
    return found


def _api_operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    prefix = "/api"
    return {
        (method.upper(), path if path.startswith(prefix) else prefix + path)
        for path, operations in paths.items()
        for method in operations
    }


def test_every_url_is_in_the_matrix() -> None:
    covered_paths = {u.path for u in URLS}
    covered_operations = {(u.method, u.path) for u in URLS}
    missing: set[str] = set()
    for path, namespace in _django_routes():
        # A record id in the path (person_id, benefit_unit_id, partner_id, …); not a format.
        takes_an_id = any(
            name.endswith("_id") or name in ("id", "pk") for name in _PLACEHOLDER.findall(path)
        )
        if path in NOT_CLIENT_DATA or path.startswith(PORTAL_PREFIX):
            continue
        if (takes_an_id or namespace in CLIENT_CASE_NAMESPACES) and path not in covered_paths:
            missing.add(f"page/API URL {path} ({namespace or 'no namespace'})")
    missing |= {f"API {m} {p}" for m, p in _api_operations() - covered_operations}
    assert not missing, (
        "These URLs are not in tests/test_permission_matrix.py::URLS. Add each with the "
        "capabilities it needs (and any new id to World.ids):\n  " + "\n  ".join(sorted(missing))
    )


def test_matrix_has_no_stale_rows_and_knows_every_placeholder() -> None:
    existing = {path for path, _ in _django_routes()}
    known = set(ID_PLACEHOLDERS)
    for url in URLS:
        assert url.path in existing, f"{url.id} is in URLS but no such URL exists"
        unknown = set(_PLACEHOLDER.findall(url.path)) - known
        assert not unknown, f"{url.id}: add {unknown} to World.ids"
