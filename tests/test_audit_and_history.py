"""Nothing is lost: every write leaves one audit event and a history row; every look at a client
file is logged; a refused change leaves no trace; an auditor can see who looked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models, transaction
from django.test import Client
from django.utils import timezone
from pypdf import PdfWriter

from caseworks.accounts import services as accounts_services
from caseworks.accounts.constants import Role
from caseworks.accounts.models import StaffInvitation, User
from caseworks.accounts.services import (
    api_token_create,
    staff_invitation_approve,
    staff_invitation_revoke,
    staff_invite,
    staff_user_create,
    staff_user_update,
)
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.services import application_start, online_application_submit
from caseworks.applications.tests.test_online import _answers as online_answers
from caseworks.cases import services as cases_services
from caseworks.cases.constants import CaseStatus, MemberRole, TransferKind
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseNote, CaseStatusChange, Task
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    benefit_unit_member_end,
    case_note_create,
    case_reassign,
    case_status_change,
    case_transfer,
    task_assign,
    task_bulk_assign,
    task_bulk_complete,
    task_complete,
    task_create,
    task_notices_dismiss,
)
from caseworks.clients import services as clients_services
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.services import person_create, person_update
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.constants import AuditEventType as E
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.documents.services import letters_print_for_mail, notice_store
from caseworks.messaging import services as messaging_services
from caseworks.messaging.models import ClientUpload, Message, ReportedChange
from caseworks.messaging.services import (
    ClientFile,
    checklist_document_upload_from_client,
    client_upload_accept,
    message_mark_read,
    message_reply,
    message_send_from_client,
    reported_change_decide,
    reported_change_submit_from_client,
)
from caseworks.partners.constants import PartnerKind
from caseworks.partners.reference import MINISTRY_CODE
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.payments.models import (
    HealthAuthorization,
    HealthAuthorizationInvoice,
    OneTimePayment,
    OneTimePolicy,
)
from caseworks.payments.services.authorization_invoices import (
    health_authorization_invoice_record,
)
from caseworks.payments.services.authorizations import (
    health_authorization_cancel,
    health_authorization_decide,
    health_authorization_request,
)
from caseworks.payments.services.onetime import (
    one_time_batch_download_record,
    one_time_batch_issue,
    one_time_payment_decide,
    one_time_payment_request,
    one_time_policy_set,
)
from tests.test_permission_matrix import (
    RIGHTS,
    ROLE_COLUMNS,
    URLS,
    Actor,
    World,
    _build_world,
    _make_actor,
)

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Scene:
    partner: Any
    other_partner: Any
    worker: Any
    supervisor: Any
    admin: Any
    case: BenefitUnit
    child: Person
    member: BenefitUnitMember
    task: Task
    handed: Task  # a task the worker handed to the supervisor (an unread notice)
    prepared: Any = None  # what a Write's `prepare` made before the write (its own events)


@pytest.fixture
def scene(partner: Any, other_partner: Any, users: dict[str, Any]) -> Scene:
    worker = users[Role.CASEWORKER]
    applicant = PersonFactory(delivery_partner=partner)
    case = benefit_unit_create(acting_user=worker, applicant=applicant, caseworker=worker)
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2018, 4, 4))
    member = benefit_unit_member_add(
        acting_user=worker,
        benefit_unit=case,
        person=child,
        role=MemberRole.DEPENDANT_CHILD,
        start_on=case.opened_on,
    )
    case.refresh_from_db()
    return Scene(
        partner=partner,
        other_partner=other_partner,
        worker=worker,
        supervisor=users[Role.SUPERVISOR],
        admin=users[Role.PARTNER_ADMIN],
        case=case,
        child=child,
        member=member,
        task=task_create(acting_user=worker, title="Call", due_on=timezone.localdate()),
        handed=task_assign(
            acting_user=worker,
            task=task_create(acting_user=worker, title="Visit", due_on=timezone.localdate()),
            assigned_to=users[Role.SUPERVISOR],
        ),
    )


@dataclasses.dataclass(frozen=True)
class Write:
    """A write service: how to call it, the audit event it must leave, the model whose row
    history must grow (None: the model keeps no row history), and who acts."""

    name: str
    call: Callable[[Scene], Any]
    event: E
    history_of: type[models.Model] | None
    actor: str = "worker"
    # Records the write needs, made through other services before the events are counted
    # (available to `call` as `scene.prepared`).
    prepare: Callable[[Scene], Any] | None = None


def _today() -> dt.date:
    return timezone.localdate()


PDF = b"%PDF-1.4\n% synthetic proof\n"


def _client_message(s: Scene) -> Message:
    return message_send_from_client(
        person=s.case.members.get(role=MemberRole.APPLICANT).person,
        benefit_unit=s.case,
        body="Is my cheque late?",
    )


def _reported_change(s: Scene) -> ReportedChange:
    return reported_change_submit_from_client(
        person=s.case.members.get(role=MemberRole.APPLICANT).person,
        benefit_unit=s.case,
        kind="household",
        changed_on=_today(),
        details="My brother moved in",
    )


def _pending_item(s: Scene) -> Any:
    """A pending checklist item of a new application (its own case and applicant)."""
    application = application_start(
        acting_user=s.worker, applicant=PersonFactory(delivery_partner=s.partner)
    )
    return application.verifications.order_by("id").first()


def _client_upload(s: Scene, item: Any = None) -> ClientUpload:
    item = item or _pending_item(s)
    return checklist_document_upload_from_client(
        person=item.application.benefit_unit.members.get().person,
        item=item,
        file=ClientFile("proof.pdf", PDF),
    )


def _letter_to_post(s: Scene) -> Any:
    """A one-page letter on the case, not yet posted."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    pdf = io.BytesIO()
    writer.write(pdf)
    with transaction.atomic():
        return notice_store(
            acting_user=s.worker,
            benefit_unit=s.case,
            person=None,
            title="Notice",
            pdf=pdf.getvalue(),
            language="en",
        )


