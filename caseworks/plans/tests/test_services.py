from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.cases.models import Task
from caseworks.cases.services import benefit_unit_member_add
from caseworks.cases.tests.factories import make_case
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.plans.constants import AgreementStatus, DeferralReason, GoalCategory
from caseworks.plans.models import PlanReview
from caseworks.plans.services import (
    participation_agreement_create,
    participation_agreement_review_record,
    participation_agreement_sign,
    participation_deferral_record,
    plan_activity_add,
    plan_goal_add,
    plan_review_tasks_raise,
)
from caseworks.plans.tests.factories import applicant_of, make_signed_agreement

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    with freeze_time("2026-01-05 12:00"):
        return make_case(partner=partner, caseworker=caseworker)


def test_participation_agreement_sign_schedules_first_review_30_days_after_start(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        agreement = make_signed_agreement(benefit_unit=case, user=caseworker, start_on=START)
    assert agreement.status == AgreementStatus.ACTIVE
    review = PlanReview.objects.get(agreement=agreement)
    assert review.due_on == dt.date(2026, 2, 4)  # Directive 2.5: 30 days
    assert AuditEvent.objects.filter(
        event_type="participation_agreement_signed", benefit_unit_id=case.pk
    ).exists()


def test_participation_agreement_review_record_schedules_next_review_3_months_later(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        agreement = make_signed_agreement(benefit_unit=case, user=caseworker, start_on=START)
    with freeze_time("2026-02-04 12:00"):
        done = participation_agreement_review_record(
            acting_user=caseworker, agreement=agreement, reviewed_on=dt.date(2026, 2, 4), notes="ok"
        )
    assert done.reviewed_on == dt.date(2026, 2, 4)
    pending = PlanReview.objects.get(agreement=agreement, reviewed_on__isnull=True)
    assert pending.due_on == dt.date(2026, 5, 4)


def test_participation_agreement_create_refuses_when_person_is_a_child(
    case: Any, caseworker: Any, partner: Any
) -> None:
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2018, 1, 1))
    with freeze_time("2026-01-05 12:00"):
        benefit_unit_member_add(
            acting_user=caseworker,
            benefit_unit=case,
            person=child,
            role="dependant_child",
            start_on=START,
        )
        with pytest.raises(ApplicationError) as err:
            participation_agreement_create(
                acting_user=caseworker, benefit_unit=case, person=child, start_on=START
            )
    assert err.value.field == "person"


def test_participation_agreement_create_refuses_second_open_agreement_when_one_exists(
    case: Any, caseworker: Any
) -> None:
    person = applicant_of(case)
    participation_agreement_create(
        acting_user=caseworker, benefit_unit=case, person=person, start_on=START
    )
    with pytest.raises(ApplicationError) as err:
        participation_agreement_create(
            acting_user=caseworker, benefit_unit=case, person=person, start_on=START
        )
    assert err.value.code == "agreement_exists"


def test_participation_agreement_create_refuses_when_role_lacks_capability(
    case: Any, users: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDeniedError):
        participation_agreement_create(
            acting_user=users[Role.INTAKE_CLERK],
            benefit_unit=case,
            person=applicant_of(case),
            start_on=START,
        )


def test_participation_agreement_create_refuses_when_case_is_another_partners(
    case: Any, other_caseworker: Any
) -> None:
    with pytest.raises(ApplicationError):
        participation_agreement_create(
            acting_user=other_caseworker,
            benefit_unit=case,
            person=applicant_of(case),
            start_on=START,
        )


