from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.cases.models import BenefitUnit
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db

VALID_SIN = "046454286"  # the Government of Canada's published sample SIN (passes Luhn)
VIEW_ROLES = [
    Role.INTAKE_CLERK,
    Role.CASEWORKER,
    Role.EMPLOYMENT_CASEWORKER,
    Role.SUPERVISOR,
    Role.AUDITOR,
]
NO_VIEW_ROLES = [Role.PARTNER_ADMIN, Role.MINISTRY_ANALYST]
CREATE_ROLES = [Role.INTAKE_CLERK, Role.CASEWORKER, Role.SUPERVISOR]
NO_CREATE_ROLES = [
    Role.EMPLOYMENT_CASEWORKER,
    Role.AUDITOR,
    Role.PARTNER_ADMIN,
    Role.MINISTRY_ANALYST,
]


def _person_data(**overrides: Any) -> dict[str, str]:
    data = {
        "first_name": "Marie",
        "middle_name": "",
        "last_name": "Côté-Lévesque",
        "date_of_birth": "1988-03-14",
        "sin": "",
        "language_preference": "fr",
        "phone": "416-555-0100",
        "email": "",
        "address_line": "12 Example St",
        "city": "Sudbury",
        "postal_code": "P3A 1A1",
    }
    data.update(overrides)
    return data


# Search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", VIEW_ROLES)
def test_search_renders_when_role_may_view_clients(
    client: Client, users: dict[str, Any], role: str
) -> None:
    client.force_login(users[role])
    response = client.get(reverse("clients:search"))
    assert response.status_code == 200
    assert 'id="id_q"' in response.content.decode()


@pytest.mark.parametrize("role", NO_VIEW_ROLES)
def test_search_refuses_with_403_when_role_may_not_view_clients(
    client: Client, users: dict[str, Any], role: str
) -> None:
    client.force_login(users[role])
    response = client.get(reverse("clients:search"), {"q": "tremblay"})
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


def test_search_shows_masked_sin_and_current_case_when_found(
    client: Client, partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker, last_name="Ouellette", sin=VALID_SIN)
    client.force_login(caseworker)
    html = client.get(reverse("clients:search"), {"q": "ouel"}).content.decode()
    assert "Ouellette" in html
    assert "***-***-286" in html
    assert VALID_SIN not in html
    assert case.case_number in html
    assert "Application in progress" in html


def test_search_finds_by_structured_fields_when_given(
    client: Client, partner: Any, caseworker: Any
) -> None:
    PersonFactory(delivery_partner=partner, last_name="Ouellette", sin=VALID_SIN)
    PersonFactory(delivery_partner=partner, last_name="Ouimet")
    client.force_login(caseworker)
    html = client.get(
        reverse("clients:search"), {"name": "ou", "sin_last3": "286"}
    ).content.decode()
    assert "Ouellette" in html
    assert "Ouimet" not in html


def test_search_reports_error_beside_field_when_sin_digits_invalid(
    client: Client, caseworker: Any
) -> None:
    client.force_login(caseworker)
    html = client.get(reverse("clients:search"), {"sin_last3": "12x"}).content.decode()
    assert 'id="id_sin_last3_error"' in html
    assert 'aria-describedby="id_sin_last3_error"' in html


def test_search_hides_other_partners_clients_when_searching(
    client: Client, other_partner: Any, caseworker: Any
) -> None:
    PersonFactory(delivery_partner=other_partner, last_name="Ouellette")
    client.force_login(caseworker)
    html = client.get(reverse("clients:search"), {"q": "ouellette"}).content.decode()
    assert "Ouellette" not in html
    assert "0 clients found" in html


def test_search_runs_a_fixed_number_of_queries_when_many_results(
    client: Client, partner: Any, caseworker: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(25):
        make_case(partner=partner, caseworker=caseworker, last_name="Tremblay")
    client.force_login(caseworker)
    client.get(reverse("home"))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("clients:search"), {"q": "tremblay"})
    assert response.content.decode().count("CW") >= 25


# Create ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CREATE_ROLES)
def test_create_renders_form_when_role_may_register(
    client: Client, users: dict[str, Any], role: str
) -> None:
    client.force_login(users[role])
    response = client.get(reverse("clients:create"))
    assert response.status_code == 200
    assert 'id="id_first_name"' in response.content.decode()


