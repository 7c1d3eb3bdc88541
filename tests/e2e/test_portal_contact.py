"""Issue 17, acceptance 1 in the browser: "a message answered by staff" and "a review request".

The client is on a phone (390×844), the staff member at a desk (1280×900), in English and in
French; axe scans every page either of them opens. Form submissions are counted with
StepCounter against docs/step-budgets.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, expect

from caseworks.documents.services import notice_store
from caseworks.eligibility.constants import DecisionOutcome, DecisionStatus, DeterminationResult
from caseworks.eligibility.models import Decision, Determination
from caseworks.messaging.models import Message, MessageThread
from caseworks.reviews.constants import ReviewChannel, ReviewStatus
from caseworks.reviews.models import InternalReview

from .conftest import StaffDesk, assert_accessible, screenshot
from .portal_world import PNG, client_with_account, phone_context, shown_date, sign_in
from .steps import StepCounter

pytestmark = pytest.mark.django_db(transaction=True)

TEAM = {"en": "Your worker's team", "fr": "L’équipe de votre intervenant"}
SENT = {"en": "Your message is sent to your worker's team.", "fr": "Votre message est envoyé"}
NEW_ANSWER = {"en": "1 new answer from your worker", "fr": "1 nouvelle réponse de l’équipe"}
WRITE = {"en": "Write to your worker's team", "fr": "Écrire à l’équipe de votre intervenant"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_message_with_a_photo_is_answered_by_the_team_and_signed_by_the_team(
    live_server: Any,
    browser: Browser,
    partner: Any,
    staff_desk: StaffDesk,
    language: str,
    tmp_path: Any,
) -> None:
    base = live_server.url
    client = client_with_account(partner)
    context = phone_context(browser)
    phone = context.new_page()
    sign_in(phone, base, language)
    expect(phone.locator("html")).to_have_attribute("lang", language)
    client_steps = StepCounter(phone)

    # The client writes to the team, with a photo taken on the phone.
    phone.locator("nav.primary-nav a[href='/my/messages/']").click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, f"messages, empty ({language})")
    photo = tmp_path / "lease.png"
    photo.write_bytes(PNG)
    body = (
        "Mon loyer augmente en mars. Voici la page du bail."
        if language == "fr"
        else "My rent goes up in March. Here is the page of the lease."
    )
    phone.fill("#id_body", body)
    phone.set_input_files("#id_attachments", str(photo))
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator("div.messages")).to_contain_text(SENT[language])
    expect(phone.locator("ol.messages")).to_contain_text(body)
    assert_accessible(phone, f"message sent ({language})")
    client_steps.assert_within(submits=1, journey="write to the worker's team with a photo")
    assert client_steps.submits == 1
    message = Message.objects.get(thread__benefit_unit=client.case)
    assert message.author_person == client.person
    assert message.attachments.count() == 1

    # A colleague of the worker's office (the team) sees it on the home page, in the team
    # inbox (/messaging/) and on the case, and answers.
    desk, staff_steps = staff_desk(client.colleague, base, language)
    expect(desk.locator("#client-messages-count")).to_have_text("1")
    assert_accessible(desk, f"staff home with a client message ({language})")
    desk.goto(f"{base}/messaging/inbox/")
    expect(desk.locator("#waiting-threads")).to_contain_text(client.case.case_number)
    assert_accessible(desk, f"team inbox ({language})")
    desk.goto(f"{base}/cases/{client.case.pk}/")
    assert_accessible(desk, f"case page ({language})")
    desk.locator(f"a[href='/messaging/cases/{client.case.pk}/']").first.click()
    desk.wait_for_load_state("networkidle")
    expect(desk.locator("#messages")).to_contain_text(body)
    expect(desk.locator("#messages")).to_contain_text("lease.png")
    expect(desk.locator("#reply-due")).to_be_visible()
    assert_accessible(desk, f"case messages ({language})")
    answer = (
        "Merci. Apportez le nouveau bail complet au bureau ou envoyez-le ici."
        if language == "fr"
        else "Thank you. Please send the whole new lease here or bring it to the office."
    )
    desk.fill("#id_reply-body", answer)
    with desk.expect_navigation():
        desk.locator("#messages form button[type=submit]").click()
    expect(desk.locator("#messages")).to_contain_text(answer)
    expect(desk.locator("#reply-due")).to_have_count(0)
    assert_accessible(desk, f"answered ({language})")
    staff_steps.assert_within(submits=1, journey="answer a client's message")
    assert staff_steps.submits == 1
    assert MessageThread.objects.get(benefit_unit=client.case).awaiting_reply_since is None
    desk.goto(f"{base}/")
    expect(desk.locator("#client-messages-count")).to_have_text("0")

    # The client comes back: one new answer on the home page; the answer is signed by the
    # team, never by the staff member's name; once opened, the count is gone.
    phone.goto(f"{base}/my/")
    expect(phone.locator("main")).to_contain_text(NEW_ANSWER[language])
    assert_accessible(phone, f"home with a new answer ({language})")
    phone.get_by_role("link", name=NEW_ANSWER[language]).click()
    phone.wait_for_load_state("networkidle")
    thread = phone.locator("ol.messages")
    expect(thread).to_contain_text(answer)
    expect(thread.locator("li").last).to_contain_text(TEAM[language])
    for name in (client.colleague.get_full_name(), client.colleague.last_name):
        assert name not in phone.locator("main").inner_text()
    assert_accessible(phone, f"the team's answer ({language})")
    screenshot(phone, f"portal-messages-{language}")
    phone.goto(f"{base}/my/")
    main = phone.locator("main")
    expect(main).not_to_contain_text(NEW_ANSWER[language])
    expect(main.get_by_role("link", name=WRITE[language])).to_be_visible()
    assert (
        Message.objects.filter(thread__benefit_unit=client.case, read_by_person__isnull=True)
        .exclude(author_user=None)
        .count()
        == 0
    )
    context.close()


def _decision_with_letters(client: Any) -> Decision:
    """A final decision on the case, with its notice in English and in French (rows and stored
    letters: this journey is about asking for a review, not about making the decision)."""
    worker = client.worker
    determination = Determination.objects.create(
        benefit_unit=client.case,
        benefit_month=timezone.localdate().replace(day=1),
        result=DeterminationResult.ELIGIBLE,
        rules_version="journey",
        determined_by=worker,
    )
    decision = Decision.objects.create(
        benefit_unit=client.case,
        determination=determination,
        outcome=DecisionOutcome.GRANT,
        status=DecisionStatus.FINAL,
        effective_on=timezone.localdate().replace(day=1),
        decided_by=worker,
    )
    letters = {
        language: notice_store(
            acting_user=worker,
            benefit_unit=client.case,
            person=client.person,
            title=title,
            pdf=b"%PDF-1.4\n%%EOF\n",
            language=language,
        )
        for language, title in (("en", "Notice of decision"), ("fr", "Avis de décision"))
    }
    Decision.objects.filter(pk=decision.pk).update(notice_en=letters["en"], notice_fr=letters["fr"])
    return decision


LAST_DAY = {"en": "Last day to ask for a review", "fr": "Dernier jour pour demander une révision"}
RECEIVED = {
    "en": "Your request for a review is received",
    "fr": "Votre demande de révision est reçue",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_review_request_from_the_decisions_letter_in_three_steps_reaches_the_reviews_workflow(
    live_server: Any,
    browser: Browser,
    partner: Any,
    staff_desk: StaffDesk,
    language: str,
) -> None:
    base = live_server.url
    client = client_with_account(partner)
    decision = _decision_with_letters(client)
    today = timezone.localdate()
    decided_on = timezone.localdate(decision.decided_at)
    last_day = decided_on + dt.timedelta(days=3 + 30)  # deemed received, then 30 days
    context = phone_context(browser)
    phone = context.new_page()
    sign_in(phone, base, language)
    steps = StepCounter(phone)

    # Step 1: the decision's letter.
    phone.locator("nav.primary-nav a[href='/my/letters/']").click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, f"letters ({language})")
    phone.locator(f"main a[href='/my/decisions/{decision.pk}/review/']").click()
    phone.wait_for_load_state("networkidle")

    # Step 2: the decision, the 30-day clock and its last day, then the reason.
    main = phone.locator("main")
    expect(main).to_contain_text(LAST_DAY[language])
    expect(main).to_contain_text(shown_date(last_day, language))
    expect(main).to_contain_text(shown_date(decided_on, language))
    days_left = (last_day - today).days
    expect(main.locator(".lead")).to_contain_text(str(days_left))
    expect(main).to_contain_text("Ontario Works Act, 1997" if language == "en" else "Loi de 1997")
    assert_accessible(phone, f"review request ({language})")
    screenshot(phone, f"portal-review-request-{language}")
    reason = (
        "Le loyer de mon nouveau logement n’est pas compté."
        if language == "fr"
        else "The rent of my new place is not counted."
    )
    phone.fill("#id_reason", reason)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()

    # Step 3: the confirmation, with the date we decide by.
    review = InternalReview.objects.get(decision=decision)
    assert phone.url == f"{base}/my/reviews/{review.pk}/"
    expect(phone.locator("h1")).to_contain_text(RECEIVED[language])
    expect(main).to_contain_text(shown_date(today + dt.timedelta(days=30), language))
    assert_accessible(phone, f"review requested ({language})")
    steps.assert_within(submits=1, journey="ask for an internal review from a decision's letter")
    assert steps.submits == 1
    assert (review.requested_via, review.status, review.grounds) == (
        ReviewChannel.CLIENT_ONLINE,
        ReviewStatus.REQUESTED,
        reason,
    )
    assert (review.request_due_on, review.decision_due_on) == (
        last_day,
        today + dt.timedelta(days=30),
    )

    # Back on the letter, the request is shown instead of the form.
    phone.goto(f"{base}/my/decisions/{decision.pk}/review/")
    expect(phone.locator("main form")).to_have_count(0)
    expect(phone.locator(f"main a[href='/my/reviews/{review.pk}/']")).to_be_visible()
    assert_accessible(phone, f"review already requested ({language})")
    context.close()

    # The caseworker finds it in the case's reviews and appeals (the reviews workflow).
    desk, _steps = staff_desk(client.worker, base, language)
    desk.goto(f"{base}/cases/{client.case.pk}/")
    desk.locator(f"a[href='/reviews/cases/{client.case.pk}/']").first.click()
    desk.wait_for_load_state("networkidle")
    panel = desk.locator(f"section[aria-labelledby='review-{review.pk}']")
    expect(panel).to_contain_text(reason)
    with translation.override(language):
        expect(panel).to_contain_text(str(review.get_status_display()))
    expect(panel).to_contain_text(review.decision_due_on.isoformat())
    expect(panel.locator("details summary")).to_have_count(2)  # decide; record an appeal
    assert_accessible(desk, f"staff reviews and appeals ({language})")