def test_participation_agreement_sign_refuses_when_no_goal(case: Any, caseworker: Any) -> None:
    agreement = participation_agreement_create(
        acting_user=caseworker, benefit_unit=case, person=applicant_of(case), start_on=START
    )
    with pytest.raises(ApplicationError) as err:
        participation_agreement_sign(
            acting_user=caseworker, agreement=agreement, signed_on=START, signed_by="Client"
        )
    assert err.value.field == "goals"
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_plan_activity_add_records_dates_and_responsible_party_when_valid(
    case: Any, caseworker: Any
) -> None:
    agreement = participation_agreement_create(
        acting_user=caseworker, benefit_unit=case, person=applicant_of(case), start_on=START
    )
    goal = plan_goal_add(
        acting_user=caseworker,
        agreement=agreement,
        category=GoalCategory.IDENTIFICATION,
        description="Replace health card",
    )
    activity = plan_activity_add(
        acting_user=caseworker,
        agreement=agreement,
        goal=goal,
        description="Book ServiceOntario visit",
        start_on=START,
        end_on=dt.date(2026, 1, 20),
        responsible_party="participant",
    )
    assert activity.goal == goal
    with pytest.raises(ApplicationError) as err:
        plan_activity_add(
            acting_user=caseworker,
            agreement=agreement,
            description="x",
            start_on=START,
            end_on=dt.date(2026, 1, 1),
            responsible_party="participant",
        )
    assert err.value.field == "end_on"


def test_participation_deferral_record_requires_details_when_reason_is_other_exceptional(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        agreement = make_signed_agreement(benefit_unit=case, user=caseworker, start_on=START)
    with pytest.raises(ApplicationError) as err:
        participation_deferral_record(
            acting_user=caseworker,
            agreement=agreement,
            reason=DeferralReason.OTHER_EXCEPTIONAL,
            start_on=START,
        )
    assert err.value.code == "details_required"
    deferral = participation_deferral_record(
        acting_user=caseworker,
        agreement=agreement,
        reason=DeferralReason.CAREGIVER,
        start_on=START,
        end_on=dt.date(2026, 6, 30),
        details="Caring for a parent",
    )
    assert deferral.reason == "caregiver"


def test_participation_deferral_record_refuses_age_65_when_participant_is_younger(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        agreement = make_signed_agreement(benefit_unit=case, user=caseworker, start_on=START)
    with pytest.raises(ApplicationError) as err:
        participation_deferral_record(
            acting_user=caseworker,
            agreement=agreement,
            reason=DeferralReason.AGE_65_PLUS,
            start_on=START,
        )
    assert err.value.field == "reason"


def test_plan_review_tasks_raise_creates_one_task_only_when_review_is_overdue(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        agreement = make_signed_agreement(benefit_unit=case, user=caseworker, start_on=START)
    # Due 2026-02-04: not overdue on the due date itself.
    with freeze_time("2026-02-04 12:00"):
        assert plan_review_tasks_raise().created == 0
    with freeze_time("2026-02-05 12:00"):
        assert plan_review_tasks_raise().created == 1
        assert plan_review_tasks_raise().created == 0  # idempotent
        call_command("raise_plan_review_tasks")  # the command is idempotent too
    tasks = Task.objects.filter(benefit_unit=case, kind="plan_review")
    assert tasks.count() == 1
    task = tasks.get()
    assert task.assigned_to == caseworker
    assert task.due_on == dt.date(2026, 2, 4)
    # Recording the review completes the task and schedules the next one, 3 months on.
    with freeze_time("2026-02-06 12:00"):
        participation_agreement_review_record(
            acting_user=caseworker,
            agreement=agreement,
            reviewed_on=dt.date(2026, 2, 6),
            notes="Met",
        )
    task.refresh_from_db()
    assert task.status == "done"
    with freeze_time("2026-05-06 12:00"):
        assert plan_review_tasks_raise().created == 0
    with freeze_time("2026-05-07 12:00"):
        assert plan_review_tasks_raise().created == 1
    assert Task.objects.filter(benefit_unit=case, kind="plan_review").count() == 2


def test_plan_review_tasks_raise_task_is_a_daily_periodic_job_calling_the_service(
    case: Any, caseworker: Any
) -> None:
    from procrastinate.contrib.django import app  # noqa: PLC0415

    from caseworks.plans.tasks import plan_review_tasks_raise_task  # noqa: PLC0415

    periodic = {p.task.name: p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert periodic["plans.plan_review_tasks_raise"] == "15 6 * * *"
    with freeze_time("2026-01-05 12:00"):
        make_signed_agreement(benefit_unit=case, user=caseworker, start_on=START)
    with freeze_time("2026-02-05 12:00"):
        assert plan_review_tasks_raise_task(timestamp=0) == 1
        assert plan_review_tasks_raise_task(timestamp=0) == 0
