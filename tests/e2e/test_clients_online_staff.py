"""Issue 17, the staff side in the browser: a client's message seen on the home page and the
case, answered; an unanswered one escalated to the supervisor; a change the client reported
verified by the caseworker. Each page scanned by axe, in English and in French."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun import freeze_time
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.messaging.models import MessageThread, ReportedChange
from caseworks.messaging.services import (
    message_send_from_client,
    message_threads_escalate,
    reported_change_submit_from_client,
)
from caseworks.payments.models import CircumstancesChange
from caseworks.payments.tests.builders import active_case

from .conftest import assert_accessible, login, pass_second_factor, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _applicant(case: Any) -> Any:
    return case.members.get(role="applicant").person


def test_staff_sees_a_client_message_on_home_and_case_and_answers_it(
    page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal")
    case = active_case(partner=partner, actor=worker, first_name="Karim", last_name="Haddad")
    message_send_from_client(
        person=_applicant(case), benefit_unit=case, body="My cheque did not come this month."
    )

    login(page, base, worker.username, TEST_PASSWORD)
    expect(page.locator("#client-messages-count")).to_have_text("1")
    assert_accessible(page, "home with a client message")
    page.get_by_role("link", name="Team inbox").click()
    expect(page.locator("#waiting-threads")).to_contain_text(case.case_number)
    assert_accessible(page, "team inbox")

    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_role("link", name="Client online: messages, changes, proofs").click()
    expect(page.locator("#messages")).to_contain_text("My cheque did not come this month.")
    expect(page.locator("#reply-due")).to_be_visible()
    assert_accessible(page, "case messages")
    page.fill("#id_reply-body", "It was mailed on the 28th; we will reissue it if needed.")
    page.get_by_role("button", name="Send the answer").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#messages")).to_contain_text("It was mailed on the 28th")
    expect(page.locator("#reply-due")).to_have_count(0)
    assert_accessible(page, "answered")
    screenshot(page, "staff-client-message-answered")
    thread = MessageThread.objects.get(benefit_unit=case)
    assert thread.awaiting_reply_since is None
    page.goto(f"{base}/")
    expect(page.locator("#client-messages-count")).to_have_text("0")


def test_supervisor_sees_the_escalated_thread_in_french(
    page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    supervisor = UserFactory(
        role=Role.SUPERVISOR,
        delivery_partner=partner,
        first_name="Hélène",
        last_name="Roy",
    )
    case = active_case(partner=partner, actor=worker, first_name="Lise", last_name="Morin")
    page.goto(f"{base}/login/")  # the URLs load before the clock is frozen below
    with freeze_time("2026-12-18 10:00"):  # a Friday
        message_send_from_client(person=_applicant(case), benefit_unit=case, body="Allô?")
    with freeze_time("2026-12-23 07:30"):  # the Wednesday after: 2 business days passed
        assert message_threads_escalate().escalated == 1

    page.goto(f"{base}/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter", exact=True).click()
    pass_second_factor(page, supervisor.username)
    expect(page.locator("#client-messages-escalated")).to_contain_text("sans réponse dans le délai")
    assert_accessible(page, "supervisor home (fr)")
    page.goto(f"{base}/messaging/inbox/")
    expect(page.locator("#escalated-threads")).to_contain_text(case.case_number)
    expect(page.locator("h1")).to_contain_text("Boîte de réception")
    assert_accessible(page, "team inbox (fr)")
    page.locator("#escalated-threads").get_by_role("link", name=case.case_number).click()
    expect(page.locator("#escalated")).to_contain_text("Hélène Roy")
    assert_accessible(page, "escalated thread (fr)")


def test_caseworker_verifies_a_change_the_client_reported(
    page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    case = active_case(partner=partner, actor=worker, first_name="Ana", last_name="Roy")
    change = reported_change_submit_from_client(
        person=_applicant(case),
        benefit_unit=case,
        kind="address",
        changed_on=case.opened_on,
        address_line="44 Lakeshore Rd",
        city="Sudbury",
        postal_code="P3A 1A1",
        shelter_cost_cents=95_000,
    )
    versions = CircumstancesChange.objects.filter(benefit_unit=case).count()

    login(page, base, worker.username, TEST_PASSWORD)
    page.goto(f"{base}/messaging/changes/")
    expect(page.locator("#changes-to-verify")).to_contain_text(case.case_number)
    assert_accessible(page, "changes to verify")
    page.locator("#changes-to-verify").get_by_role("link", name=case.case_number).click()
    expect(page.locator("#changes")).to_contain_text("44 Lakeshore Rd")
    expect(page.locator("#changes")).to_contain_text("$950.00")
    assert_accessible(page, "reported change")
    page.get_by_label("Verified: record the change").check()
    page.fill(f"#id_decide-{change.pk}-reason", "New lease seen at the office")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#changes")).to_contain_text("New lease seen at the office")
    assert_accessible(page, "change verified")
    change.refresh_from_db()
    assert change.status == "verified"
    assert CircumstancesChange.objects.filter(benefit_unit=case).count() == versions + 1
    assert not ReportedChange.objects.filter(status="pending").exists()
