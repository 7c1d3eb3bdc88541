"""The register form: every error in one submission, what was typed kept, Canadian postal codes,
one date format (issue 15), in English and French."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from caseworks.clients.forms import PersonCreateForm
from caseworks.clients.models import Person
from caseworks.core.validators import postal_code_normalize

BAD = {
    "first_name": "Nadia",
    "last_name": "Haddad",
    "date_of_birth": "2999-01-01",
    "sin": "123456789",
    "email": "nadia-at-example",
    "postal_code": "ABC",
    "language_preference": "en",
}


@pytest.mark.parametrize(
    "typed", ["K1A 0B1", "k1a0b1", " k1a 0b1 ", "K1A-0B1", "p3a1a1", "X0A 0H0", "V9Z 9Z9"]
)
def test_postal_code_is_normalised_to_upper_case_with_one_space(typed: str) -> None:
    normalised = postal_code_normalize(typed)
    assert len(normalised) == 7
    assert normalised == normalised.upper()
    assert normalised[3] == " "


@pytest.mark.parametrize(
    "typed",
    ["ABC", "K1A 0B", "K1A 0B12", "D1A 0B1", "K1F 0B1", "K1A 0O1", "W1A 0B1", "Z1A 0B1", "11A 0B1"],
)
def test_postal_code_is_refused_when_canada_post_does_not_issue_it(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        postal_code_normalize(typed)
    assert "Postal code" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            [
                "Email:",
                "Date of birth cannot be in the future",
                "Social Insurance Number",
                "Postal code:",
            ],
        ),
        ("fr", ["Courriel :", "futur", "numéro d'assurance sociale", "Code postal :"]),
    ],
)
def test_register_form_reports_every_error_at_once(language: str, words: list[str]) -> None:
    with translation.override(language):
        form = PersonCreateForm(BAD)
        assert not form.is_valid()
        assert set(form.errors) == {"email", "date_of_birth", "sin", "postal_code"}
        text = " ".join(str(e) for errors in form.errors.values() for e in errors)
    for word in words:
        assert word.lower() in text.lower(), (word, text)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Date of birth: enter the date as year-month-day, for example 1990-05-17."),
        (
            "fr",
            "Date de naissance : entrez la date sous la forme année-mois-jour, "
            "par exemple 1990-05-17.",
        ),
    ],
)
def test_date_in_another_format_is_refused_with_the_hints_format(
    language: str, message: str
) -> None:
    with translation.override(language):
        form = PersonCreateForm({**BAD, "date_of_birth": "05/17/1990"})
        assert not form.is_valid()
        assert form.errors["date_of_birth"] == [message]
        hint = str(form["date_of_birth"].help_text)
    assert "1990-05-17" in hint


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_register_page_keeps_what_was_typed_except_the_sin_when_refused(
    client: Client, caseworker: Any, language: str
) -> None:
    client.force_login(caseworker)
    response = client.post(reverse("clients:create"), BAD, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="error-message"') == 4
    for value in ("Nadia", "Haddad", "2999-01-01", "nadia-at-example", "ABC"):
        assert f'value="{value}"' in html
    assert "123456789" not in html  # the SIN is never written back into a page
    assert Person.objects.count() == 0
