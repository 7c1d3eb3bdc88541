from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import Task
from caseworks.cases.services import case_status_change
from caseworks.cases.tests.factories import make_case
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.employment.constants import ProviderKind, ReferralStatus
from caseworks.employment.models import OutcomeFollowUp, ServiceProvider
from caseworks.employment.services import (
    assistance_exit_record,
    employment_activity_record,
    employment_program_create,
    follow_up_provider_report,
    follow_up_record,
    follow_up_tasks_raise,
    ies_providers_load,
    outcome_provider_report,
    outcome_record,
    program_session_create,
    provider_account_create,
    referral_overdue_tasks_raise,
    referral_provider_respond,
    referral_send,
    referral_status_change,
    session_attendance_record,
)
from caseworks.employment.tests.factories import ServiceProviderFactory, make_provider_user
from caseworks.plans.tests.factories import applicant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    with freeze_time("2026-01-05 12:00"):
        return make_case(partner=partner, caseworker=caseworker)


@pytest.fixture
def provider() -> ServiceProvider:
    return ServiceProviderFactory()


def _send(case: Any, caseworker: Any, provider: Any, **kw: Any) -> Any:
    return referral_send(
        acting_user=caseworker,
        benefit_unit=case,
        person=applicant_of(case),
        provider=provider,
        purpose="Job search support",
        consent_given=True,
        information_shared=["contact", "employment_history"],
        **kw,
    )


def _job(actor: Any, case: Any, **kw: Any) -> Any:
    data = {
        "acting_user": actor,
        "benefit_unit": case,
        "person": applicant_of(case),
        "employer": "Maple Grocers",
        "start_on": dt.date(2026, 1, 12),
        "hours_per_week": Decimal("24.50"),
        "hourly_wage_cents": 1800,
        "permanence": "permanent",
        "has_benefits": False,
    }
    data.update(kw)
    return outcome_record(**data)


def test_ies_providers_load_creates_one_provider_per_catchment_when_run_twice() -> None:
    first = ies_providers_load()
    assert first == 15  # one per row of data/ies_catchments.csv
    assert ies_providers_load() == 0
    peel = ServiceProvider.objects.get(catchment="Peel")
    assert peel.delivery_partner is None
    assert "Employment Services Transformation" in peel.source
    assert ".csv" not in peel.source  # words for users, not the file it came from
    names = list(ServiceProvider.objects.values_list("name", flat=True))
    assert not [name for name in names if "secondary source" in name]
    assert "WCG Services" in ServiceProvider.objects.get(catchment="Toronto").name


def test_ies_providers_load_drops_the_source_note_from_names_loaded_before() -> None:
    ServiceProvider.objects.create(
        kind=ProviderKind.IES_SERVICE_SYSTEM_MANAGER,
        catchment="Toronto",
        name="WCG Services [secondary source only]",
        source="Integrated Employment Services (caseworks/employment/data/ies_catchments.csv)",
    )
    ies_providers_load()
    toronto = ServiceProvider.objects.get(catchment="Toronto")
    assert toronto.name == "WCG Services"
    assert ".csv" not in toronto.source


def test_referral_send_refuses_when_consent_not_given(
    case: Any, caseworker: Any, provider: Any
) -> None:
    with pytest.raises(ApplicationError) as err:
        referral_send(
            acting_user=caseworker,
            benefit_unit=case,
            person=applicant_of(case),
            provider=provider,
            purpose="x",
            consent_given=False,
            information_shared=["contact"],
        )
    assert err.value.code == "consent_required"
    assert not case.referrals.exists()


