"""Issue 13, authentication: each test is an attack that got through before."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.tests.factories import TEST_PASSWORD

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
