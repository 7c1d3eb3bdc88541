"""manage.py purge_closed_files: personal data and documents of closed files past retention
go; the case, the money, the audit trail and the access log stay; legal holds are respected;
the purge is idempotent and resumable."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models

from caseworks.applications.models import Application, Asset, IncomeSource, VerificationItem
from caseworks.applications.services import application_start
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit, CaseNote, CaseStatusChange
from caseworks.cases.services import benefit_unit_create, case_note_create, case_status_change
from caseworks.clients.models import Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload
from caseworks.documents.tests.s3 import bucket_keys, moto_endpoint, s3_bucket
from caseworks.payments.models import BankAccount
from caseworks.payments.tests.builders import active_case, payment_staff
from caseworks.records import services as records_services
from caseworks.records.models import PurgedFile
from caseworks.records.services import (
    KEPT_TEXT_FIELDS,
    PERSON_VALUES,
    REDACTIONS,
    REMOVED_AUDIT_DATA,
    legal_hold_lift,
    legal_hold_place,
)

__all__ = ["moto_endpoint", "s3_bucket"]  # fixtures

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AS_OF = dt.date(2026, 12, 1)
CLOSED_LONG_AGO = dt.date(2018, 6, 30)  # more than 7 years before AS_OF
CLOSED_RECENTLY = dt.date(2024, 6, 30)


@pytest.fixture
def staff(partner: Any) -> dict[str, Any]:
    return payment_staff(partner)


def _closed_case(
    *, partner: Any, actor: Any, closed_on: dt.date, first_name: str = "Nadia"
) -> BenefitUnit:
    case = active_case(
        partner=partner,
        actor=actor,
        first_name=first_name,
        last_name="Roy",
        born=dt.date(1984, 9, 23),
        bank=("001", "12345", "9876543"),
        opened_on=dt.date(2016, 1, 1),
    )
    Person.objects.filter(memberships__benefit_unit=case).update(
        sin="046454286", sin_last3="286", phone="416-555-0199", email="nadia@example.org"
    )
    case_note_create(acting_user=actor, benefit_unit=case, body="Nadia said her landlord ...")
    document_upload(
        acting_user=actor, benefit_unit=case, title="Lease of Nadia", filename="n.pdf", content=PDF
    )
    case = case_status_change(
        acting_user=actor,
        benefit_unit=case,
        to_status=CaseStatus.CLOSED,
        reason="Moved to Montréal with her sister",
        effective_on=closed_on,
    )
    BenefitUnit.objects.filter(pk=case.pk).update(status_changed_on=closed_on, closed_on=closed_on)
    case.refresh_from_db()
    return case


def _purge(*args: str) -> str:
    out = io.StringIO()
    call_command(
        "purge_closed_files",
        "--as-of",
        AS_OF.isoformat(),
        "--retention-years",
        "7",
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_purge_removes_personal_data_and_keeps_case_money_and_audit(
    partner: Any, staff: dict[str, Any]
) -> None:
    case = _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    person = Person.objects.get(memberships__benefit_unit=case)
    assert person.history.exists()
    statuses_before = CaseStatusChange.objects.filter(benefit_unit=case).count()

    output = _purge()

    assert "1 to purge" in output
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.sin, person.sin_last3) == ("", "—", "", "")
    assert (person.phone, person.email, person.address_line) == ("", "", "")
    assert person.date_of_birth == dt.date(1984, 1, 1)  # the year stays
    assert not person.history.exists()  # old values in the row history are gone too
    assert CaseNote.objects.get(benefit_unit=case).body == ""
    assert not CaseNote.history.filter(benefit_unit_id=case.pk).exists()
    document = Document.objects.get(benefit_unit=case)
    assert (bytes(document.content), document.title, document.original_name) == (b"", "", "")
    assert document.content_removed_at is not None
    assert document.sha256  # what existed can still be proven
    bank = BankAccount.objects.get(benefit_unit=case)
    assert (bank.holder_name, bank.transit, bank.account) == ("", "00000", "0000000")
    # The case, its statuses and its audit trail stay; the old values in the trail go.
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert CaseStatusChange.objects.filter(benefit_unit=case).count() == statuses_before
    assert set(
        CaseStatusChange.objects.filter(benefit_unit=case).values_list("reason", flat=True)
    ) == {""}
    events = AuditEvent.objects.filter(benefit_unit_id=case.pk)
    assert events.filter(event_type=AuditEventType.CASE_NOTE_CREATED).exists()
    purge_event = events.get(event_type=AuditEventType.CLOSED_FILE_PURGED)
    assert purge_event.extra_data["retention_years"] == 7
    assert purge_event.extra_data["counts"]["clients.person:anonymised"] == 1
    others = events.exclude(event_type=AuditEventType.CLOSED_FILE_PURGED)
    assert {tuple(e.extra_data.items()) for e in others} == {tuple(REMOVED_AUDIT_DATA.items())}
    purged = PurgedFile.objects.get(benefit_unit=case)
    assert (purged.closed_on, purged.as_of) == (CLOSED_LONG_AGO, AS_OF)
    # Nothing personal is left in the rows the purge touched.
    assert "Nadia" not in str(purge_event.extra_data)


def test_purge_is_idempotent(partner: Any, staff: dict[str, Any]) -> None:
    _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    assert "Purged 1 files" in _purge()
    assert "0 to purge" in _purge()
    assert AuditEvent.objects.filter(event_type=AuditEventType.CLOSED_FILE_PURGED).count() == 1


def test_recent_and_open_files_are_untouched_and_dry_run_changes_nothing(
    partner: Any, staff: dict[str, Any]
) -> None:
    old = _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    _closed_case(
        partner=partner, actor=staff["caseworker"], closed_on=CLOSED_RECENTLY, first_name="Rita"
    )
    active_case(partner=partner, actor=staff["caseworker"], first_name="Omar", last_name="Ali")
    output = _purge("--dry-run")
    assert f"would purge case {old.case_number}" in output
    assert "Dry run: nothing changed." in output
    assert not PurgedFile.objects.exists()
    assert Person.objects.filter(first_name="Nadia").exists()
    _purge()
    assert list(PurgedFile.objects.values_list("benefit_unit_id", flat=True)) == [old.pk]
    assert Person.objects.filter(first_name="Rita").exists()
    assert Person.objects.filter(first_name="Omar").exists()


def test_person_back_on_a_newer_case_keeps_personal_data(
    partner: Any, staff: dict[str, Any]
) -> None:
    actor = staff["caseworker"]
    old = _closed_case(partner=partner, actor=actor, closed_on=CLOSED_LONG_AGO)
    person = Person.objects.get(memberships__benefit_unit=old)
    benefit_unit_create(acting_user=actor, applicant=person, caseworker=actor)
    _purge()
    assert PurgedFile.objects.filter(benefit_unit=old).exists()
    person.refresh_from_db()
    assert person.first_name == "Nadia"
    assert CaseNote.objects.get(benefit_unit=old).body == ""  # the old file's own data still go


def test_legal_hold_keeps_a_file_until_it_is_lifted(
    partner: Any, staff: dict[str, Any], users: dict[str, Any]
) -> None:
    case = _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    supervisor = staff["supervisor"]
    hold = legal_hold_place(acting_user=supervisor, benefit_unit=case, reason="Appeal SBT-123")
    output = _purge()
    assert "0 to purge, 1 under a legal hold" in output
    assert not PurgedFile.objects.exists()
    legal_hold_lift(acting_user=users["partner_admin"], hold=hold, reason="Appeal decided")
    assert "Purged 1 files" in _purge()


def test_a_hold_placed_after_selection_is_still_respected(
    partner: Any, staff: dict[str, Any]
) -> None:
    case = _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    legal_hold_place(acting_user=staff["supervisor"], benefit_unit=case, reason="Claim")
    result = records_services.closed_files_purge_batch(
        benefit_unit_ids=[case.pk], as_of=AS_OF, retention_years=7
    )
    assert (result.purged, result.held) == ([], [case.pk])


def test_purge_resumes_after_a_failed_batch(
    partner: Any, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    second = _closed_case(
        partner=partner,
        actor=staff["caseworker"],
        closed_on=CLOSED_LONG_AGO + dt.timedelta(days=1),
        first_name="Rita",
    )
    real = records_services._purge_one

    def crash_on_second(case: BenefitUnit, **kwargs: Any) -> Any:
        if case.pk == second.pk:
            raise RuntimeError("power cut")
        return real(case, **kwargs)

    monkeypatch.setattr(records_services, "_purge_one", crash_on_second)
    with pytest.raises(RuntimeError):
        _purge("--batch-size", "1")
    # The first batch committed; the second rolled back whole.
    assert list(PurgedFile.objects.values_list("benefit_unit_id", flat=True)) == [first.pk]
    assert Person.objects.filter(first_name="Rita").exists()
    monkeypatch.setattr(records_services, "_purge_one", real)
    assert "Purged 1 files" in _purge("--batch-size", "1")
    assert PurgedFile.objects.count() == 2


def test_documents_in_object_storage_are_deleted_from_the_bucket(
    s3_bucket: Any, partner: Any, staff: dict[str, Any]
) -> None:
    case = _closed_case(partner=partner, actor=staff["caseworker"], closed_on=CLOSED_LONG_AGO)
    document = Document.objects.get(benefit_unit=case)
    assert bucket_keys(s3_bucket) == [document.storage_key]
    _purge()
    assert bucket_keys(s3_bucket) == []
    document.refresh_from_db()
    assert (document.storage_key, document.content_removed_at is not None) == ("", True)


def test_command_refuses_without_a_retention_period(settings: Any) -> None:
    settings.RECORDS_CLOSED_FILE_RETENTION_YEARS = None
    with pytest.raises(CommandError, match="by-law"):
        call_command("purge_closed_files", "--dry-run")


def _linked_text_fields() -> set[str]:
    """Every text or JSON field of a model that belongs to a case or a person."""
    # An application belongs to its case: what hangs off it is the case's data too.
    person_or_case = {"clients.person", "cases.benefitunit", "applications.application"}
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("caseworks") or model.__name__.startswith("Historical"):
            continue
        links = {
            f.related_model._meta.label_lower
            for f in model._meta.fields
            if f.is_relation and f.related_model is not None
        }
        if not links & person_or_case and model._meta.label_lower not in person_or_case:
            continue
        for field in model._meta.fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and not (
                field.choices
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_text_field_of_a_client_file_is_removed_or_kept_on_purpose() -> None:
    redacted = {f"{r.model}.{name}" for r in REDACTIONS for name in r.values}
    redacted |= {f"clients.Person.{name}" for name in PERSON_VALUES}
    kept_models = {key[:-2] for key in KEPT_TEXT_FIELDS if key.endswith(".*")}
    # Codes and references that carry no personal data.
    structural = {"kind", "status", "rules_version", "sha256", "content_type", "storage"}
    unclassified = {
        name
        for name in _linked_text_fields() - redacted - set(KEPT_TEXT_FIELDS)
        if name.rsplit(".", 1)[0] not in kept_models and name.rsplit(".", 1)[1] not in structural
    }
    assert not unclassified, (
        "Add these to REDACTIONS or KEPT_TEXT_FIELDS in caseworks/records/services.py: "
        + ", ".join(sorted(unclassified))
    )
    for name in redacted:
        label, field = name.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(field)  # raises if a listed field is gone


def test_a_withdrawn_applications_own_data_go_too(partner: Any, staff: dict[str, Any]) -> None:
    actor = staff["caseworker"]
    person = PersonFactory(delivery_partner=partner, first_name="Lea")
    application = application_start(acting_user=actor, applicant=person)
    Application.objects.filter(pk=application.pk).update(
        address_line="12 Rue Principale", postal_code="K1A0B1"
    )
    Asset.objects.create(
        application=application, asset_type="other", value_cents=100, description="Lea's car"
    )
    IncomeSource.objects.create(
        application=application,
        person=person,
        income_type="employment",
        monthly_amount_cents=1000,
        description="Lea's job at the bakery",
    )
    VerificationItem.objects.filter(application=application).update(waived_reason="Lea's fire")
    case_status_change(
        acting_user=actor,
        benefit_unit=application.benefit_unit,
        to_status=CaseStatus.WITHDRAWN,
        reason="Lea withdrew",
    )
    BenefitUnit.objects.filter(pk=application.benefit_unit_id).update(
        status_changed_on=CLOSED_LONG_AGO
    )
    _purge()
    application.refresh_from_db()
    assert (application.address_line, application.postal_code) == ("", "")
    assert list(Asset.objects.values_list("description", flat=True)) == [""]
    assert list(IncomeSource.objects.values_list("description", flat=True)) == [""]
    assert set(VerificationItem.objects.values_list("waived_reason", flat=True)) == {""}
    assert not Asset.history.filter(application_id=application.pk).exclude(description="").exists()
