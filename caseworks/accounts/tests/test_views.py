from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.cases.services import task_create
from caseworks.cases.tests.factories import make_case
from caseworks.clients.tests.factories import PersonFactory
from caseworks.partners.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def test_login_page_renders_accessible_form_when_anonymous(client: Client) -> None:
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert 'for="id_username"' in html
    assert "Sign in</button>" in html
    assert '<html lang="en">' in html
    assert 'href="#main"' in html


def test_home_redirects_to_login_when_anonymous(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_signs_in_and_redirects_home_when_password_correct(
    client: Client, caseworker: Any
) -> None:
    response = client.post(
        reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # Signed in with the password only: the second factor comes before any page.
    assert client.get(reverse("home"))["Location"] == "/second-factor/setup/?next=%2F"


def test_login_shows_error_summary_when_password_wrong(client: Client, caseworker: Any) -> None:
    response = client.post(reverse("login"), {"username": caseworker.username, "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "_auth_user_id" not in client.session


def test_login_locks_out_after_five_failures_when_axes_enabled(
    client: Client, caseworker: Any
) -> None:
    for _attempt in range(5):
        client.post(reverse("login"), {"username": caseworker.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "Account temporarily locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_signs_out_when_posted(client: Client, caseworker: Any) -> None:
    client.force_login(caseworker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "You have signed out." in client.get(reverse("login")).content.decode()


def test_logout_refuses_get_when_link_followed(client: Client, caseworker: Any) -> None:
    client.force_login(caseworker)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_idle_timeout_signs_out_and_explains_when_inactive_too_long(
    client: Client, caseworker: Any, settings: Any
) -> None:
    client.force_login(caseworker)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["caseworks_last_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 10
    session.save()
    response = client.get(reverse("home"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "inactive for a while" in html
    # The message is shown once.
    assert "inactive for a while" not in client.get(reverse("login")).content.decode()


def test_home_shows_caseworker_tasks_and_caseload_when_caseworker(
    client: Client, partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    make_case(partner=partner, caseworker=caseworker)
    task_create(
        acting_user=caseworker, title="Call landlord", due_on=case.opened_on, benefit_unit=case
    )
    client.force_login(caseworker)
    html = client.get(reverse("home")).content.decode()
    assert "Call landlord" in html
    assert case.case_number in html
    assert 'id="caseload-count">2<' in html
    assert 'id="my-cases"' in html
    assert case.members.get().person.full_name in html
    assert 'name="q"' in html


def test_home_shows_the_first_cases_and_links_the_whole_caseload_when_caseload_is_long(
    client: Client, partner: Any, caseworker: Any, settings: Any
) -> None:
    for _ in range(27):
        make_case(partner=partner, caseworker=caseworker)
    client.force_login(caseworker)
    html = client.get(reverse("home")).content.decode()
    rows = html.split('id="my-cases"')[1].split("</table>")[0].count('<th scope="row">')
    assert rows == 25
    assert 'id="caseload-count">27<' in html
    assert "The first 25 of your 27 open cases are shown." in html
    assert f'href="{reverse("caseload:mine")}">All of them' in html


def test_home_nav_shows_only_allowed_pages_when_role_limited(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.AUDITOR])
    html = client.get(reverse("home")).content.decode()
    assert reverse("clients:search") in html
    assert reverse("clients:create") not in html
    client.force_login(users[Role.CASEWORKER])
    assert reverse("clients:create") in client.get(reverse("home")).content.decode()


def test_home_lists_staff_and_offices_without_client_data_when_partner_admin(
    client: Client, partner: Any, users: dict[str, Any], other_caseworker: Any
) -> None:
    office = OfficeFactory(delivery_partner=partner, name="Main Street Office")
    person = PersonFactory(delivery_partner=partner, last_name="Zyxwv")
    client.force_login(users[Role.PARTNER_ADMIN])
    html = client.get(reverse("home")).content.decode()
    assert users[Role.CASEWORKER].username in html
    assert office.name in html
    assert other_caseworker.username not in html
    assert person.last_name not in html
    assert reverse("clients:search") not in html


def test_home_links_reports_when_ministry_analyst(
    client: Client, users: dict[str, Any], other_partner: Any
) -> None:
    PersonFactory(last_name="Qwertyuiop")
    client.force_login(users["provincial_ministry_analyst"])
    html = client.get(reverse("home")).content.decode()
    assert "Compare outcomes across delivery partners" in html
    assert reverse("reporting:dashboard") in html
    assert "Qwertyuiop" not in html
    assert 'id="partner-total">' in html


def test_home_offers_search_and_access_log_lookup_when_auditor(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.AUDITOR])
    html = client.get(reverse("home")).content.decode()
    assert "Access log lookup" in html
    assert 'name="q"' in html


# Each home page, and a sentence only that page has (caseworks.caseload.views_home).
HOME_PAGES = {
    "accounts/home_worker.html": "My open tasks",
    "accounts/home_partner_admin.html": "You manage staff and offices.",
    "accounts/home_analyst.html": "Compare outcomes across delivery partners",
    "accounts/home_auditor.html": "You can read client files and see who viewed them.",
    "accounts/home_other.html": "Your role has no pages in the staff website.",
}
HOME_PAGE_OF_ROLE = {
    Role.INTAKE_CLERK.value: "accounts/home_worker.html",
    Role.CASEWORKER.value: "accounts/home_worker.html",
    Role.EMPLOYMENT_CASEWORKER.value: "accounts/home_worker.html",
    Role.SUPERVISOR.value: "accounts/home_worker.html",
    Role.PARTNER_ADMIN.value: "accounts/home_partner_admin.html",
    Role.MINISTRY_ANALYST.value: "accounts/home_analyst.html",
    "provincial_ministry_analyst": "accounts/home_analyst.html",
    Role.AUDITOR.value: "accounts/home_auditor.html",
    "provincial_auditor": "accounts/home_auditor.html",
    Role.PROVIDER.value: "accounts/home_other.html",
}


def test_home_page_of_every_role_is_listed() -> None:
    assert set(HOME_PAGE_OF_ROLE) == {r.value for r in Role} | {
        "provincial_ministry_analyst",
        "provincial_auditor",
    }


@pytest.mark.parametrize("role", sorted(HOME_PAGE_OF_ROLE))
def test_home_shows_the_page_of_the_role(client: Client, users: dict[str, Any], role: str) -> None:
    user = users[role]
    client.force_login(user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    page = HOME_PAGE_OF_ROLE[role]
    assert page in [template.name for template in response.templates]
    assert HOME_PAGES[page] in html
    for other_page, sentence in HOME_PAGES.items():
        if other_page != page:
            assert sentence not in html, other_page
    if page == "accounts/home_worker.html":
        assert f"Welcome, {user.first_name or user.username}" in html
        assert 'id="caseload-count">0<' in html
        assert "You have no open tasks." in html
    if page == "accounts/home_partner_admin.html":
        assert user.delivery_partner.name in html


def test_home_explains_when_account_has_no_role(client: Client, partner: Any) -> None:
    client.force_login(UserFactory(role="", delivery_partner=partner))
    html = client.get(reverse("home")).content.decode()
    assert "Your account has no role yet." in html
    assert "Your role has no pages in the staff website." not in html


def test_home_renders_in_french_when_language_switched(client: Client, caseworker: Any) -> None:
    client.force_login(caseworker)
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html
    assert "Trouver un client" in html
    assert "Mes tâches ouvertes" in html
    assert "Se déconnecter" in html


def test_login_renders_in_french_when_browser_asks_for_french(client: Client) -> None:
    html = client.get(reverse("login"), headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_missing_page_uses_friendly_404_template_when_record_unknown(
    client: Client, caseworker: Any
) -> None:
    client.force_login(caseworker)
    response = client.get("/clients/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "belongs to another delivery partner" in html
    assert 'id="main"' in html


def test_csrf_failure_explains_that_the_form_expired_when_token_missing(
    caseworker: Any,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert "_auth_user_id" in client.session
