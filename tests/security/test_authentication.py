"""Issue 13, authentication: each test is an attack that got through before."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
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
        staff_user_create(
            acting_user=partner_admin,
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
