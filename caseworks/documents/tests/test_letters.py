"""Letters to post: the queue (the copy in the client's language, not yet printed, own office
only) and printing several as one PDF, marked posted once (a replay marks nothing twice)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from pypdf import PdfReader, PdfWriter

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import BenefitUnit
from caseworks.cases.tests.factories import make_case
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.documents.selectors import letters_to_mail_for_user
from caseworks.documents.services import letters_print_for_mail, notice_store

pytestmark = pytest.mark.django_db


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _notice(case: BenefitUnit, actor: Any, *, language: str, pages: int = 1) -> Document:
    """A letter on the case addressed to its applicant (as eligibility and payments store them)."""
    person = case.members.get().person
    with transaction.atomic():
        return notice_store(
            acting_user=actor,
            benefit_unit=case,
            person=person,
            title=f"Notice {language} {case.case_number}",
            pdf=_pdf(pages),
            language=language,
        )


def test_letters_to_mail_lists_the_copy_in_the_clients_language_of_own_office_not_yet_printed(
    partner: Any, other_partner: Any, caseworker: Any
) -> None:
    french = make_case(partner=partner, caseworker=caseworker, language_preference="fr")
    english = make_case(partner=partner, caseworker=caseworker, language_preference="en")
    for case in (french, english):
        _notice(case, caseworker, language="en")
        _notice(case, caseworker, language="fr")
    elsewhere_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
    elsewhere = make_case(partner=other_partner, caseworker=elsewhere_worker)
    _notice(elsewhere, elsewhere_worker, language="en")
    # A letter the client made in the portal (a proof of assistance) is not one to post.
    with transaction.atomic():
        notice_store(
            acting_user=caseworker,
            benefit_unit=english,
            person=english.members.get().person,
            title="Proof of assistance",
            pdf=_pdf(1),
            language="en",
            delivered_online=True,
        )

    letters, total = letters_to_mail_for_user(user=caseworker)

    assert sorted((d.benefit_unit_id, d.language) for d in letters) == sorted(
        [(french.pk, "fr"), (english.pk, "en")]
    )
    assert total == 2
    letters_print_for_mail(acting_user=caseworker, document_ids=[letters[0].pk])
    assert [d.pk for d in letters_to_mail_for_user(user=caseworker)[0]] == [letters[1].pk]


def test_letters_print_for_mail_makes_one_pdf_and_marks_each_posted_once_when_replayed(
    partner: Any, caseworker: Any
) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    first = _notice(make_case(partner=partner, caseworker=caseworker), caseworker, language="en")
    second = _notice(
        make_case(partner=partner, caseworker=caseworker), caseworker, language="en", pages=2
    )

    batch = letters_print_for_mail(acting_user=supervisor, document_ids=[second.pk, first.pk])

    assert len(PdfReader(io.BytesIO(batch.pdf)).pages) == 3
    assert [d.pk for d in batch.letters] == [first.pk, second.pk]  # oldest first
    assert batch.first_printings == 2
    first.refresh_from_db()
    assert (first.sent_by_id, first.sent_method) == (supervisor.pk, "post")
    printed_at = first.sent_at
    assert printed_at is not None
    events = AuditEvent.objects.filter(event_type="letter_printed")
    assert sorted(e.subject_id for e in events) == sorted([str(first.pk), str(second.pk)])
    assert all(e.extra_data["first_printing"] for e in events)

    # The same request again (a double click, the Back button): the same PDF, nothing re-marked.
    replay = letters_print_for_mail(acting_user=caseworker, document_ids=[first.pk, second.pk])
    assert len(PdfReader(io.BytesIO(replay.pdf)).pages) == 3
    assert replay.first_printings == 0
    first.refresh_from_db()
    assert (first.sent_at, first.sent_by_id) == (printed_at, supervisor.pk)
    reprints = AuditEvent.objects.filter(event_type="letter_printed", acting_user=caseworker)
    assert [e.extra_data["first_printing"] for e in reprints] == [False, False]


@pytest.mark.parametrize("what", ["none", "other_partner", "upload"])
def test_letters_print_for_mail_refuses_and_changes_nothing_when_a_choice_is_not_a_letter(
    partner: Any, other_partner: Any, caseworker: Any, what: str
) -> None:
    mine = _notice(make_case(partner=partner, caseworker=caseworker), caseworker, language="en")
    ids = []
    if what == "other_partner":
        worker = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
        theirs = _notice(make_case(partner=other_partner, caseworker=worker), worker, language="en")
        ids = [mine.pk, theirs.pk]
    elif what == "upload":
        upload = Document.objects.filter(pk=mine.pk).values_list("pk", flat=True).get()
        Document.objects.filter(pk=upload).update(kind="upload")
        ids = [upload]

    with pytest.raises(ApplicationError) as refused:
        letters_print_for_mail(acting_user=caseworker, document_ids=ids)

    assert refused.value.field == "letters"
    assert refused.value.message.startswith("Letters:")
    assert not Document.objects.filter(sent_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(event_type="letter_printed").exists()
