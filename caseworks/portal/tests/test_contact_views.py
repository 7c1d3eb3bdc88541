"""The client's messages page and the review request started from a decision's letter."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseworks.clients.models import ClientFileAccess
from caseworks.documents.services import notice_store
from caseworks.messaging.models import Message, MessageThread
from caseworks.messaging.services import message_reply
from caseworks.reviews.constants import ReviewChannel
from caseworks.reviews.models import InternalReview

from .conftest import World, portal_login
from .test_portal_matrix import _decision

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _key() -> str:
    return str(uuid.uuid4())


def _french(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


def test_a_client_message_with_a_photo_reaches_the_team_and_the_answer_is_signed_by_the_team(
    world: World,
) -> None:
    client = portal_login(Client(), world.account.user)
    response = client.post(
        "/my/messages/",
        {
            "idempotency_key": _key(),
            "body": "My landlord raised the rent.",
            "attachments": [SimpleUploadedFile("lease.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302
    message = Message.objects.get(thread__benefit_unit=world.case)
    assert (message.author_person, message.body) == (
        world.account.person,
        "My landlord raised the rent.",
    )
    assert message.attachments.count() == 1
    caseworker = world.staff["caseworker"]
    message_reply(acting_user=caseworker, thread=message.thread, body="Please send the new lease.")

    page = client.get("/my/messages/").content.decode()
    assert "Please send the new lease." in page
    assert "Your worker&#x27;s team" in page or "Your worker's team" in page
    assert caseworker.get_full_name() not in page  # staff are shown by team, not by name
    answer = Message.objects.get(thread=message.thread, author_user=caseworker)
    assert answer.read_by_person == world.account.person  # opening the page marks it read

    french = _french(portal_login(Client(), world.account.user)).get("/my/messages/")
    assert "Messages avec l’équipe de votre intervenant" in french.content.decode()


def test_an_empty_message_is_refused_naming_the_field_and_nothing_is_sent(world: World) -> None:
    client = _french(portal_login(Client(), world.account.user))
    response = client.post("/my/messages/", {"idempotency_key": _key(), "body": ""})
    assert response.status_code == 400
    assert "Votre message" in response.content.decode()
    assert not MessageThread.objects.filter(benefit_unit=world.case).exists()


def test_a_review_is_asked_in_three_steps_from_the_decisions_letter(world: World) -> None:
    decision = _decision(world, world.case)
    letter = notice_store(
        acting_user=world.staff["caseworker"],
        benefit_unit=world.case,
        person=world.account.person,
        title="Notice of decision",
        pdf=b"%PDF-1.4\n%%EOF\n",
        language="en",
    )
    type(decision).objects.filter(pk=decision.pk).update(notice_en=letter)
    client = portal_login(Client(), world.account.user)

    letters = client.get("/my/letters/").content.decode()  # step 1: the letter
    assert f"/my/decisions/{decision.pk}/review/" in letters
    form = client.get(f"/my/decisions/{decision.pk}/review/").content.decode()  # step 2
    # Decided 10 February 2026: deemed received 3 days later, then 30 days.
    assert "March 15, 2026" in form
    assert "Ontario Works Act, 1997, s. 27" in form
    refused = client.post(
        f"/my/decisions/{decision.pk}/review/", {"idempotency_key": _key(), "reason": " "}
    )
    assert refused.status_code == 400
    assert not InternalReview.objects.exists()
    done = client.post(
        f"/my/decisions/{decision.pk}/review/",
        {"idempotency_key": _key(), "reason": "My rent was not counted."},
    )
    review = InternalReview.objects.get(decision=decision)
    assert done["Location"] == f"/my/reviews/{review.pk}/"  # step 3: the confirmation
    assert (review.requested_via, review.grounds) == (
        ReviewChannel.CLIENT_ONLINE,
        "My rent was not counted.",
    )
    assert (review.request_due_on, review.decision_due_on) == (
        dt.date(2026, 3, 15),
        dt.date(2026, 3, 12),  # 30 days after the request
    )
    french = _french(client).get(f"/my/reviews/{review.pk}/").content.decode()
    assert ClientFileAccess.objects.filter(
        view_name="portal:review_requested", person=world.account.person
    ).exists()  # the confirmation shows the client's file: its read is logged
    assert "Votre demande de révision est reçue" in french
    assert "12 mars 2026" in french  # we decide by


def test_the_home_page_counts_the_team_answers_not_yet_opened_in_english_and_french(
    world: World,
) -> None:
    client = portal_login(Client(), world.account.user)
    home = client.get("/my/").content.decode()
    assert "new answer" not in home
    client.post("/my/messages/", {"idempotency_key": _key(), "body": "Question about rent."})
    thread = MessageThread.objects.get(benefit_unit=world.case)
    caseworker = world.staff["caseworker"]
    message_reply(acting_user=caseworker, thread=thread, body="First answer.")
    message_reply(acting_user=caseworker, thread=thread, body="Second answer.")
    assert "2 new answers from your worker" in client.get("/my/").content.decode()
    french = _french(portal_login(Client(), world.account.user)).get("/my/").content.decode()
    assert "2 nouvelles réponses de l’équipe de votre intervenant" in french
    client.get("/my/messages/")  # opening the thread marks the answers read
    assert "new answer" not in client.get("/my/").content.decode()