def test_referral_send_records_due_date_and_history_when_valid(
    case: Any, caseworker: Any, provider: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        referral = _send(case, caseworker, provider, expected_response_days=7)
    assert referral.response_due_on == dt.date(2026, 1, 12)
    assert list(referral.status_changes.values_list("to_status", flat=True)) == ["sent"]
    assert AuditEvent.objects.filter(event_type="referral_sent", benefit_unit_id=case.pk).exists()


def test_referral_send_refuses_provider_of_another_partners_directory(
    case: Any, caseworker: Any, other_partner: Any
) -> None:
    foreign = ServiceProviderFactory(delivery_partner=other_partner)
    with pytest.raises(ApplicationError) as err:
        _send(case, caseworker, foreign)
    assert err.value.field == "provider"


def test_referral_status_change_refuses_when_transition_not_allowed(
    case: Any, caseworker: Any, provider: Any
) -> None:
    referral = _send(case, caseworker, provider)
    with pytest.raises(ApplicationError) as err:
        referral_status_change(acting_user=caseworker, referral=referral, to_status="completed")
    assert err.value.code == "invalid_transition"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.responded_at is None


def test_referral_provider_respond_sets_responded_at_when_provider_accepts(
    case: Any, caseworker: Any, provider: Any, partner: Any
) -> None:
    referral = _send(case, caseworker, provider)
    provider_user = make_provider_user(provider=provider, partner=partner)
    accepted = referral_provider_respond(
        acting_user=provider_user, referral=referral, to_status="accepted"
    )
    assert accepted.status == "accepted"
    assert accepted.responded_at is not None
    last = accepted.status_changes.last()
    assert last is not None
    assert last.channel == "api"


def test_referral_provider_respond_refuses_when_referral_sent_to_another_provider(
    case: Any, caseworker: Any, provider: Any, partner: Any
) -> None:
    referral = _send(case, caseworker, provider)
    stranger = make_provider_user(provider=ServiceProviderFactory(), partner=partner)
    with pytest.raises(ApplicationError) as err:
        referral_provider_respond(acting_user=stranger, referral=referral, to_status="accepted")
    assert err.value.code == "not_found"


def test_referral_overdue_tasks_raise_creates_one_task_when_response_time_passed(
    case: Any, caseworker: Any, provider: Any, partner: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        referral = _send(case, caseworker, provider, expected_response_days=10)
    with freeze_time("2026-01-15 12:00"):  # the due date itself: still in time
        assert referral_overdue_tasks_raise().created == 0
    with freeze_time("2026-01-16 12:00"):
        assert referral_overdue_tasks_raise().created == 1
        assert referral_overdue_tasks_raise().created == 0
        call_command("raise_employment_tasks")
    task = Task.objects.get(benefit_unit=case, kind="referral_no_response")
    assert task.assigned_to == caseworker
    assert provider.name in task.title
    # The provider answers: the task closes itself.
    provider_user = make_provider_user(provider=provider, partner=partner)
    referral_provider_respond(
        acting_user=provider_user, referral=referral, to_status="declined", note="Full"
    )
    task.refresh_from_db()
    assert task.status == "done"


def test_outcome_record_snapshots_minimum_wage_and_derives_full_time(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        part_time = _job(caseworker, case, hourly_wage_cents=1700)
        full_time = _job(caseworker, case, hours_per_week=Decimal("30"), employer="B Ltd")
    assert part_time.minimum_wage_cents == 1760  # from 2025-10-01
    assert part_time.below_minimum_wage is True
    assert part_time.is_full_time is False
    assert full_time.is_full_time is True
    assert full_time.below_minimum_wage is False
    assert full_time.weekly_earnings_cents == 54000
    assert "O. Reg. 285/01" in part_time.minimum_wage_source


def test_outcome_record_refuses_float_hours(case: Any, caseworker: Any) -> None:
    with pytest.raises(ApplicationError) as err:
        _job(caseworker, case, hours_per_week=24.5)
    assert err.value.field == "hours_per_week"


def test_follow_up_tasks_raise_creates_tasks_at_1_3_6_12_months(case: Any, caseworker: Any) -> None:
    with freeze_time("2026-01-05 12:00"):
        outcome = _job(caseworker, case)  # starts 2026-01-12
    due = list(outcome.follow_ups.values_list("months_after_start", "due_on"))
    assert due == [
        (1, dt.date(2026, 2, 12)),
        (3, dt.date(2026, 4, 12)),
        (6, dt.date(2026, 7, 12)),
        (12, dt.date(2027, 1, 12)),
    ]
    expected_by = [
        ("2026-02-11 12:00", 0),
        ("2026-02-12 12:00", 1),
        ("2026-04-11 12:00", 1),
        ("2026-04-12 12:00", 2),
        ("2026-07-12 12:00", 3),
        ("2027-01-11 12:00", 3),
        ("2027-01-12 12:00", 4),
    ]
    for moment, total in expected_by:
        with freeze_time(moment):
            follow_up_tasks_raise()
            follow_up_tasks_raise()  # idempotent
        assert Task.objects.filter(kind="employment_follow_up").count() == total, moment


def test_follow_up_record_completes_task_and_keeps_hours_and_wage(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        outcome = _job(caseworker, case)
    with freeze_time("2026-02-12 12:00"):
        follow_up_tasks_raise()
        one_month = outcome.follow_ups.get(months_after_start=1)
        recorded = follow_up_record(
            acting_user=caseworker,
            follow_up=one_month,
            still_employed=True,
            hours_per_week="32",
            hourly_wage_cents=1850,
        )
    assert recorded.hours_per_week == Decimal("32")
    assert recorded.task is not None
    recorded.task.refresh_from_db()
    assert recorded.task.status == "done"
    with freeze_time("2026-02-12 12:00"), pytest.raises(ApplicationError) as err:
        follow_up_record(
            acting_user=caseworker,
            follow_up=outcome.follow_ups.get(months_after_start=12),
            still_employed=True,
            hours_per_week="30",
            hourly_wage_cents=1800,
        )
    assert err.value.code == "not_due"


def test_outcome_provider_report_refuses_when_referral_not_accepted(
    case: Any, caseworker: Any, provider: Any, partner: Any
) -> None:
    referral = _send(case, caseworker, provider)
    provider_user = make_provider_user(provider=provider, partner=partner)
    kwargs = {
        "acting_user": provider_user,
        "referral": referral,
        "employer": "Maple",
        "start_on": dt.date(2026, 1, 12),
        "hours_per_week": "35",
        "hourly_wage_cents": 1900,
        "permanence": "temporary",
        "has_benefits": True,
    }
    with pytest.raises(ApplicationError):
        outcome_provider_report(**kwargs)
    referral_provider_respond(acting_user=provider_user, referral=referral, to_status="accepted")
    with freeze_time("2026-01-05 12:00"):
        outcome = outcome_provider_report(**kwargs)
    assert outcome.channel == "api"
    assert outcome.follow_ups.count() == 4
    with freeze_time("2026-02-12 12:00"):
        done = follow_up_provider_report(
            acting_user=provider_user,
            follow_up=outcome.follow_ups.get(months_after_start=1),
            still_employed=False,
        )
    assert done.still_employed is False


def test_assistance_exit_record_closes_case_through_status_change(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        active = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
        outcome = _job(caseworker, active)
    with freeze_time("2026-02-01 12:00"):
        exit_record = assistance_exit_record(
            acting_user=caseworker,
            benefit_unit=active,
            reason="employment",
            exit_on=dt.date(2026, 2, 1),
            outcome=outcome,
        )
    active.refresh_from_db()
    assert active.status == "closed"
    assert active.status_changes.first().reason.startswith("Exit from assistance: Employment")
    assert exit_record.outcome == outcome
    assert AuditEvent.objects.filter(event_type="assistance_exit_recorded").count() == 1


def test_assistance_exit_record_refuses_when_role_cannot_change_status(
    case: Any, users: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDeniedError):
        assistance_exit_record(
            acting_user=users[Role.EMPLOYMENT_CASEWORKER],
            benefit_unit=case,
            reason="employment",
            exit_on=dt.date(2026, 2, 1),
        )


def test_session_attendance_record_refuses_when_session_is_full(
    partner: Any, caseworker: Any
) -> None:
    program = employment_program_create(
        acting_user=caseworker, name="Résumé clinic", kind="workshop"
    )
    session = program_session_create(
        acting_user=caseworker,
        program=program,
        starts_at=dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 2, 16, tzinfo=dt.UTC),
        capacity=1,
    )
    first = make_case(partner=partner, caseworker=caseworker)
    second = make_case(partner=partner, caseworker=caseworker)
    session_attendance_record(
        acting_user=caseworker, session=session, benefit_unit=first, person=applicant_of(first)
    )
    with pytest.raises(ApplicationError) as err:
        session_attendance_record(
            acting_user=caseworker,
            session=session,
            benefit_unit=second,
            person=applicant_of(second),
        )
    assert err.value.code == "session_full"
    # Marking the registered person as attended does not need another seat.
    attended = session_attendance_record(
        acting_user=caseworker,
        session=session,
        benefit_unit=first,
        person=applicant_of(first),
        status="attended",
    )
    assert attended.status == "attended"


def test_employment_activity_record_keeps_kind_and_dates(case: Any, caseworker: Any) -> None:
    activity = employment_activity_record(
        acting_user=caseworker,
        benefit_unit=case,
        person=applicant_of(case),
        kind="training",
        description="Forklift certification",
        start_on=dt.date(2026, 2, 1),
        end_on=dt.date(2026, 2, 20),
    )
    assert activity.get_kind_display() == "Training enrolment"


def test_provider_account_create_refuses_when_user_is_not_a_provider_login(
    users: dict[str, Any], provider: Any, partner: Any
) -> None:
    admin = users[Role.PARTNER_ADMIN]
    with pytest.raises(ApplicationError):
        provider_account_create(acting_user=admin, provider=provider, user=users[Role.CASEWORKER])
    login = UserFactory(role=Role.PROVIDER, delivery_partner=partner)
    account = provider_account_create(acting_user=admin, provider=provider, user=login)
    assert account.provider == provider


def test_follow_up_due_rows_exist_once_per_interval(case: Any, caseworker: Any) -> None:
    with freeze_time("2026-01-05 12:00"):
        _job(caseworker, case)
    assert OutcomeFollowUp.objects.count() == 4


def test_employment_periodic_jobs_call_the_services_daily(
    case: Any, caseworker: Any, provider: Any
) -> None:
    from procrastinate.contrib.django import app  # noqa: PLC0415

    from caseworks.employment.tasks import (  # noqa: PLC0415
        follow_up_tasks_raise_task,
        referral_overdue_tasks_raise_task,
    )

    periodic = {p.task.name for p in app.periodic_registry.periodic_tasks.values()}
    assert {
        "employment.referral_overdue_tasks_raise",
        "employment.follow_up_tasks_raise",
    } <= periodic
    with freeze_time("2026-01-05 12:00"):
        _send(case, caseworker, provider, expected_response_days=1)
        _job(caseworker, case)
    with freeze_time("2026-02-12 12:00"):
        assert referral_overdue_tasks_raise_task(timestamp=0) == 1
        assert follow_up_tasks_raise_task(timestamp=0) == 1


def test_outcome_record_opens_income_report_and_eligibility_review_tasks_when_case_active(
    case: Any, caseworker: Any, users: dict[str, Any]
) -> None:
    supervisor = users["supervisor"]
    with freeze_time("2026-01-05 12:00"):
        active = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
        before = AuditEvent.objects.filter(event_type="task_created").count()
        _job(supervisor, active, hours_per_week=Decimal("40"), hourly_wage_cents=2150)
    tasks = {t.kind: t for t in Task.objects.filter(benefit_unit=active)}
    assert set(tasks) == {"job_income_report", "job_eligibility_review"}
    report, review = tasks["job_income_report"], tasks["job_eligibility_review"]
    assert report.assigned_to == caseworker  # the case's caseworker, not who recorded the job
    assert review.assigned_to == caseworker
    assert report.due_on == dt.date(2026, 2, 1)  # January's earnings are complete on Feb 1
    assert review.due_on == dt.date(2026, 1, 15)
    assert "$860.00 a week" in report.title
    assert "2026-01" in report.title
    assert "2026-02 payment" in report.title
    assert "still eligible" in review.title
    assert AuditEvent.objects.filter(event_type="task_created").count() == before + 2


def test_outcome_record_opens_no_job_tasks_when_case_not_active(case: Any, caseworker: Any) -> None:
    with freeze_time("2026-01-05 12:00"):
        _job(caseworker, case)  # the case is still pending
    assert not Task.objects.filter(benefit_unit=case).exists()


def test_outcome_provider_report_opens_job_tasks_for_the_caseworker(
    case: Any, caseworker: Any, provider: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        active = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
        referral = _send(active, caseworker, provider)
        provider_user = make_provider_user(provider=provider, partner=active.delivery_partner)
        referral_provider_respond(
            acting_user=provider_user, referral=referral, to_status="accepted"
        )
        outcome_provider_report(
            acting_user=provider_user,
            referral=referral,
            employer="Maple Grocers",
            start_on=dt.date(2026, 1, 12),
            hours_per_week="35",
            hourly_wage_cents=2000,
            permanence="permanent",
            has_benefits=True,
        )
    kinds = set(
        Task.objects.filter(benefit_unit=active, assigned_to=caseworker).values_list(
            "kind", flat=True
        )
    )
    assert {"job_income_report", "job_eligibility_review"} <= kinds


def test_outcome_record_cuts_long_job_task_titles_to_fit_when_names_are_long(
    case: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        active = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
        _job(caseworker, active, employer="Northern Ontario Regional Logistics " * 5)
    titles = list(Task.objects.filter(benefit_unit=active).values_list("title", flat=True))
    assert len(titles) == 2
    assert all(len(t) <= 200 for t in titles)
    assert all(t.endswith("…") for t in titles)