def _active_case(s: Scene) -> BenefitUnit:
    """The scene's case made active (its own events, before the write is counted)."""
    return case_status_change(
        acting_user=s.worker,
        benefit_unit=s.case,
        to_status=CaseStatus.ACTIVE,
        reason="Granted (synthetic)",
        effective_on=s.case.opened_on,
    )


def _one_time_request(s: Scene, case: BenefitUnit) -> OneTimePayment:
    return one_time_payment_request(
        acting_user=s.worker,
        benefit_unit=case,
        member_id=s.child.pk,
        kind="newborn_items",
        amount_cents=10_000,
        reason="Crib",
        payee="client",
        method="cheque",
    )


def _one_time_approved(s: Scene) -> OneTimePayment:
    """A cheque request on an active case, approved by the supervisor (not its requester)."""
    return one_time_payment_decide(
        acting_user=s.supervisor, payment=_one_time_request(s, _active_case(s)), approve=True
    )


def _one_time_batch(s: Scene) -> Any:
    _one_time_approved(s)
    return one_time_batch_issue(acting_user=s.supervisor, idempotency_key="audit-download")


def _health_request(s: Scene, case: BenefitUnit) -> HealthAuthorization:
    return health_authorization_request(
        acting_user=s.worker,
        benefit_unit=case,
        member_id=s.child.pk,
        kind="diabetic_surgical",
        vendor_name="Pharmacy",
        vendor_address="1 Main St",
        starts_on=_today(),
        ends_on=_today() + dt.timedelta(days=30),
        reason="Dressings",
        method="cheque",
        limit_cents=10_000,
        prescription_seen=True,
    )


