"""Issue 13, authentication: each test is an attack that got through before."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.models import ApiToken, User
from caseworks.accounts.services import staff_user_create
from caseworks.accounts.tests.factories import TEST_PASSWORD
from caseworks.core.errors import ApplicationError
from caseworks.partners.tests.factories import DeliveryPartnerFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"


def test_one_address_guessing_over_many_usernames_is_locked_out(
    caseworker: Any, other_caseworker: Any
) -> None:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    # Two guesses per username (under the per-account limit of 5), as in the attack.
    for n in range(30):
        attacker.post(
            reverse("login"), {"username": f"guessed-user-{n // 2}", "password": f"guess{n}"}
        )
    response = attacker.post(
        reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "from this network" in response.content.decode()
    assert reverse("password_reset") in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    # A colleague at another address is not affected.
    office = Client(REMOTE_ADDR=OFFICE)
    response = office.post(
        reverse("login"), {"username": other_caseworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in office.session


def test_a_success_from_the_address_does_not_reset_its_other_failures(caseworker: Any) -> None:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(19):
        attacker.post(reverse("login"), {"username": f"guessed-user-{n}", "password": "guess"})
    # The attacker signs in to an account they hold, then keeps guessing.
    attacker.post(reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD})
    attacker.post(reverse("logout"))
    attacker.post(reverse("login"), {"username": "guessed-user-99", "password": "guess"})
    response = attacker.post(
        reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    "password", ["Toronto2026!", "torontoweak1", "T0r0nt0-2026!!", "Ontario2026!!"]
)
def test_passwords_built_on_a_city_or_programme_word_are_refused(
    users: dict[str, Any], password: str
) -> None:
    partner_admin = users[Role.PARTNER_ADMIN]
    with pytest.raises(ApplicationError) as refused:
        staff_user_create(  # as when the invited person sets their password
            acting_user=None,
            username="new.caseworker",
            role=Role.CASEWORKER,
            delivery_partner=partner_admin.delivery_partner,
            password=password,
        )
    assert refused.value.field == "password"
    assert not User.objects.filter(username="new.caseworker").exists()


def test_a_partner_name_from_the_database_is_refused() -> None:
    DeliveryPartnerFactory(name="District of Kapuskasing Social Services")
    with pytest.raises(ValidationError):
        validate_password("Kapuskasing2026!!")


def test_a_long_passphrase_naming_a_city_is_accepted() -> None:
    validate_password("purple Toronto mailboxes hum quietly")
    validate_password(TEST_PASSWORD)


NEW_PASSWORD = "violet-harbour-lantern-quietly-88"


def _signs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_staff_change_their_password_and_the_old_one_stops_working(caseworker: Any) -> None:
    client = Client()
    client.force_login(caseworker)
    assert reverse("account_security") in client.get(reverse("home")).content.decode()
    assert reverse("password_change") in client.get(reverse("account_security")).content.decode()
    weak = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Toronto2026!",
            "new_password2": "Toronto2026!",
        },
    )
    assert weak.status_code == 200
    assert "There is a problem" in weak.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200  # still signed in
    assert not _signs_in(caseworker.username, TEST_PASSWORD)
    assert _signs_in(caseworker.username, NEW_PASSWORD)


def test_password_change_needs_sign_in() -> None:
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_reset_a_forgotten_password_by_e_mail_link_once(caseworker: Any) -> None:
    caseworker.email = "cw@example.org"
    caseworker.save(update_fields=["email"])
    client = Client()
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "cw@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    # An unknown address answers the same and sends nothing.
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "new_password1" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    assert _signs_in(caseworker.username, NEW_PASSWORD)
    assert not _signs_in(caseworker.username, TEST_PASSWORD)
    # The link works once.
    again = Client().get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode()


@pytest.mark.parametrize("expires_at", ["9999-12-31T23:59:59Z", "9999-12-31T00:00:00"])
def test_an_api_token_cannot_be_made_to_last_for_ever(caseworker: Any, expires_at: str) -> None:
    client = Client()
    client.force_login(caseworker)
    response = client.post(
        "/api/me/tokens",
        {"name": "for ever", "expires_at": expires_at},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "expires_at"
    assert "90 days" in detail["message"]
    assert not ApiToken.objects.filter(user=caseworker).exists()


def test_an_api_token_without_expiry_expires_in_90_days(caseworker: Any) -> None:
    client = Client()
    client.force_login(caseworker)
    response = client.post("/api/me/tokens", {"name": "script"}, content_type="application/json")
    assert response.status_code == 201
    token = ApiToken.objects.get(user=caseworker)
    assert token.expires_at is not None
    remaining = token.expires_at - timezone.now()
    assert dt.timedelta(days=89) < remaining <= dt.timedelta(days=90)
    in_89_days = (timezone.now() + dt.timedelta(days=89)).isoformat()
    response = client.post(
        "/api/me/tokens",
        {"name": "quarter", "expires_at": in_89_days},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_a_token_made_before_the_rule_without_expiry_stops_after_90_days(caseworker: Any) -> None:
    raw = "cw_an-old-token-without-expiry"
    token = ApiToken.objects.create(
        user=caseworker, name="old", token_hash=ApiToken.hash_token(raw), prefix=raw[:8]
    )
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - dt.timedelta(days=91),
        expires_at=dt.datetime(9999, 12, 31, tzinfo=dt.UTC),
    )
    assert Client().get("/api/me", headers=headers).status_code == 401


def test_the_new_password_rules_are_shown_as_plain_sentences(caseworker: Any) -> None:
    client = Client()
    client.force_login(caseworker)
    html = client.get(reverse("password_change")).content.decode()
    assert "at least 12 characters" in html
    assert "<ul><li>" not in html
