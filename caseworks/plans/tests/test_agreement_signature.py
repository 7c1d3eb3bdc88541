"""The printable participation agreement and its signature on paper or on screen."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.documents.storage import document_content_read
from caseworks.plans.constants import GoalCategory
from caseworks.plans.models import ParticipationAgreement
from caseworks.plans.services import (
    participation_agreement_create,
    participation_agreement_sign,
    plan_goal_add,
)
from caseworks.plans.tests.factories import applicant_of

pytestmark = pytest.mark.django_db

# A 1×1 PNG, as a signature pad would send (much larger in practice).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _draft(partner: Any, caseworker: Any, **person: Any) -> ParticipationAgreement:
    case = make_case(partner=partner, caseworker=caseworker, **person)
    agreement = participation_agreement_create(
        acting_user=caseworker,
        benefit_unit=case,
        person=applicant_of(case),
        start_on=timezone.localdate() - dt.timedelta(days=1),
    )
    plan_goal_add(
        acting_user=caseworker,
        agreement=agreement,
        category=GoalCategory.EMPLOYMENT,
        description="Find work in retail",
    )
    return agreement


def _text(pdf: bytes) -> str:
    return " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)


def test_sign_on_paper_records_the_date_and_keeps_no_document(
    partner: Any, caseworker: Any
) -> None:
    agreement = _draft(partner, caseworker)
    on = timezone.localdate() - dt.timedelta(days=1)
    signed = participation_agreement_sign(
        acting_user=caseworker, agreement=agreement, signed_on=on, signed_by="Ana Roy"
    )
    assert (signed.status, signed.signature_method, signed.signed_on) == ("active", "paper", on)
    assert signed.signed_document_id is None
    event = AuditEvent.objects.get(event_type="participation_agreement_signed")
    assert event.extra_data["method"] == "paper"


def test_sign_on_screen_with_typed_name_stores_the_signed_agreement_in_the_clients_language(
    partner: Any, caseworker: Any
) -> None:
    agreement = _draft(partner, caseworker, first_name="Léa", language_preference="fr")
    signed = participation_agreement_sign(
        acting_user=caseworker,
        agreement=agreement,
        signed_on=dt.date(2020, 1, 1),  # ignored: signed now, on screen
        signed_by="Léa Roy",
        method="screen",
        confirmed=True,
    )
    assert signed.signature_method == "screen"
    assert signed.signed_on == timezone.localdate()
    document = Document.objects.get(pk=signed.signed_document_id)
    assert document.language == "fr"
    text = _text(document_content_read(document))
    assert "Entente de participation" in text
    assert "Signée à l'écran par Léa Roy" in text
    event = AuditEvent.objects.get(event_type="participation_agreement_signed")
    assert event.extra_data["signed_document_id"] == document.pk
    assert event.extra_data["drawn"] is False


def test_sign_on_screen_refused_without_confirmation_and_leaves_a_draft(
    partner: Any, caseworker: Any
) -> None:
    agreement = _draft(partner, caseworker)
    with pytest.raises(ApplicationError) as err:
        participation_agreement_sign(
            acting_user=caseworker,
            agreement=agreement,
            signed_on=timezone.localdate(),
            signed_by="Ana Roy",
            method="screen",
            confirmed=False,
            signature_png=PNG,
        )
    assert err.value.field == "confirmed"
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    assert not Document.objects.exists()


def test_sign_on_screen_refuses_a_drawing_that_is_not_a_png(partner: Any, caseworker: Any) -> None:
    agreement = _draft(partner, caseworker)
    with pytest.raises(ApplicationError) as err:
        participation_agreement_sign(
            acting_user=caseworker,
            agreement=agreement,
            signed_on=timezone.localdate(),
            signed_by="Ana Roy",
            method="screen",
            confirmed=True,
            signature_png=b"%PDF-1.4 not a drawing",
        )
    assert err.value.field == "signature"


def test_sign_on_screen_with_a_drawing_embeds_it(partner: Any, caseworker: Any) -> None:
    agreement = _draft(partner, caseworker)
    signed = participation_agreement_sign(
        acting_user=caseworker,
        agreement=agreement,
        signed_on=timezone.localdate(),
        signed_by="Ana Roy",
        method="screen",
        confirmed=True,
        signature_png=PNG,
    )
    pdf = document_content_read(Document.objects.get(pk=signed.signed_document_id))
    reader = PdfReader(io.BytesIO(pdf))
    assert any(page.images for page in reader.pages)  # the drawn signature is in the PDF
    assert AuditEvent.objects.get(event_type="participation_agreement_signed").extra_data["drawn"]


@pytest.mark.parametrize(
    ("asked", "title", "line"),
    [
        ("en", "Participation agreement", "Participant's signature"),
        ("fr", "Entente de participation", "Signature de la personne participante"),
    ],
)
def test_agreement_pdf_prints_a_signature_line_in_the_language_asked_and_logs_the_read(
    partner: Any, caseworker: Any, asked: str, title: str, line: str
) -> None:
    agreement = _draft(partner, caseworker)
    client = Client()
    client.force_login(caseworker)
    response = client.get(reverse("plans:agreement_pdf", args=[agreement.pk]) + f"?lang={asked}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert title in text
    assert line in text
    assert "Find work in retail" in text
    assert ClientFileAccess.objects.filter(view_name="plans:agreement_pdf").exists()


def test_sign_page_without_date_on_paper_names_the_field_in_french(
    partner: Any, caseworker: Any
) -> None:
    agreement = _draft(partner, caseworker)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(caseworker)
    response = client.post(
        reverse("plans:sign", args=[agreement.pk]),
        {"sign-method": "paper", "sign-signed_by": "Ana Roy", "sign-signed_on": ""},
    )
    page = response.content.decode()
    assert "Signée sur papier le : indiquez la date de la signature." in page
    agreement.refresh_from_db()
    assert agreement.status == "draft"