WRITES = [
    Write(
        "person_create",
        lambda s: person_create(
            acting_user=s.worker,
            first_name="Ada",
            last_name="Roy",
            date_of_birth=dt.date(1990, 1, 1),
        ),
        E.PERSON_CREATED,
        Person,
    ),
    Write(
        "person_update",
        lambda s: person_update(acting_user=s.worker, person=s.child, data={"city": "Barrie"}),
        E.PERSON_UPDATED,
        Person,
    ),
    Write(
        "benefit_unit_create",
        lambda s: benefit_unit_create(
            acting_user=s.worker, applicant=PersonFactory(delivery_partner=s.partner)
        ),
        E.BENEFIT_UNIT_CREATED,
        BenefitUnit,
    ),
    Write(
        "benefit_unit_member_add",
        lambda s: benefit_unit_member_add(
            acting_user=s.worker,
            benefit_unit=s.case,
            person=PersonFactory(delivery_partner=s.partner, date_of_birth=dt.date(2019, 1, 1)),
            role=MemberRole.DEPENDANT_CHILD,
            start_on=_today(),
        ),
        E.BENEFIT_UNIT_MEMBER_ADDED,
        BenefitUnitMember,
    ),
    Write(
        "benefit_unit_member_end",
        lambda s: benefit_unit_member_end(
            acting_user=s.worker, member=s.member, end_on=_today(), reason="Moved out"
        ),
        E.BENEFIT_UNIT_MEMBER_ENDED,
        BenefitUnitMember,
    ),
    Write(
        "case_status_change",
        lambda s: case_status_change(
            acting_user=s.worker, benefit_unit=s.case, to_status=CaseStatus.ACTIVE
        ),
        E.CASE_STATUS_CHANGED,
        BenefitUnit,
    ),
    Write(
        "case_note_create",
        lambda s: case_note_create(acting_user=s.worker, benefit_unit=s.case, body="Called."),
        E.CASE_NOTE_CREATED,
        CaseNote,
    ),
    Write(
        "task_create",
        lambda s: task_create(acting_user=s.worker, title="Review", due_on=_today()),
        E.TASK_CREATED,
        Task,
    ),
    Write(
        "task_complete",
        lambda s: task_complete(acting_user=s.worker, task=s.task),
        E.TASK_COMPLETED,
        Task,
    ),
    Write(
        "task_assign",
        lambda s: task_assign(acting_user=s.worker, task=s.task, assigned_to=s.supervisor),
        E.TASK_ASSIGNED,
        Task,
    ),
    Write(
        "task_bulk_assign",
        lambda s: task_bulk_assign(
            acting_user=s.worker, task_ids=[s.task.pk], assigned_to=s.supervisor
        ),
        E.TASK_ASSIGNED,
        Task,
    ),
    Write(
        "task_bulk_complete",
        lambda s: task_bulk_complete(acting_user=s.worker, task_ids=[s.task.pk]),
        E.TASK_COMPLETED,
        Task,
    ),
    Write(
        "task_notices_dismiss",
        lambda s: task_notices_dismiss(acting_user=s.supervisor, task_ids=[s.handed.pk]),
        E.TASK_NOTICE_SEEN,
        Task,
        actor="supervisor",
    ),
    Write(
        "case_reassign",
        lambda s: case_reassign(
            acting_user=s.supervisor, benefit_unit=s.case, caseworker=s.supervisor
        ),
        E.CASE_REASSIGNED,
        BenefitUnit,
        actor="supervisor",
    ),
    Write(
        "case_transfer",
        lambda s: case_transfer(
            acting_user=s.supervisor,
            benefit_unit=s.case,
            to_partner=s.other_partner,
            kind=TransferKind.CLIENT_MOVED,
            reason="Moved to another city",
        ),
        E.CASE_TRANSFERRED,
        BenefitUnit,
        actor="supervisor",
    ),
    # ApiToken keeps no row history (accounts.models.ApiToken has no HistoricalRecords); the
    # audit event is its record.
    Write(
        "api_token_create",
        lambda s: api_token_create(acting_user=s.worker, user=s.worker, name="export"),
        E.API_TOKEN_CREATED,
        None,
    ),
    # Staff accounts are opened by invitation; a superuser (or the system) may still open one
    # directly, and partner administrators change accounts of their partner.
    Write(
        "staff_user_create",
        lambda s: staff_user_create(
            acting_user=s.prepared,
            username="direct.worker",
            password="Quiet-Harbour-Lantern-2026",
            role=Role.CASEWORKER,
            delivery_partner=s.partner,
        ),
        E.USER_CREATED,
        User,
        actor="prepared",
        prepare=lambda s: UserFactory(
            role="", delivery_partner=None, is_superuser=True, is_staff=True
        ),
    ),
    Write(
        "staff_user_update",
        lambda s: staff_user_update(
            acting_user=s.admin, user=s.worker, data={"first_name": "Renamed"}
        ),
        E.USER_UPDATED,
        User,
        actor="admin",
    ),
    Write(
        "staff_invite",
        lambda s: staff_invite(
            acting_user=s.admin,
            username="new.worker",
            email="new.worker@example.org",
            role=Role.CASEWORKER,
        ),
        E.STAFF_INVITED,
        StaffInvitation,
        actor="admin",
    ),
    Write(
        "staff_invitation_approve",
        lambda s: staff_invitation_approve(
            acting_user=s.admin,
            invitation=_awaiting_invitation(
                s, UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=s.partner)
            ),
        ),
        E.STAFF_INVITATION_APPROVED,
        StaffInvitation,
        actor="admin",
    ),
    Write(
        "staff_invitation_revoke",
        lambda s: staff_invitation_revoke(
            acting_user=s.admin, invitation=_awaiting_invitation(s, s.admin)
        ),
        E.STAFF_INVITATION_REVOKED,
        StaffInvitation,
        actor="admin",
    ),
    # One-time payments (issue 16): request, decision by a second person, partner limits.
    Write(
        "one_time_payment_request",
        lambda s: _one_time_request(s, s.prepared),
        E.ONE_TIME_PAYMENT_REQUESTED,
        OneTimePayment,
        prepare=_active_case,
    ),
    Write(
        "one_time_payment_decide",
        lambda s: one_time_payment_decide(
            acting_user=s.supervisor, payment=s.prepared, approve=True
        ),
        E.ONE_TIME_PAYMENT_DECIDED,
        OneTimePayment,
        actor="supervisor",
        prepare=lambda s: _one_time_request(s, _active_case(s)),
    ),
    Write(
        "one_time_batch_issue",
        lambda s: one_time_batch_issue(acting_user=s.supervisor, idempotency_key="audit-batch"),
        E.ONE_TIME_BATCH_ISSUED,
        OneTimePayment,
        actor="supervisor",
        prepare=_one_time_approved,
    ),
    Write(
        "one_time_batch_download_record",
        lambda s: one_time_batch_download_record(
            acting_user=s.supervisor, batch=s.prepared, kind="one_time_cheques", size=120
        ),
        E.PAYMENT_FILE_GENERATED,
        None,
        actor="supervisor",
        prepare=_one_time_batch,
    ),
    Write(
        "one_time_policy_set",
        lambda s: one_time_policy_set(
            acting_user=s.admin,
            approval_threshold_cents=20_000,
            discretionary_annual_limit_cents=80_000,
            employment_expenses_annual_limit_cents=25_300,
        ),
        E.ONE_TIME_POLICY_CHANGED,
        OneTimePolicy,
        actor="admin",
    ),
    # Health benefit authorizations (issue 16): request, decision, the vendor's invoice, cancel.
    Write(
        "health_authorization_request",
        lambda s: _health_request(s, s.prepared),
        E.HEALTH_AUTHORIZATION_REQUESTED,
        HealthAuthorization,
        prepare=_active_case,
    ),
    Write(
        "health_authorization_decide",
        lambda s: health_authorization_decide(
            acting_user=s.supervisor, authorization=s.prepared, approve=True
        ),
        E.HEALTH_AUTHORIZATION_DECIDED,
        HealthAuthorization,
        actor="supervisor",
        prepare=lambda s: _health_request(s, _active_case(s)),
    ),
    Write(
        "health_authorization_invoice_record",
        lambda s: health_authorization_invoice_record(
            acting_user=s.worker,
            authorization=s.prepared,
            invoice_number="INV-1",
            service_on=_today(),
            amount_cents=5_000,
        ),
        E.HEALTH_AUTHORIZATION_INVOICED,
        HealthAuthorizationInvoice,
        prepare=lambda s: health_authorization_decide(
            acting_user=s.supervisor,
            authorization=_health_request(s, _active_case(s)),
            approve=True,
        ),
    ),
    Write(
        "health_authorization_cancel",
        lambda s: health_authorization_cancel(
            acting_user=s.worker, authorization=s.prepared, reason="Not needed"
        ),
        E.HEALTH_AUTHORIZATION_CANCELLED,
        HealthAuthorization,
        prepare=lambda s: _health_request(s, _active_case(s)),
    ),
    # Clients online (issue 17): the staff side.
    Write(
        "message_reply",
        lambda s: message_reply(acting_user=s.worker, thread=s.prepared.thread, body="Got it"),
        E.MESSAGE_SENT,
        Message,
        prepare=_client_message,
    ),
    Write(
        "message_mark_read",
        lambda s: message_mark_read(acting_user=s.worker, thread=s.prepared.thread),
        E.MESSAGE_READ,
        Message,
        prepare=_client_message,
    ),
    Write(
        "reported_change_decide",
        lambda s: reported_change_decide(
            acting_user=s.worker,
            change=s.prepared,
            status="rejected",
            reason="No one moved in (home visit)",
        ),
        E.REPORTED_CHANGE_DECIDED,
        ReportedChange,
        prepare=_reported_change,
    ),
    Write(
        "client_upload_accept",
        lambda s: client_upload_accept(acting_user=s.worker, upload=s.prepared),
        E.VERIFICATION_UPDATED,
        ClientUpload,
        prepare=_client_upload,
    ),
    Write(
        "letters_print_for_mail",
        lambda s: letters_print_for_mail(acting_user=s.worker, document_ids=[s.prepared.pk]),
        E.LETTER_PRINTED,
        None,  # a Document keeps no row history: the audit event is its record
        prepare=_letter_to_post,
    ),
]

