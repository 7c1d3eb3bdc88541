"""Issue 15, supervisors' bulk actions in the browser (English and French): the office's letters
to post, chosen with select-all and printed as one PDF, each marked posted once. axe scans each
page; the submits are the step budget (docs/step-budgets.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.tests.factories import make_case
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.documents.services import notice_store

from .conftest import StaffDesk, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": {
        "heading": "Letters to post",
        "count": "3 letters wait to be printed",
        "select_all": "Select all letters shown",
        "refused": "Letters: choose at least one letter to print.",
        "done": "3 letter(s) printed and marked posted.",
        "empty": "No letter waits to be printed.",
    },
    "fr": {
        "heading": "Lettres à poster",
        "count": "3 lettres attendent d’être imprimées",
        "select_all": "Sélectionner toutes les lettres affichées",
        "refused": "Lettres : choisissez au moins une lettre à imprimer.",
        "done": "3 lettre(s) imprimée(s) et marquée(s) comme postée(s).",
        "empty": "Aucune lettre n’attend d’être imprimée.",
    },
}


@pytest.fixture
def signed_in(staff_desk: StaffDesk) -> StaffDesk:
    return staff_desk


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_supervisor_prints_the_offices_letters_as_one_pdf_and_they_leave_the_queue(
    signed_in: Any, live_server: Any, partner: Any, language: str
) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner, first_name="Sam")
    clients = [("Amara", "Okafor", "en"), ("Luc", "Gagnon", "fr"), ("Ana", "Lima", "en")]
    for first, last, spoken in clients:
        case = make_case(
            partner=partner,
            caseworker=worker,
            first_name=first,
            last_name=last,
            language_preference=spoken,
        )
        person = case.members.get().person
        for copy in ("en", "fr"):  # every notice is kept in both languages
            with transaction.atomic():
                notice_store(
                    acting_user=worker,
                    benefit_unit=case,
                    person=person,
                    title=f"Notice of decision {case.case_number}",
                    pdf=_pdf(2),
                    language=copy,
                )
    words = WORDS[language]
    page, steps = signed_in(supervisor, live_server.url, language)

    page.get_by_role("link", name=words["heading"]).click()
    expect(page.locator("h1")).to_have_text(words["heading"])
    expect(page.locator("#letters-count")).to_have_text(words["count"])
    rows = page.locator("#letters-table tbody tr")
    expect(rows).to_have_count(3)  # the copy in each client's language, not both
    expect(rows.filter(has_text="Gagnon")).to_contain_text("Français")
    assert_accessible(page, f"letters to post ({language})")

    # Nothing chosen: the error names the field; nothing is printed.
    with page.expect_navigation():
        page.click("#print-letters")
    expect(page.locator("[data-error-summary]")).to_contain_text(words["refused"])
    assert_accessible(page, f"letters refused ({language})")
    assert not Document.objects.filter(sent_at__isnull=False).exists()

    # Select all, print: one PDF with every page, each letter marked posted by the supervisor.
    page.get_by_label(words["select_all"]).check()
    with page.expect_download() as download_info:
        page.click("#print-letters")
    pdf = Path(download_info.value.path()).read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 6
    posted = Document.objects.filter(sent_at__isnull=False)
    assert sorted((d.person.last_name, d.language) for d in posted) == [
        ("Gagnon", "fr"),
        ("Lima", "en"),
        ("Okafor", "en"),
    ]
    assert set(posted.values_list("sent_by", flat=True)) == {supervisor.pk}
    assert AuditEvent.objects.filter(event_type="letter_printed").count() == 3
    steps.assert_within(submits=2, journey="print the office's letters (one refused try)")
    assert steps.submits == 2

    page.goto(f"{live_server.url}/documents/letters/")
    expect(page.get_by_text(words["done"])).to_be_visible()
    expect(page.locator("#letters-empty")).to_have_text(words["empty"])
    assert_accessible(page, f"letters printed ({language})")
