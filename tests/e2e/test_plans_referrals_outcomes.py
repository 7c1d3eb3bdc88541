"""Issue 6 in the browser: a participation agreement, a referral to an employment provider, the
provider accepting and reporting a job through its own API token, and the 1/3/6/12-month
follow-up tasks appearing as time passes (time travel with freezegun)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from freezegun import freeze_time
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.cases.models import Task
from caseworks.cases.services import case_status_change
from caseworks.cases.tests.factories import make_case
from caseworks.employment.models import EmploymentOutcome, Referral
from caseworks.employment.services import follow_up_tasks_raise
from caseworks.employment.tests.factories import ServiceProviderFactory, make_provider_user
from caseworks.plans.models import ParticipationAgreement

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_agreement_referral_provider_outcome_and_follow_ups(
    page: Page, live_server: Any, partner: Any, other_partner: Any
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal")
    case = make_case(
        partner=partner,
        caseworker=worker,
        first_name="Karim",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 6, 1),
    )
    case = case_status_change(acting_user=worker, benefit_unit=case, to_status="active")
    provider = ServiceProviderFactory(delivery_partner=partner, name="Northern Jobs Centre")
    ServiceProviderFactory(delivery_partner=partner, name="Another Agency")
    provider_user = make_provider_user(provider=provider, partner=partner)

    # The caseworker writes the participation agreement and refers the client.
    login(page, base, worker.username, TEST_PASSWORD)
    page.goto(f"{base}/plans/cases/{case.pk}/")
    assert_accessible(page, "case plans")
    page.locator("#agreement-create-form").get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "agreement")
    assert ParticipationAgreement.objects.filter(benefit_unit=case).count() == 1

    page.goto(f"{base}/employment/cases/{case.pk}/")
    assert_accessible(page, "employment services")
    form = page.locator("#referral-form")
    form.locator("#id_referral-provider").select_option(str(provider.pk))
    form.locator("#id_referral-purpose").fill("Job search support and resume help")
    form.locator("input[name='referral-information_shared']").first.check()
    form.locator("#id_referral-consent_given").check()
    form.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state("networkidle")
    referral = Referral.objects.get(benefit_unit=case)
    assert referral.status == "sent"
    expect(page.locator(f"#referral-{referral.pk}")).to_contain_text("Northern Jobs Centre")
    assert_accessible(page, "referral sent")

    # The provider, with its own token, sees only this referral, accepts it, reports a job.
    _token, raw = api_token_create(acting_user=provider_user, user=provider_user, name="agency")
    api = page.context.request
    headers = {"Authorization": f"Bearer {raw}"}
    listed = api.get(f"{base}/api/provider/referrals", headers=headers)
    assert listed.status == 200
    assert [r["id"] for r in listed.json()] == [referral.pk]
    assert api.get(f"{base}/api/cases/{case.pk}", headers=headers).status in (403, 404)
    accepted = api.post(
        f"{base}/api/provider/referrals/{referral.pk}/status",
        headers=headers,
        data={"to_status": "accepted", "note": "Intake booked"},
    )
    assert accepted.status == 200, accepted.text()
    start = dt.date(2026, 1, 5)
    reported = api.post(
        f"{base}/api/provider/referrals/{referral.pk}/outcomes",
        headers=headers,
        data={
            "employer": "Lakehead Logistics",
            "job_title": "Warehouse associate",
            "start_on": start.isoformat(),
            "hours_per_week": "37.5",
            "hourly_wage_cents": 1950,
            "permanence": "permanent",
            "has_benefits": True,
        },
    )
    assert reported.status in (200, 201), reported.text()
    outcome = EmploymentOutcome.objects.get(benefit_unit=case)
    assert outcome.hourly_wage_cents == 1950
    assert outcome.hours_per_week == 37.5

    # Time passes: each follow-up becomes a task on its due date, not before.
    due = {1: dt.date(2026, 2, 5), 3: dt.date(2026, 4, 5), 6: dt.date(2026, 7, 5)}
    due[12] = dt.date(2027, 1, 5)
    raised: list[int] = []
    for months, day in due.items():
        # Noon in Toronto: freezegun's times are UTC, and the due date is a Toronto date.
        with freeze_time(f"{day - dt.timedelta(days=1)} 17:00:00"):
            follow_up_tasks_raise()
        assert Task.objects.filter(kind__icontains="follow").count() == len(raised)
        with freeze_time(f"{day} 17:00:00"):
            follow_up_tasks_raise()
        raised.append(months)
        assert Task.objects.filter(kind__icontains="follow").count() == len(raised)
    titles = sorted(Task.objects.filter(kind__icontains="follow").values_list("title", flat=True))
    for months in (1, 3, 6, 12):
        assert any(title.startswith(f"{months}-month job follow-up") for title in titles)

    # The caseworker sees the job quality and the follow-up tasks.
    page.goto(f"{base}/employment/cases/{case.pk}/")
    expect(page.locator(f"#outcome-{outcome.pk}")).to_contain_text("Lakehead Logistics")
    expect(page.locator(f"#outcome-{outcome.pk}")).to_contain_text("37.5")
    page.goto(f"{base}/")
    expect(page.get_by_text("12-month job follow-up").first).to_be_visible()
    assert_accessible(page, "home with follow-up tasks")
    screenshot(page, "caseworker-home")
