"""Issue 15 in the browser, in English and French: a job opens the income report and the
eligibility review; the income report offers the month due and previews the next payment; the
home page counts what waits; tasks are handed to a colleague in bulk (select all) and the
colleague sees the notice; a newborn joins a case. Each journey counts its submits against its
budget (docs/step-budgets.md) and every page is scanned with axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import BenefitUnitMember, Task
from caseworks.cases.services import task_create
from caseworks.core.models import AuditEvent
from caseworks.payments.models import IncomeReport
from caseworks.payments.tests.builders import active_case

from .conftest import StaffDesk, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "fr"]


@pytest.fixture
def desk(staff_desk: StaffDesk) -> StaffDesk:
    return staff_desk


def follow(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _money_re(language: str) -> re.Pattern[str]:
    if language == "en":
        return re.compile(r"^\$\d[\d,]*\.\d\d$")
    return re.compile(r"^\d[\d\u00a0\u202f ]*,\d\d\u00a0\$$")


@pytest.mark.parametrize("language", LANGUAGES)
def test_job_outcome_opens_income_report_and_review_then_report_previews_next_payment(
    desk: Any, live_server: Any, partner: Any, language: str
) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Rosa")
    case = active_case(partner=partner, actor=worker, first_name="Amara", last_name="Okafor")
    page, steps = desk(worker, live_server.url, language)

    # 1. A full-time job at $21.50 an hour, 40 hours a week ($860 a week): one submit.
    page.goto(f"{live_server.url}/employment/cases/{case.pk}/")
    form = page.locator("#outcome-form")
    form.locator("#id_outcome-employer").fill("Maple Grocers")
    form.locator("#id_outcome-hours_per_week").fill("40")
    form.locator("#id_outcome-hourly_wage").fill("21.50" if language == "en" else "21,50")
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    steps.assert_within(submits=1, journey="record a job")
    assert steps.submits == 1
    kinds = set(Task.objects.filter(benefit_unit=case).values_list("kind", flat=True))
    assert kinds == {"job_income_report", "job_eligibility_review"}

    # 2. The caseworker's home page lists both tasks, in the page's language.
    page.goto(f"{live_server.url}/")
    tasks = page.locator("main")
    weekly = "$860.00" if language == "en" else "860,00\u00a0$"
    if language == "en":
        expect(tasks).to_contain_text(
            f"Income report: Amara Okafor started work at Maple Grocers ({weekly} a week)"
        )
        expect(tasks).to_contain_text("Eligibility review: Amara Okafor")
    else:
        expect(tasks).to_contain_text(
            "Déclaration de revenu : Amara Okafor a commencé à travailler chez Maple Grocers "
            f"({weekly} par semaine)"
        )
        expect(tasks).to_contain_text("Révision de l'admissibilité : Amara Okafor")
    assert_accessible(page, f"home with job tasks ({language})")

    # 3. The income report offers the month due and previews the next payment.
    steps.reset()
    page.goto(f"{live_server.url}/payments/cases/{case.pk}/income/")
    this_month = timezone.localdate().replace(day=1)
    due = (this_month - dt.timedelta(days=1)).replace(day=1)  # nothing is paid yet
    expect(page.locator("#id_income_month")).to_have_value(f"{due:%Y-%m}")
    options = page.locator("#id_person option")
    expect(options).to_have_count(1)  # the case's one member, no one else
    page.fill("#id_earnings", "3440.00" if language == "en" else "3440,00")
    follow(page, "#preview-next-payment")
    preview = page.locator("#next-payment")
    expect(preview).to_be_visible()
    expect(preview.locator("h2")).to_contain_text(f"{this_month:%Y-%m}")  # counted next month
    new_amount = preview.locator("#next-payment-new").inner_text().strip()
    assert _money_re(language).match(new_amount), new_amount
    expect(page.locator("#next-payment-explanation tbody tr").first).to_be_visible()
    assert not IncomeReport.objects.exists()  # a preview saves nothing
    assert_accessible(page, f"income report preview ({language})")
    follow(page, "#save-report")
    assert IncomeReport.objects.get(income_month=due).amount_cents == 344_000
    steps.assert_within(submits=2, journey="income report with a preview")
    assert steps.submits == 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_counters_then_bulk_hand_over_and_the_colleague_sees_the_notice(
    desk: Any, live_server: Any, partner: Any, language: str
) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner, first_name="Sam")
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Wen")
    colleague = UserFactory(
        role=Role.CASEWORKER, delivery_partner=partner, first_name="Chloé", last_name="Roy"
    )
    late = timezone.localdate() - dt.timedelta(days=3)
    titles = [f"Call the landlord {n}" for n in range(3)]
    for title in titles:
        task_create(acting_user=worker, title=title, due_on=late)
    page, steps = desk(supervisor, live_server.url, language)

    # The home page counts the team's overdue tasks; the counter leads to them.
    page.goto(f"{live_server.url}/")
    counter = page.locator("#counter-escalations a")
    expect(counter).to_contain_text("3")
    expect(page.locator("#counter-overrides")).to_be_visible()
    expect(page.locator("#counter-runs_to_approve")).to_be_visible()
    assert_accessible(page, f"supervisor home ({language})")
    steps.reset()
    follow(page, "#counter-escalations a")
    expect(page.locator("#task-table tbody tr")).to_have_count(3)
    assert_accessible(page, f"team task queue ({language})")

    # Nothing chosen: the error summary names the field, nothing changes.
    follow(page, "#bulk-assign")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Tasks:" if language == "en" else "Tâches :")
    assert_accessible(page, f"task queue errors ({language})")

    # Select all (a labelled checkbox), choose the colleague, assign: one more submit.
    page.get_by_label(
        "Select all tasks shown" if language == "en" else "Sélectionner toutes les tâches affichées"
    ).check()
    page.select_option("#id_assigned_to", str(colleague.pk))
    follow(page, "#bulk-assign")
    assert Task.objects.filter(assigned_to=colleague, assigned_by=supervisor).count() == 3
    steps.assert_within(submits=2, journey="hand the team's overdue tasks to a colleague")
    assert steps.submits == 2  # the refused try and the one that worked

    # The colleague sees the notice on their home page and marks it read.
    other, _steps = desk(colleague, live_server.url, language)
    notices = other.locator("#task-notices")
    expect(notices).to_contain_text(titles[0])
    expect(notices).to_contain_text("Sam")
    assert_accessible(other, f"colleague home with notices ({language})")
    follow(other, "#notices-seen")
    expect(other.locator("#task-notices")).to_have_count(0)


def test_newborn_joins_a_case_within_three_submits(
    desk: Any, live_server: Any, partner: Any
) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    case = active_case(partner=partner, actor=worker, first_name="Nadia", last_name="Roy")
    page, steps = desk(worker, live_server.url, "en")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    follow(page, f"a[href$='/clients/new/?add_to_case={case.pk}']")
    born = timezone.localdate() - dt.timedelta(days=3)
    page.fill("#id_first_name", "Léa")
    page.fill("#id_last_name", "Roy")
    page.fill("#id_date_of_birth", born.isoformat())
    page.locator("input[name='language_preference'][value='fr']").check()
    follow(page, "main form button[type='submit']")
    form = page.locator(f"form[action$='/cases/{case.pk}/members/']")
    form.locator("select[name='member-role']").select_option("dependant_child")
    form.locator("input[name='member-start_on']").fill(born.isoformat())
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    assert BenefitUnitMember.objects.filter(
        benefit_unit=case, person__first_name="Léa", start_on=born
    ).exists()
    assert_accessible(page, "case with the newborn")
    steps.assert_within(submits=3, journey="add a newborn to a case")
    assert steps.submits == 2


def test_bulk_tasks_done_and_case_reassignment_in_one_submit_each(
    desk: Any, live_server: Any, partner: Any
) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    other = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, last_name="Zed")
    case = active_case(partner=partner, actor=worker, first_name="Ivo", last_name="Roy")
    for n in range(4):
        task_create(acting_user=supervisor, title=f"Check file {n}", due_on=timezone.localdate())
    page, steps = desk(supervisor, live_server.url, "en")

    # Mark every task shown done: select all, one submit.
    page.goto(f"{live_server.url}/caseload/tasks/")
    page.get_by_label("Select all tasks shown").check()
    expect(page.locator("#task-table input[name='tasks']:checked")).to_have_count(4)
    follow(page, "#bulk-complete")
    assert not Task.objects.filter(assigned_to=supervisor, status="open").exists()
    expect(page.locator("#tasks-empty")).to_be_visible()
    assert_accessible(page, "task queue emptied")
    steps.assert_within(submits=1, journey="mark several tasks done")
    assert steps.submits == 1

    # Reassign the worker's case from their caseload page: one submit.
    page.goto(f"{live_server.url}/caseload/workers/{worker.pk}/")
    steps.reset()
    page.get_by_label("Select all cases shown").check()
    expect(page.locator(f"#select-case-{case.pk}")).to_be_checked()
    page.select_option("#id_caseworker", str(other.pk))
    follow(page, "#reassign-submit")
    case.refresh_from_db()
    assert case.caseworker_id == other.pk
    steps.assert_within(submits=1, journey="reassign a case")
    assert steps.submits == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_participation_agreement_printed_then_signed_on_screen(
    desk: Any, live_server: Any, partner: Any, language: str
) -> None:
    from caseworks.plans.constants import GoalCategory  # noqa: PLC0415
    from caseworks.plans.models import ParticipationAgreement  # noqa: PLC0415
    from caseworks.plans.services import (  # noqa: PLC0415
        participation_agreement_create,
        plan_goal_add,
    )

    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    case = active_case(partner=partner, actor=worker, first_name="Noor", last_name="Ali")
    person = case.members.get().person
    agreement = participation_agreement_create(
        acting_user=worker, benefit_unit=case, person=person, start_on=timezone.localdate()
    )
    plan_goal_add(
        acting_user=worker,
        agreement=agreement,
        category=GoalCategory.EMPLOYMENT,
        description="Find work in retail",
    )
    page, steps = desk(worker, live_server.url, language)
    page.goto(f"{live_server.url}/plans/{agreement.pk}/")
    assert_accessible(page, f"agreement page ({language})")

    # The printable agreement, in the page's language through the link.
    response = page.request.get(
        f"{live_server.url}/plans/{agreement.pk}/agreement.pdf?lang={language}"
    )
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"

    # On screen. English: drawn with the mouse. French: the keyboard alternative only.
    page.get_by_label("On screen" if language == "en" else "À l'écran", exact=True).check()
    if language == "en":
        page.locator("#signature-pad").scroll_into_view_if_needed()
        pad = page.locator("#signature-pad").bounding_box()
        assert pad is not None
        page.mouse.move(pad["x"] + 20, pad["y"] + 70)
        page.mouse.down()
        page.mouse.move(pad["x"] + 200, pad["y"] + 40, steps=8)
        page.mouse.move(pad["x"] + 320, pad["y"] + 100, steps=8)
        page.mouse.up()
        assert page.locator("#id_sign-signature").input_value().startswith("data:image/png")
    else:
        page.keyboard.press("Tab")  # the drawing is optional: no pointer needed
    page.fill("#id_sign-signed_by", "Noor Ali")
    page.locator("#id_sign-confirmed").check()
    follow(page, "#sign-submit")
    agreement = ParticipationAgreement.objects.get(pk=agreement.pk)
    assert agreement.status == "active"
    assert agreement.signature_method == "screen"
    assert agreement.signed_document is not None
    drawn = AuditEvent.objects.get(event_type="participation_agreement_signed").extra_data["drawn"]
    assert drawn is (language == "en")
    # Kept in the participant's language of service (English here), whatever the page's.
    assert agreement.signed_document.language == "en"
    expect(page.locator("#agreement-status")).to_contain_text(
        "Signed and in effect" if language == "en" else "Signée"
    )
    assert_accessible(page, f"agreement signed ({language})")
    steps.assert_within(submits=1, journey="sign a participation agreement on screen")
    assert steps.submits == 1