# The client realm's writes: one audit event with no staff actor and the client's person id.
CLIENT_WRITES = [
    ("message_send_from_client", _client_message, E.MESSAGE_SENT),
    ("reported_change_submit_from_client", _reported_change, E.REPORTED_CHANGE_SUBMITTED),
]


@pytest.mark.parametrize(
    ("name", "call", "event"), CLIENT_WRITES, ids=[w[0] for w in CLIENT_WRITES]
)
def test_client_write_leaves_one_audit_event_naming_the_person_and_a_history_row(
    scene: Scene, name: str, call: Callable[[Scene], Any], event: E
) -> None:
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    row = call(scene)
    new_events = AuditEvent.objects.exclude(pk__in=events_before)
    applicant = scene.case.members.get(role=MemberRole.APPLICANT).person
    assert [(e.event_type, e.acting_user_id, e.person_id) for e in new_events] == [
        (event, None, applicant.pk)
    ]
    assert new_events.get().extra_data["client_person_id"] == applicant.pk
    assert row.history.count() == 1


def test_client_upload_audits_the_document_and_the_upload_naming_the_person(
    scene: Scene,
) -> None:
    """The proof itself (documents) and its link to the checklist item (messaging)."""
    item = _pending_item(scene)
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    upload = _client_upload(scene, item)
    new_events = AuditEvent.objects.exclude(pk__in=events_before)
    assert sorted((e.event_type, e.acting_user_id, e.person_id) for e in new_events) == [
        (E.CLIENT_UPLOAD_RECEIVED, None, upload.uploaded_by_id),
        (E.DOCUMENT_UPLOADED, None, upload.uploaded_by_id),
    ]
    assert upload.history.count() == 1


