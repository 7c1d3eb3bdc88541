"""Plain language on the client's pages (issue 17, "for everyone": about grade 8 reading level,
checked with a readability score in tests).

Each main page of the portal and of the online application is rendered for a signed-in client
of the portal's test world (caseworks/portal/tests/conftest.py) in English and in French, and
the text of its <main> is scored (caseworks/portal/tests/readability.py), the whole of it and
its running text alone (the units written as sentences, without the headings, labels and
buttons that make a page's average look easier):

* English: Flesch-Kincaid grade level at most 8.5 (grade 8, the half grade being the formula's
  own rounding: it reports whole grades from x.5 up);
* French: Kandel and Moles reading ease at least 60 ("standard" on Flesch's scale, the band that
  matches grades 8 and 9).

A page that fails is rewritten in plainer words (the templates and the French .po), not given a
lower bar. The scores are printed (pytest -s) for the record.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from caseworks.documents.services import notice_store
from caseworks.partners.constants import PartnerKind
from caseworks.partners.reference import MINISTRY_CODE
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.portal.services import portal_report_nothing_changed
from caseworks.reviews.services import internal_review_request_from_client

from .conftest import World, make_checklist, portal_login
from .readability import (
    flesch_kincaid_grade,
    kandel_moles_ease,
    page_text,
    running_text,
    sentences,
    syllables_en,
    syllables_fr,
    words,
)
from .test_portal_matrix import _decision

GRADE_AT_MOST = 8.5
EASE_AT_LEAST = 60.0

# --- The scorer itself: it must be able to fail -------------------------------------------------

HARD_EN = (
    "Notwithstanding the foregoing provisions, the administrator's determination respecting "
    "eligibility shall be reconsidered upon receipt of substantiating documentation "
    "demonstrating extraordinary circumstances affecting the applicant's financial "
    "independence."
)
PLAIN_EN = "You can ask us to look at the decision again. Tell us why. We answer in 30 days."
HARD_FR = (
    "Nonobstant les dispositions susmentionnées, la détermination administrative relative à "
    "l’admissibilité sera réexaminée sur réception d’une documentation justificative "
    "démontrant l’existence de circonstances exceptionnelles affectant l’indépendance "
    "financière du requérant."
)
PLAIN_FR = "Vous pouvez nous demander de revoir la décision. Dites-nous pourquoi. Nous répondons."


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("asked", 1),
        ("makes", 1),
        ("here", 1),
        ("your", 1),
        ("table", 2),
        ("boxes", 2),
        ("stated", 2),
        ("payment", 2),
        ("review", 2),
        ("internal", 3),
        ("decision", 3),
        ("period", 3),
        ("usual", 3),
        ("application", 4),
        ("calculated", 4),
        ("eligibility", 6),
        ("worker's", 2),
    ],
)
def test_english_syllables_of_common_words(word: str, count: int) -> None:
    assert syllables_en(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("de", 1),
        ("une", 1),
        ("qui", 1),
        ("table", 1),
        ("équipe", 2),
        ("demande", 2),
        ("portes", 1),
        ("révision", 3),
        ("aujourd’hui", 3),
        ("intervenant", 4),
        ("l’équipe", 2),
    ],
)
def test_french_syllables_of_common_words(word: str, count: int) -> None:
    assert syllables_fr(word) == count


def test_a_hard_sentence_scores_above_grade_8_and_a_plain_one_below() -> None:
    hard = flesch_kincaid_grade([HARD_EN])
    assert hard.sentences == 1
    assert hard.value > 20  # legal English: far past grade 8
    plain = flesch_kincaid_grade([PLAIN_EN])
    assert plain.sentences == 3
    assert plain.value < 3


def test_a_hard_french_sentence_scores_below_60_and_a_plain_one_above() -> None:
    assert kandel_moles_ease([HARD_FR]).value < 0
    assert kandel_moles_ease([PLAIN_FR]).value > 70


def test_only_the_text_people_see_in_main_is_read() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><nav>Menu words</nav>"
        "<main><h1>Your letters</h1><p>Read them here. Or print them!</p>"
        "<script>var hidden = 'no';</script><p hidden>Not shown</p>"
        "<span class='visually-hidden'>For screen readers</span>"
        "<ul><li>One letter</li><li>Two: 12.50</li></ul>"
        "<input type='hidden' value='secret'><button>Send it</button></main>"
        "<footer>Footer words</footer></body></html>"
    )
    units = page_text(html)
    assert units == [
        "Your letters",
        "Read them here. Or print them!",
        "For screen readers",
        "One letter",
        "Two: 12.50",
        "Send it",
    ]
    assert sentences(units)[1:3] == ["Read them here.", "Or print them!"]
    assert words("Two: 12.50 l’équipe pay-stub") == ["Two", "l’équipe", "pay", "stub"]


# --- The portal's pages ------------------------------------------------------------------------


def _in(language: str, client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _signed_in_pages(world: World, language: str) -> dict[str, str]:
    """The client's own pages, as the test world's client sees them (a released January
    payment, a notice of decision with its review request, a "nothing changed" receipt)."""
    letter = notice_store(
        acting_user=world.staff["caseworker"],
        benefit_unit=world.case,
        person=world.account.person,
        title="Notice of decision" if language == "en" else "Avis de décision",
        pdf=b"%PDF-1.4\n%%EOF\n",
        language=language,
    )
    decision = _decision(world, world.case)
    field = "notice_en" if language == "en" else "notice_fr"
    type(decision).objects.filter(pk=decision.pk).update(**{field: letter})
    asked = _decision(world, world.case)
    review = internal_review_request_from_client(
        person=world.account.person, decision=asked, reason="My rent was not counted."
    )
    make_checklist(world.case)  # the documents page lists what the checklist asks for
    client = _in(language, portal_login(Client(), world.account.user))
    pages = {
        "home": "/my/",
        "report": "/my/report/",
        "statements": "/my/statements/",
        "statement": "/my/statements/2026/1/",
        "letters": "/my/letters/",
        "messages": "/my/messages/",
        "review request": f"/my/decisions/{decision.pk}/review/",
        "review requested": f"/my/reviews/{review.pk}/",
        "report a change": "/my/changes/",
        "a move": "/my/changes/address/",
        "a new housing cost": "/my/changes/shelter-cost/",
        "someone moving in or out": "/my/changes/household/",
        "documents we need": "/my/documents/",
    }
    html = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        html[name] = response.content.decode()
    receipt = portal_report_nothing_changed(acting_user=world.account.user, account=world.account)
    response = client.get(f"/my/report/receipts/{receipt.pk}/")
    assert response.status_code == 200
    html["receipt"] = response.content.decode()
    return html


def _apply_pages(language: str) -> dict[str, str]:
    """The online application's screens, walked through as an applicant with a child."""
    DeliveryPartnerFactory(code=MINISTRY_CODE, name="Ministry intake", kind=PartnerKind.MINISTRY)
    client = _in(language, Client())
    html = {}

    def get(name: str, path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        html[name] = response.content.decode()

    def post(path: str, data: dict[str, Any]) -> None:
        assert client.post(path, data).status_code == 302, path

    get("apply: start", "/my/apply/")
    get("apply: about you", "/my/apply/about/")
    post(
        "/my/apply/about/",
        {
            "first_name": "Awa",
            "last_name": "Diallo",
            "date_of_birth": "1990-05-17",
            "phone": "905-555-0199",
            "email": "",
            "language": language,
        },
    )
    get("apply: address", "/my/apply/address/")
    post(
        "/my/apply/address/",
        {"address_line": "12 King St", "city": "Hamilton", "postal_code": "L8P 4R5"},
    )
    get("apply: household", "/my/apply/household/")
    post(
        "/my/apply/household/",
        {
            "child_count": "1",
            "child-0-first_name": "Mariam",
            "child-0-last_name": "",
            "child-0-date_of_birth": "2019-03-02",
            "action": "continue",
        },
    )
    get("apply: money", "/my/apply/money/")
    post(
        "/my/apply/money/",
        {"monthly_income": "200", "assets": "", "shelter_cost": "950", "urgent_needs": ["no_food"]},
    )
    get("apply: check and send", "/my/apply/review/")
    post(
        "/my/apply/review/",
        {"consent": "on", "declaration": "on", "idempotency_key": str(uuid.uuid4())},
    )
    get("apply: sent", "/my/apply/done/")
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_main_portal_page_reads_at_about_grade_8(world: World, language: str) -> None:
    pages = {**_signed_in_pages(world, language), **_apply_pages(language)}
    score = flesch_kincaid_grade if language == "en" else kandel_moles_ease
    scores = {name: score(page_text(html)) for name, html in pages.items()}
    prose = {name: score(running_text(page_text(html))) for name, html in pages.items()}
    print(f"\nReadability ({language}):")  # the measured figures, for the record
    for name, found in scores.items():
        print(f"  {name}: {found}; running text {prose[name]}")
    assert all(found.words >= 20 for found in scores.values()), scores  # real pages, read whole

    def too_hard(found: Any) -> bool:
        if not found.words:
            return False  # no running text on the page (only headings, labels and buttons)
        return found.value > GRADE_AT_MOST if language == "en" else found.value < EASE_AT_LEAST

    failing = {
        name: f"page {scores[name]}; running text {prose[name]}"
        for name in pages
        if too_hard(scores[name]) or too_hard(prose[name])
    }
    assert failing == {}, failing
