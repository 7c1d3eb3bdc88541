"""The client's pages to report a change (a move, a housing cost, someone moving in or out) and
to send the documents the verification checklist asks for (issue 17)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseworks.applications.constants import VerificationStatus
from caseworks.applications.models import VerificationItem
from caseworks.clients.models import ClientFileAccess
from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.messaging.constants import ReportedChangeStatus
from caseworks.messaging.models import ClientUpload, ReportedChange
from caseworks.messaging.services import client_upload_accept, reported_change_decide
from caseworks.payments.models import CircumstancesChange

from .conftest import World, make_checklist, portal_login

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _key() -> str:
    return str(uuid.uuid4())


def _french(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


# --- Report a change --------------------------------------------------------------------------


def test_a_rent_change_is_pending_until_the_caseworker_decides_and_the_list_shows_why(
    world: World,
) -> None:
    client = portal_login(Client(), world.account.user)
    home = client.get("/my/").content.decode()
    assert 'href="/my/changes/"' in home  # "Report a change" from the home page
    form = client.get("/my/changes/shelter-cost/")
    assert form.status_code == 200
    assert "New rent or housing cost each month" in form.content.decode()
    circumstances_before = CircumstancesChange.objects.filter(benefit_unit=world.case).count()

    response = client.post(
        "/my/changes/shelter-cost/",
        {"idempotency_key": _key(), "changed_on": "2026-03-01", "shelter_cost": "1,150.00"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/my/changes/"
    change = ReportedChange.objects.get(benefit_unit=world.case)
    assert (change.kind, change.shelter_cost_cents, change.changed_on, change.status) == (
        "shelter_cost",
        115_000,
        dt.date(2026, 3, 1),
        ReportedChangeStatus.PENDING,
    )
    assert change.reported_by == world.account.person
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.REPORTED_CHANGE_SUBMITTED, person_id=world.account.person.pk
    ).exists()
    # Nothing the payment is calculated from changes before the caseworker verifies it.
    assert (
        CircumstancesChange.objects.filter(benefit_unit=world.case).count() == circumstances_before
    )
    listing = client.get("/my/changes/").content.decode()
    assert "New rent or housing cost" in listing
    assert "$1,150.00" in listing
    assert "Waiting for your caseworker to check it" in listing
    assert ClientFileAccess.objects.filter(
        view_name="portal:changes", person=world.account.person, channel="portal"
    ).exists()

    reported_change_decide(
        acting_user=world.staff["caseworker"],
        change=change,
        status=ReportedChangeStatus.REJECTED,
        reason="The lease you sent is not signed.",
    )
    french = _french(client).get("/my/changes/").content.decode()
    assert "Non accepté" in french
    assert "1\u00a0150,00\u00a0$" in french
    assert "The lease you sent is not signed." in french  # the caseworker's reason, as written
    assert "Déclarer un changement" in french


def test_a_move_form_names_every_missing_field_at_once_in_french_and_saves_nothing(
    world: World,
) -> None:
    client = _french(portal_login(Client(), world.account.user))
    response = client.post("/my/changes/address/", {"idempotency_key": _key()})
    assert response.status_code == 400
    page = response.content.decode()
    for label in ("Date du changement", "Nouvelle adresse", "Ville ou village", "Code postal"):
        assert f"{label} : " in page, label  # each error names its field
    assert page.count('aria-invalid="true"') == 4
    assert not ReportedChange.objects.exists()


def test_a_move_in_french_with_a_french_amount_and_a_bad_postal_code(world: World) -> None:
    client = _french(portal_login(Client(), world.account.user))
    refused = client.post(
        "/my/changes/address/",
        {
            "idempotency_key": _key(),
            "changed_on": "2026-02-28",
            "address_line": "12 rue Principale",
            "city": "Sudbury",
            "postal_code": "123",
            "shelter_cost": "1 234,5O",
        },
    )
    assert refused.status_code == 400
    assert refused.content.decode().count('aria-invalid="true"') == 2  # postal code and amount
    assert not ReportedChange.objects.exists()
    sent = client.post(
        "/my/changes/address/",
        {
            "idempotency_key": _key(),
            "changed_on": "2026-02-28",
            "address_line": "12 rue Principale",
            "city": "Sudbury",
            "postal_code": "p3e 1a1",
            "shelter_cost": "1 234,50",
        },
    )
    assert sent.status_code == 302
    change = ReportedChange.objects.get()
    assert (change.kind, change.postal_code, change.shelter_cost_cents) == (
        "address",
        "P3E 1A1",
        123_450,
    )


def test_a_change_too_far_ahead_is_refused_by_the_rule_naming_the_date(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    response = client.post(
        "/my/changes/household/",
        {"idempotency_key": _key(), "changed_on": "2026-12-31", "details": "My son moves in."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 90 days from today" in page
    assert 'id="id_changed_on" aria-describedby' in page or 'aria-invalid="true"' in page
    assert not ReportedChange.objects.exists()
    ok = client.post(
        "/my/changes/household/",
        {"idempotency_key": _key(), "changed_on": "2026-02-01", "details": "My son moved in."},
    )
    assert ok.status_code == 302
    assert ReportedChange.objects.get().details == "My son moved in."


# --- Documents we need ------------------------------------------------------------------------


def test_documents_are_listed_item_by_item_and_a_photo_is_sent_against_one(world: World) -> None:
    application = make_checklist(world.case)
    identity, shelter = sorted(application.verifications.all(), key=lambda i: i.kind)
    client = portal_login(Client(), world.account.user)
    home = client.get("/my/").content.decode()
    assert "Send the 2 missing documents" in home
    assert 'href="/my/documents/"' in home

    page = client.get("/my/documents/").content.decode()
    assert page.count("Still needed") == 2
    assert 'accept="image/*,application/pdf"' in page
    assert 'capture="environment"' in page
    assert f'id="id_item{identity.pk}-file"' in page  # one form per item, unique ids

    response = client.post(
        f"/my/documents/{shelter.pk}/",
        {
            "idempotency_key": _key(),
            f"item{shelter.pk}-file": SimpleUploadedFile("lease.png", PNG, "image/png"),
        },
    )
    assert response.status_code == 302
    upload = ClientUpload.objects.get()
    assert (upload.item, upload.uploaded_by) == (shelter, world.account.person)
    shelter.refresh_from_db()
    assert shelter.status == VerificationStatus.PENDING  # until the caseworker accepts it
    page = client.get("/my/documents/").content.decode()
    assert "Received: your caseworker checks it" in page
    assert page.count("Still needed") == 1
    assert ClientFileAccess.objects.filter(
        view_name="portal:documents", person=world.account.person
    ).exists()

    client_upload_accept(acting_user=world.staff["caseworker"], upload=upload)
    french = _french(client).get("/my/documents/").content.decode()
    assert "Accepté" in french
    assert "Documents demandés" in french
    assert french.count("Encore nécessaire") == 1
    # An accepted item has no upload form any more.
    assert f"/my/documents/{shelter.pk}/" not in french


def test_an_upload_without_a_file_or_of_a_wrong_kind_names_the_field(world: World) -> None:
    item = make_checklist(world.case, kinds=("identity",)).verifications.get()
    client = _french(portal_login(Client(), world.account.user))
    empty = client.post(f"/my/documents/{item.pk}/", {"idempotency_key": _key()})
    assert empty.status_code == 400
    assert "Photo ou PDF du document : choisissez un fichier." in empty.content.decode()
    wrong = client.post(
        f"/my/documents/{item.pk}/",
        {
            "idempotency_key": _key(),
            f"item{item.pk}-file": SimpleUploadedFile("notes.txt", b"just text", "text/plain"),
        },
    )
    assert wrong.status_code == 400
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert not ClientUpload.objects.exists()


def test_another_cases_checklist_item_is_not_found(world: World) -> None:
    item = make_checklist(world.other_case, kinds=("identity",)).verifications.get()
    client = portal_login(Client(), world.account.user)
    response = client.post(
        f"/my/documents/{item.pk}/",
        {
            "idempotency_key": _key(),
            f"item{item.pk}-file": SimpleUploadedFile("id.png", PNG, "image/png"),
        },
    )
    assert response.status_code == 404
    assert not ClientUpload.objects.exists()
    assert VerificationItem.objects.get(pk=item.pk).status == VerificationStatus.PENDING