def test_online_application_leaves_one_audit_event_without_a_staff_actor_and_a_history_row(
    db: Any,
) -> None:
    """The public realm's write (issue 17): nobody signed in, the Ministry intake unit's event."""
    ministry = DeliveryPartnerFactory(code=MINISTRY_CODE, kind=PartnerKind.MINISTRY)
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    inquiry = online_application_submit(
        answers=online_answers(), draft_key="audit-draft-0123456789", sender_address="192.0.2.1"
    )
    new_events = AuditEvent.objects.exclude(pk__in=events_before)
    assert [(e.event_type, e.acting_user_id, e.delivery_partner_id) for e in new_events] == [
        (E.INQUIRY_RECORDED, None, ministry.pk)
    ]
    assert inquiry.history.count() == 1


def _awaiting_invitation(s: Scene, inviter: Any) -> StaffInvitation:
    """An invitation waiting for its second approver, made without a service (no event)."""
    return StaffInvitation.objects.create(
        kind=StaffInvitation.Kind.NEW_ACCOUNT,
        status=StaffInvitation.Status.AWAITING_APPROVAL,
        delivery_partner=s.partner,
        role=Role.SUPERVISOR,
        username="awaiting.person",
        email="awaiting.person@example.org",
        invited_by=inviter,
    )


