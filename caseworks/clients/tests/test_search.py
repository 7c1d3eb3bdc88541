"""Client search by any part of a compound or hyphenated name, accent- and case-insensitive;
a case number opens its case; the duplicate panel's "On a current case" (issue 15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import Person
from caseworks.clients.selectors import (
    PersonSearch,
    person_possible_duplicates,
    person_search_for_user,
)
from caseworks.clients.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _names(user: Any, text: str) -> list[str]:
    found = person_search_for_user(user=user, search=PersonSearch.from_text(text))
    return [person.full_name for person in found]


@pytest.fixture
def amara(partner: Any) -> Person:
    return PersonFactory(delivery_partner=partner, first_name="Amara", last_name="Okafor-Test")


@pytest.fixture
def jean_philippe(partner: Any) -> Person:
    return PersonFactory(
        delivery_partner=partner, first_name="Jean-Philippe", last_name="Thériault"
    )


@pytest.fixture
def others(partner: Any) -> None:
    PersonFactory(delivery_partner=partner, first_name="Philippa", last_name="Jeanson")
    PersonFactory(delivery_partner=partner, first_name="Test", last_name="Okonkwo")


def test_search_finds_hyphenated_surname_alone(
    caseworker: Any, amara: Person, others: None
) -> None:
    assert _names(caseworker, "Okafor-Test") == ["Amara Okafor-Test"]


def test_search_finds_second_part_of_hyphenated_surname_alone(
    caseworker: Any, amara: Person, others: None
) -> None:
    assert "Amara Okafor-Test" in _names(caseworker, "test")
    assert _names(caseworker, "test amara") == ["Amara Okafor-Test"]


def test_search_finds_full_name_with_hyphenated_surname(caseworker: Any, amara: Person) -> None:
    assert _names(caseworker, "Amara Okafor-Test") == ["Amara Okafor-Test"]


def test_search_finds_accented_compound_name_typed_as_written(
    caseworker: Any, jean_philippe: Person, others: None
) -> None:
    assert _names(caseworker, "Jean-Philippe Thériault") == ["Jean-Philippe Thériault"]


def test_search_finds_accented_compound_name_typed_lowercase_without_accents(
    caseworker: Any, jean_philippe: Person, others: None
) -> None:
    assert _names(caseworker, "jean philippe theriault") == ["Jean-Philippe Thériault"]
    assert _names(caseworker, "THERIAULT JEAN") == ["Jean-Philippe Thériault"]


def test_search_finds_accented_surname_alone_without_accent(
    caseworker: Any, jean_philippe: Person, others: None
) -> None:
    assert _names(caseworker, "Theriault") == ["Jean-Philippe Thériault"]


def test_search_finds_second_part_of_compound_first_name_alone(
    caseworker: Any, jean_philippe: Person, others: None
) -> None:
    assert _names(caseworker, "philippe") == ["Jean-Philippe Thériault"]


def test_search_matches_words_as_prefixes_not_inside_words(
    caseworker: Any, jean_philippe: Person, others: None
) -> None:
    # "ault" is inside "theriault", not the start of a word.
    assert _names(caseworker, "ault") == []
    # "phil" begins "Philippe" and "Philippa".
    assert sorted(_names(caseworker, "phil")) == ["Jean-Philippe Thériault", "Philippa Jeanson"]


def test_search_narrows_by_a_one_letter_word(
    caseworker: Any, jean_philippe: Person, others: None
) -> None:
    assert _names(caseworker, "jean t") == ["Jean-Philippe Thériault"]


def test_search_by_name_part_keeps_to_the_users_partner(
    caseworker: Any, other_partner: Any
) -> None:
    PersonFactory(delivery_partner=other_partner, first_name="Amara", last_name="Okafor-Test")
    assert _names(caseworker, "Okafor-Test") == []


def test_search_with_a_case_number_opens_the_case(
    client: Client, partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker, last_name="Ouellette")
    client.force_login(caseworker)
    response = client.get(reverse("clients:search"), {"q": case.case_number})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    lower = client.get(reverse("clients:search"), {"q": case.case_number.lower()})
    assert lower["Location"] == reverse("cases:detail", args=[case.pk])


def test_search_with_another_partners_case_number_does_not_open_it(
    client: Client, other_partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=other_partner, last_name="Ouellette")
    client.force_login(caseworker)
    response = client.get(reverse("clients:search"), {"q": case.case_number})
    assert response.status_code == 200
    html = response.content.decode()
    assert "0 clients found" in html
    assert "Ouellette" not in html


def test_search_with_an_unknown_case_number_says_nobody_was_found(
    client: Client, caseworker: Any
) -> None:
    client.force_login(caseworker)
    response = client.get(reverse("clients:search"), {"q": "CW999999999"})
    assert response.status_code == 200
    assert "0 clients found" in response.content.decode()


def test_duplicate_panel_says_not_on_current_case_when_person_has_no_membership(
    caseworker: Any, partner: Any
) -> None:
    PersonFactory(
        delivery_partner=partner,
        first_name="Nadia",
        last_name="Haddad",
        date_of_birth=dt.date(1985, 2, 3),
    )
    [match] = person_possible_duplicates(
        user=caseworker, first_name="Nadia", last_name="Haddad", date_of_birth=dt.date(1985, 2, 3)
    )
    assert match.on_current_case is False


def test_duplicate_panel_says_on_current_case_when_person_is_a_current_member(
    caseworker: Any, partner: Any
) -> None:
    make_case(
        partner=partner,
        caseworker=caseworker,
        first_name="Nadia",
        last_name="Haddad",
        date_of_birth=dt.date(1985, 2, 3),
    )
    [match] = person_possible_duplicates(
        user=caseworker, first_name="Nadia", last_name="Haddad", date_of_birth=dt.date(1985, 2, 3)
    )
    assert match.on_current_case is True


def test_duplicate_panel_shows_no_for_a_person_on_no_case(
    client: Client, caseworker: Any, partner: Any
) -> None:
    PersonFactory(
        delivery_partner=partner,
        first_name="Nadia",
        last_name="Haddad",
        date_of_birth=dt.date(1985, 2, 3),
    )
    client.force_login(caseworker)
    response = client.post(
        reverse("clients:create"),
        {
            "first_name": "Nadia",
            "last_name": "Haddad",
            "date_of_birth": "1985-02-03",
            "language_preference": "en",
        },
    )
    html = response.content.decode()
    assert "may already be known" in html
    assert "On a current case" in html
    assert Person.objects.filter(last_name="Haddad").count() == 1
    row = html[html.index("<tbody>", html.index("On a current case")) :]
    row = row[: row.index("</tr>")]
    assert "<td>No</td>" in row
    assert "<td>Yes</td>" not in row