@pytest.mark.parametrize("role", NO_CREATE_ROLES)
def test_create_refuses_with_403_when_role_may_not_register(
    client: Client, users: dict[str, Any], role: str
) -> None:
    client.force_login(users[role])
    assert client.get(reverse("clients:create")).status_code == 403
    assert client.post(reverse("clients:create"), _person_data()).status_code == 403
    assert not Person.objects.exists()


def test_create_registers_person_and_offers_open_a_case_when_valid(
    client: Client, caseworker: Any
) -> None:
    client.force_login(caseworker)
    response = client.post(reverse("clients:create"), _person_data(sin=VALID_SIN), follow=True)
    person = Person.objects.get()
    assert person.sin == VALID_SIN
    assert response.redirect_chain[-1][0] == reverse("clients:detail", args=[person.pk])
    html = response.content.decode()
    assert "is registered" in html
    assert "Open a case" in html
    assert VALID_SIN not in html
    response = client.post(reverse("cases:create"), {"person_id": person.pk}, follow=True)
    case = BenefitUnit.objects.get()
    assert case.caseworker == caseworker
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])


def test_create_shows_errors_beside_fields_and_saves_nothing_when_invalid(
    client: Client, caseworker: Any
) -> None:
    client.force_login(caseworker)
    response = client.post(reverse("clients:create"), _person_data(first_name="", sin="123456789"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'aria-describedby="id_first_name_error"' in html
    assert not Person.objects.exists()


def test_create_puts_sin_error_beside_sin_field_when_sin_already_registered(
    client: Client, other_partner: Any, caseworker: Any
) -> None:
    PersonFactory(delivery_partner=other_partner, sin=VALID_SIN)
    client.force_login(caseworker)
    html = client.post(reverse("clients:create"), _person_data(sin=VALID_SIN)).content.decode()
    assert 'id="id_sin_error"' in html
    assert "already registered with Partner B" in html
    assert VALID_SIN not in html
    assert Person.objects.count() == 1


def test_create_warns_of_possible_duplicate_then_saves_when_acknowledged(
    client: Client, other_partner: Any, caseworker: Any
) -> None:
    PersonFactory(
        delivery_partner=other_partner,
        first_name="Marie",
        last_name="Cote Levesque",
        date_of_birth="1988-03-14",
        phone="705-555-0199",
    )
    client.force_login(caseworker)
    html = client.post(reverse("clients:create"), _person_data()).content.decode()
    assert "Possible duplicates" in html
    assert "Partner B" in html
    assert "same name and date of birth" in html.lower()
    assert "705-555-0199" not in html  # nothing of the other partner's file
    assert 'id="id_acknowledge_possible_duplicates"' in html
    assert Person.objects.count() == 1

    response = client.post(
        reverse("clients:create"), _person_data(acknowledge_possible_duplicates="on")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(event_type="duplicate_warning_overridden").exists()


def test_create_returns_to_case_with_person_selected_when_registering_a_member(
    client: Client, partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("clients:create"), _person_data(first_name="Léa", add_to_case=str(case.pk))
    )
    person = Person.objects.get(first_name="Léa")
    assert response["Location"] == (
        f"{reverse('cases:detail', args=[case.pk])}?add_person={person.pk}#add-member"
    )


# Detail, edit, access log ---------------------------------------------------------------


@pytest.mark.parametrize("role", VIEW_ROLES)
def test_detail_renders_and_records_access_when_role_may_view(
    client: Client, partner: Any, users: dict[str, Any], role: str
) -> None:
    person = PersonFactory(delivery_partner=partner, sin=VALID_SIN)
    client.force_login(users[role])
    response = client.get(reverse("clients:detail", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert person.full_name in html
    assert "***-***-286" in html
    assert VALID_SIN not in html
    access = ClientFileAccess.objects.get(person=person)
    assert access.user == users[role]
    assert access.view_name == "clients:detail"
    assert "no-store" in response["Cache-Control"]


def test_detail_refuses_with_404_when_other_partners_client(
    client: Client, other_partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=other_partner)
    client.force_login(caseworker)
    response = client.get(reverse("clients:detail", args=[person.pk]))
    assert response.status_code == 404
    assert not ClientFileAccess.objects.exists()


@pytest.mark.parametrize("role", NO_VIEW_ROLES)
def test_detail_refuses_with_403_when_role_may_not_view(
    client: Client, partner: Any, users: dict[str, Any], role: str
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client.force_login(users[role])
    assert client.get(reverse("clients:detail", args=[person.pk])).status_code == 403


def test_detail_lets_provincial_auditor_read_any_partner_when_provincial(
    client: Client, other_partner: Any, users: dict[str, Any]
) -> None:
    person = PersonFactory(delivery_partner=other_partner)
    client.force_login(users["provincial_auditor"])
    assert client.get(reverse("clients:detail", args=[person.pk])).status_code == 200


def test_edit_saves_changes_and_keeps_sin_when_sin_left_blank(
    client: Client, partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, sin=VALID_SIN, city="Sudbury")
    client.force_login(caseworker)
    form_html = client.get(reverse("clients:edit", args=[person.pk])).content.decode()
    assert VALID_SIN not in form_html
    assert "***-***-286" in form_html
    data = _person_data(
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth.isoformat(),
        city="Timmins",
        language_preference="en",
    )
    response = client.post(reverse("clients:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.city == "Timmins"
    assert person.sin == VALID_SIN
    event = AuditEvent.objects.get(event_type="person_updated")
    assert "sin" not in event.extra_data["changes"]


def test_edit_shows_error_and_changes_nothing_when_birth_date_in_future(
    client: Client, partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, city="Sudbury")
    client.force_login(caseworker)
    data = _person_data(
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth="2999-01-01",
        city="Timmins",
    )
    html = client.post(reverse("clients:edit", args=[person.pk]), data).content.decode()
    assert 'id="id_date_of_birth_error"' in html
    assert "cannot be in the future" in html
    person.refresh_from_db()
    assert person.city == "Sudbury"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EMPLOYMENT_CASEWORKER, Role.INTAKE_CLERK])
def test_edit_refuses_with_403_when_role_may_not_edit(
    client: Client, partner: Any, users: dict[str, Any], role: str
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client.force_login(users[role])
    assert client.get(reverse("clients:edit", args=[person.pk])).status_code == 403


def test_access_log_lists_who_viewed_when_auditor(
    client: Client, partner: Any, caseworker: Any, users: dict[str, Any]
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client.force_login(caseworker)
    client.get(reverse("clients:detail", args=[person.pk]))
    client.force_login(users[Role.AUDITOR])
    response = client.get(reverse("clients:access_log", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert caseworker.username in html
    assert "Client file" in html  # the page name, not the route name


def test_access_log_refuses_with_403_when_caseworker(
    client: Client, partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client.force_login(caseworker)
    assert client.get(reverse("clients:access_log", args=[person.pk])).status_code == 403


def test_access_log_refuses_with_404_when_other_partners_client(
    client: Client, other_partner: Any, users: dict[str, Any]
) -> None:
    person = PersonFactory(delivery_partner=other_partner)
    client.force_login(users[Role.AUDITOR])
    assert client.get(reverse("clients:access_log", args=[person.pk])).status_code == 404


def test_detail_renders_in_french_when_language_is_french(
    client: Client, partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, language_preference="fr")
    client.force_login(caseworker)
    client.post(reverse("set_language"), {"language": "fr"})
    html = client.get(reverse("clients:detail", args=[person.pk])).content.decode()
    assert "Date de naissance" in html
    assert "Ouvrir un dossier" in html
    assert "Français" in html


def test_edit_refuses_with_404_when_other_partners_client(
    client: Client, other_partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=other_partner, city="Kenora")
    client.force_login(caseworker)
    assert client.get(reverse("clients:edit", args=[person.pk])).status_code == 404
    data = _person_data(first_name=person.first_name, last_name=person.last_name, city="Toronto")
    assert client.post(reverse("clients:edit", args=[person.pk]), data).status_code == 404
    person.refresh_from_db()
    assert person.city == "Kenora"


def test_create_never_echoes_typed_sin_and_asks_again_when_form_refused(
    client: Client, caseworker: Any
) -> None:
    client.force_login(caseworker)
    html = client.post(
        reverse("clients:create"), _person_data(last_name="", sin=VALID_SIN)
    ).content.decode()
    assert VALID_SIN not in html
    assert "not shown again" in html
    assert 'name="sin_entered" value="1"' in html
    # Sent again without the SIN: refused beside the SIN box rather than silently dropped.
    html = client.post(
        reverse("clients:create"), _person_data(sin="", sin_entered="1")
    ).content.decode()
    assert 'id="id_sin_error"' in html
    assert not Person.objects.exists()
    response = client.post(reverse("clients:create"), _person_data(sin=VALID_SIN, sin_entered="1"))
    assert response.status_code == 302
    assert Person.objects.get().sin == VALID_SIN