def _history_count(model: type[models.Model]) -> int:
    return model.history.count()  # type: ignore[attr-defined]  # simple-history manager


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_write_service_leaves_one_audit_event_and_a_history_row(scene: Scene, write: Write) -> None:
    if write.prepare is not None:
        scene.prepared = write.prepare(scene)
    actor = getattr(scene, write.actor)  # after `prepare`: it may make the actor
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    history_before = _history_count(write.history_of) if write.history_of else 0

    write.call(scene)

    new_events = AuditEvent.objects.exclude(pk__in=events_before)
    assert [(e.event_type, e.acting_user_id) for e in new_events] == [(write.event, actor.pk)]
    if write.history_of is not None:
        history = write.history_of.history.order_by("-history_id")  # type: ignore[attr-defined]
        assert history.count() > history_before
        assert history.first().history_user_id == actor.pk


def test_every_write_service_of_the_foundation_is_listed() -> None:
    """Adding a write service to these modules means adding it to WRITES."""
    listed = {w.name for w in WRITES}
    reads = {"client_file_access_record"}  # a log of reads, itself the record
    for module in (accounts_services, cases_services, clients_services, messaging_services):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            # A services package (accounts, cases) re-exports its modules' functions.
            own = function.__module__.split(".")[:3] == module.__name__.split(".")[:3]
            if not own or name.startswith("_"):
                continue
            if "acting_user" in inspect.signature(function).parameters and name not in reads:
                assert name in listed or name == "api_token_revoke", f"add {name} to WRITES"


# --- Every view of a client file is logged: every GET in the permission matrix that shows a
# --- record of a partner's client (pages and API). Not: the access log itself; lists of cases
# --- (like search results); pages that show only a case number.
NOT_A_FILE_VIEW = {
    "/api/clients/{person_id}/access-log",
    "/clients/{person_id}/access-log/",
    "/caseload/workers/{worker_id}/",  # a worker's caseload: a list, like search results
    "/caseload/cases/{benefit_unit_id}/transfer/",  # the transfer form: the case number only
    # A caller screened before registration: no client file yet (ClientFileAccess needs one).
    "/applications/inquiries/{inquiry_id}/",
    # Registering that caller: the form, pre-filled from the inquiry (no client file yet).
    "/applications/inquiries/{inquiry_id}/register/",
    # Lists and aggregates, not one client's file.
    "/payments/runs/{run_id}/",
    "/api/payments/runs/{run_id}",
    "/payments/runs/{run_id}/cpa005/",
    # A batch's bank file and cheque list: audited downloads (payment_file_generated); the
    # batch's page logs a read of each payee's file.
    "/payments/one-time/batches/{batch_id}/cpa005/",
    "/payments/one-time/batches/{batch_id}/cheques.csv",
    "/payments/runs/{run_id}/cheques.csv",
    "/payments/runs/{run_id}/reconciliation/",  # counts and totals only
    "/payments/runs/{run_id}/reconciliation.csv",
    # A run's cheques: one access record per payee (tests/security/test_access_logging.py).
    "/payments/runs/{run_id}/cheque-register/",
    "/api/payments/runs/{run_id}/cheque-register",
    "/employment/programs/{program_id}/",
    "/reporting/partners/{partner_id}/",
    "/reporting/partners/{partner_id}/export.{fmt}",
    "/surveys/answers/{response_id}/",  # a partner's survey answers: no client data
}
FILE_VIEWS = [
    u for u in URLS if u.method == "GET" and u.scope == "partner" and u.path not in NOT_A_FILE_VIEW
]


@pytest.mark.parametrize("url", FILE_VIEWS, ids=lambda u: u.path)
def test_client_file_view_writes_a_client_file_access(url: Any) -> None:
    world: World = _build_world()
    # The first role (of partner A) allowed to open the page.
    role = next(r for r in ROLE_COLUMNS if url.allowed(RIGHTS[r]))
    viewer = _make_actor(Actor("own", role), world)
    client = Client()
    client.force_login(viewer)
    if url.setup is not None:
        url.setup(world)
    response = client.get(url.path.format(**world.ids(url.path, viewer, "own")))
    assert response.status_code == 200
    access = ClientFileAccess.objects.get(user=viewer)
    assert access.person.delivery_partner_id in (world.partner.pk, world.other_partner.pk)
    assert access.channel == ("api" if url.is_api else "web")


def test_client_file_view_refused_to_other_partner_writes_no_access(
    partner: Any, other_caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client = Client()
    client.force_login(other_caseworker)
    assert client.get(f"/api/clients/{person.pk}").status_code == 404
    assert client.get(f"/clients/{person.pk}/").status_code == 404
    assert not ClientFileAccess.objects.exists()


# --- A refused status change: a clear message, and nothing changes.
def test_case_status_change_refuses_invalid_transition_with_message_and_leaves_no_trace(
    scene: Scene,
) -> None:
    case = scene.case
    events, history = AuditEvent.objects.count(), case.history.count()
    changes = CaseStatusChange.objects.count()
    with pytest.raises(ApplicationError) as excinfo:
        case_status_change(
            acting_user=scene.worker,
            benefit_unit=case,
            to_status=CaseStatus.CLOSED,
            reason="Testing",
        )
    assert excinfo.value.field == "status"
    assert excinfo.value.code == "invalid_transition"
    assert excinfo.value.message == (
        "A case that is “Application in progress” cannot become “Closed”. "
        "Allowed: Active, Denied, Withdrawn."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert (AuditEvent.objects.count(), case.history.count()) == (events, history)
    assert CaseStatusChange.objects.count() == changes


def test_case_status_change_over_api_refuses_invalid_transition_and_leaves_no_trace(
    scene: Scene,
) -> None:
    case = scene.case
    events, history, version = AuditEvent.objects.count(), case.history.count(), case.version
    client = Client()
    client.force_login(scene.worker)
    response = client.post(
        f"/api/cases/{case.pk}/status",
        {"to_status": "closed", "reason": "x", "expected_version": version},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "status",
            "message": "A case that is “Application in progress” cannot become “Closed”. "
            "Allowed: Active, Denied, Withdrawn.",
            "code": "invalid_transition",
        }
    ]
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.PENDING, version)
    assert (AuditEvent.objects.count(), case.history.count()) == (events, history)


# --- Who looked at this file?
def test_auditor_lists_who_viewed_a_client_over_api_and_page(
    partner: Any, users: dict[str, Any]
) -> None:
    person = PersonFactory(delivery_partner=partner)
    looker = UserFactory(
        role=Role.CASEWORKER, delivery_partner=partner, first_name="Noor", last_name="Haddad"
    )
    client = Client()
    client.force_login(looker)
    client.get(f"/api/clients/{person.pk}")
    client.get(f"/clients/{person.pk}/")
    auditor = Client()
    auditor.force_login(users[Role.AUDITOR])

    api_rows = auditor.get(f"/api/clients/{person.pk}/access-log").json()
    assert sorted((r["username"], r["channel"]) for r in api_rows) == [
        (looker.username, "api"),
        (looker.username, "web"),
    ]
    page = auditor.get(f"/clients/{person.pk}/access-log/")
    assert page.status_code == 200
    assert "Noor Haddad" in page.content.decode() or looker.username in page.content.decode()

    provincial = Client()
    provincial.force_login(users[f"provincial_{Role.AUDITOR}"])
    assert provincial.get(f"/api/clients/{person.pk}/access-log").status_code == 200
    other_auditor = UserFactory(
        role=Role.AUDITOR, delivery_partner=DeliveryPartnerFactory(code="elsewhere")
    )
    elsewhere = Client()
    elsewhere.force_login(other_auditor)
    assert elsewhere.get(f"/api/clients/{person.pk}/access-log").status_code == 404
