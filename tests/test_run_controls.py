"""Issue 12, part A: run controls, queue and concurrency, approvers, fault injection.

Each reproduction of the issue is a named test: bounded benefit months (web, API, the worker
job), no draft without its job, 4 partners preparing at once and 12 simultaneous releases
without a 500, the approver's signed list, the approver pool and the Ministry's fallback, and a
dry run whose worker dies (resumed, then failed visibly with an alert)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection, connections
from django.db.models import Count, Sum
from django.test import Client as DjangoClient
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import Task
from caseworks.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.payments import tasks as tasks_module
from caseworks.payments.constants import RunStatus
from caseworks.payments.controls import DRY_RUN_ALERT_TASK_KIND, payment_approver_set
from caseworks.payments.models import (
    CircumstancesChange,
    Payment,
    PaymentApprover,
    PaymentProfile,
    PaymentRun,
    PaymentRunAcknowledgement,
)
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import runs as runs_module
from caseworks.payments.tasks import (
    payment_dry_runs_resume,
    payment_run_dry_run_task,
    payment_run_prepare_queue,
    payment_run_release_task,
)
from caseworks.payments.tests.builders import active_case, payment_staff

JAN = dt.date(2026, 1, 1)


class Client(DjangoClient):
    """A browser or an API client: every POST carries a new idempotency key (the form's hidden
    field and the Idempotency-Key header), as the pages and the API require of money POSTs."""

    def post(  # type: ignore[override]
        self, path: str, data: Any = None, content_type: str = MULTIPART_CONTENT, **extra: Any
    ) -> Any:
        key = uuid.uuid4().hex
        extra.setdefault("HTTP_IDEMPOTENCY_KEY", key)
        if content_type == MULTIPART_CONTENT:
            data = {"idempotency_key": key, **(data or {})}
        return super().post(path, data, content_type, **extra)


@pytest.fixture
def client() -> Client:
    return Client()


def _current_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _jobs(task_name: str, run_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status::text FROM procrastinate_jobs WHERE task_name = %s "
            "AND (args->>'run_id')::bigint = %s ORDER BY id",
            [task_name, run_id],
        )
        return [row[0] for row in cursor.fetchall()]


def _cases(partner: Any, actor: Any, n: int, prefix: str = "Case") -> list[Any]:
    return [
        active_case(
            partner=partner,
            actor=actor,
            first_name=f"{prefix}{i}",
            last_name="Control",
            rent_cents=40_000 + 5_000 * i,
            bank=("004", "12345", f"{2000000 + i}") if i % 2 else None,
        )
        for i in range(n)
    ]


# --- Benefit months ---------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["1999-01", "2031-01", "9999-12"])
def test_months_bounded_prepare_refused_on_page_and_api(
    partner: Any, client: Any, settings: Any, month: str
) -> None:
    settings.PAYMENT_RUN_MONTHS_BOUNDED = True
    staff = payment_staff(partner)
    client.force_login(staff["supervisor"])
    page = client.post(reverse("payments:run_list"), {"benefit_month": month})
    assert page.status_code == 200
    assert "only for the current month" in page.content.decode()
    answer = client.post(
        "/api/payments/runs", {"benefit_month": month}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "benefit_month"
    assert answer.json()["detail"][0]["code"] == "month_out_of_range"
    with pytest.raises(ApplicationError) as exc:
        payment_run_prepare(
            acting_user=staff["supervisor"],
            delivery_partner=partner,
            benefit_month=dt.date(int(month[:4]), int(month[5:]), 1),
        )
    assert exc.value.field == "benefit_month"
    assert not PaymentRun.objects.exists()


def test_months_bounded_current_and_next_month_accepted(partner: Any, settings: Any) -> None:
    settings.PAYMENT_RUN_MONTHS_BOUNDED = True
    staff = payment_staff(partner)
    current = _current_month()
    run = payment_run_prepare(
        acting_user=staff["supervisor"], delivery_partner=partner, benefit_month=current
    )
    assert run.benefit_month == current
    with pytest.raises(ApplicationError):  # last month: only through recalculation
        payment_run_prepare(
            acting_user=staff["supervisor"],
            delivery_partner=DeliveryPartnerFactory(code="other"),
            benefit_month=current - relativedelta(months=1),
        )


def test_months_bounded_worker_job_of_9999_12_fails_safely_with_alert(partner: Any) -> None:
    """A run left from before the bound (9999-12 crashed the worker): the job records the
    refusal on the run, alerts the supervisors, and does not crash."""
    staff = payment_staff(partner)
    run = PaymentRun.objects.create(
        delivery_partner=partner,
        benefit_month=dt.date(9999, 12, 1),
        prepared_by=staff["caseworker"],
    )
    assert payment_run_dry_run_task(run_id=run.pk, user_id=staff["caseworker"].pk) == 0
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert run.dry_run_failed_at is not None
    assert "2100-12" in run.dry_run_error
    alerts = Task.objects.filter(kind=DRY_RUN_ALERT_TASK_KIND)
    assert {t.assigned_to_id for t in alerts} == {staff["supervisor"].pk, staff["supervisor2"].pk}
    assert AuditEvent.objects.filter(event_type="payment_run_dry_run_failed").count() == 1


# --- Queue: no orphan draft, clear answers ------------------------------------------------------


class _Refuses:
    def defer(self, **kwargs: Any) -> None:
        from procrastinate.exceptions import AlreadyEnqueued  # noqa: PLC0415

        raise AlreadyEnqueued("queueing lock taken")


def test_orphan_draft_impossible_when_enqueue_fails(
    partner: Any, client: Any, monkeypatch: Any
) -> None:
    staff = payment_staff(partner)
    monkeypatch.setattr(
        tasks_module.payment_run_dry_run_task, "configure", lambda **kwargs: _Refuses()
    )
    with pytest.raises(ConflictError):
        payment_run_prepare_queue(
            acting_user=staff["supervisor"], delivery_partner=partner, benefit_month=JAN
        )
    assert not PaymentRun.objects.exists()
    assert not AuditEvent.objects.filter(event_type="payment_run_prepared").exists()
    client.force_login(staff["supervisor"])
    page = client.post(reverse("payments:run_list"), {"benefit_month": "2026-01"})
    assert page.status_code == 200
    assert "already queued" in page.content.decode()
    answer = client.post(
        "/api/payments/runs", {"benefit_month": "2026-01"}, content_type="application/json"
    )
    assert answer.status_code == 409
    assert answer.json()["detail"][0]["code"] == "conflict"
    assert not PaymentRun.objects.exists()


def test_prepare_twice_answers_409_and_keeps_one_job(partner: Any, client: Any) -> None:
    staff = payment_staff(partner)
    client.force_login(staff["supervisor"])
    first = client.post(
        "/api/payments/runs", {"benefit_month": "2026-01"}, content_type="application/json"
    )
    assert first.status_code == 202
    again = client.post(
        "/api/payments/runs", {"benefit_month": "2026-01"}, content_type="application/json"
    )
    assert again.status_code == 409
    page = client.post(reverse("payments:run_list"), {"benefit_month": "2026-01"})
    assert page.status_code == 200
    assert "already queued" in page.content.decode()
    run = PaymentRun.objects.get()
    assert _jobs("payments.payment_run_dry_run", run.pk) == ["todo"]


def _threads(target: Any, n: int) -> list[Any]:
    results: list[Any] = [None] * n
    barrier = threading.Barrier(n)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = target(i)
        except Exception as exc:  # reported by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_four_partners_preparing_at_once_zero_500s() -> None:
    partners = [DeliveryPartnerFactory(code=f"p{i}", name=f"Partner {i}") for i in range(4)]
    supervisors = [UserFactory(role=Role.SUPERVISOR, delivery_partner=p) for p in partners]
    for p, s in zip(partners, supervisors, strict=True):
        _cases(p, s, 2, prefix=p.code)

    def prepare(i: int) -> tuple[int, int]:
        web, api = Client(), Client()
        web.force_login(supervisors[i])
        api.force_login(supervisors[i])
        page = web.post(reverse("payments:run_list"), {"benefit_month": "2026-01"})
        again = api.post(
            "/api/payments/runs", {"benefit_month": "2026-01"}, content_type="application/json"
        )
        return page.status_code, again.status_code

    results = _threads(prepare, 4)
    assert results == [(302, 409)] * 4, results
    for p in partners:
        run = PaymentRun.objects.get(delivery_partner=p)
        assert _jobs("payments.payment_run_dry_run", run.pk) == ["todo"]


def _approved_run(partner: Any, staff: dict[str, Any], n: int = 6) -> PaymentRun:
    _cases(partner, staff["caseworker"], n)
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    return payment_run_approve(acting_user=staff["supervisor"], run=run)


@pytest.mark.django_db(transaction=True)
def test_twelve_simultaneous_releases_zero_500s_one_release(partner: Any) -> None:
    staff = payment_staff(partner)
    run = _approved_run(partner, staff)

    def release(i: int) -> int:
        client = Client()
        client.force_login(staff["supervisor"] if i % 2 else staff["supervisor2"])
        if i < 6:
            return client.post(reverse("payments:run_release", args=[run.pk])).status_code
        return client.post(f"/api/payments/runs/{run.pk}/release").status_code

    results = _threads(release, 12)
    assert 500 not in results, results
    assert set(results[:6]) == {302}
    assert sorted(results[6:]).count(202) + sorted(results[6:]).count(409) == 6
    assert _jobs("payments.payment_run_release", run.pk) == ["todo"]
    # The worker runs the one job; a second run of the task (a repeated job) creates nothing.
    payment_run_release_task(run_id=run.pk, user_id=staff["supervisor"].pk)
    payment_run_release_task(run_id=run.pk, user_id=staff["supervisor2"].pk)
    run.refresh_from_db()
    assert run.status == RunStatus.RELEASED
    issued = Payment.objects.filter(run=run).aggregate(n=Count("id"), total=Sum("amount_cents"))
    assert issued["n"] == run.payment_count == 6
    assert issued["total"] == run.total_cents
    client = Client()
    client.force_login(staff["supervisor"])
    again = client.post(f"/api/payments/runs/{run.pk}/release")
    assert again.status_code == 409
    assert "already released" in again.json()["detail"][0]["message"]


# --- Run controls: the approver's signed list ---------------------------------------------------


def _run_with_failures(partner: Any, staff: dict[str, Any]) -> tuple[PaymentRun, Any, Any]:
    units = _cases(partner, staff["caseworker"], 4)
    broken, held = units[0], units[1]
    CircumstancesChange.objects.filter(benefit_unit=broken).delete()  # cannot be calculated
    PaymentProfile.objects.update_or_create(
        benefit_unit=held, defaults={"on_hold": True, "hold_reason": "Address unknown"}
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    return run, broken, held


def test_approval_refused_until_each_case_acknowledged_and_reviewed(partner: Any) -> None:
    staff = payment_staff(partner)
    run, broken, held = _run_with_failures(partner, staff)
    assert run.error_count == 1
    assert [h["benefit_unit"] for h in run.held_cases] == [held.pk]
    with pytest.raises(ApplicationError) as exc:
        payment_run_approve(acting_user=staff["supervisor"], run=run)
    assert exc.value.code == "unacknowledged"
    assert broken.case_number in exc.value.message
    assert held.case_number in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        payment_run_approve(acting_user=staff["supervisor"], run=run, acknowledged=[broken.pk])
    assert held.case_number in exc.value.message
    assert broken.case_number not in exc.value.message
    assert not PaymentRunAcknowledgement.objects.exists()  # a refused approval signs nothing
    with pytest.raises(ApplicationError) as exc:
        payment_run_approve(
            acting_user=staff["supervisor"], run=run, acknowledged=[broken.pk, held.pk]
        )
    assert exc.value.field == "reviewed"
    run = payment_run_approve(
        acting_user=staff["supervisor"], run=run, acknowledged=[broken.pk, held.pk], reviewed=True
    )
    assert run.status == RunStatus.APPROVED
    signed = PaymentRunAcknowledgement.objects.filter(run=run).order_by("benefit_unit_id")
    assert [(a.benefit_unit_id, a.kind, a.acknowledged_by_id) for a in signed] == sorted(
        [(broken.pk, "error", staff["supervisor"].pk), (held.pk, "held", staff["supervisor"].pk)]
    )
    assert all(a.acknowledged_at for a in signed)
    assert AuditEvent.objects.filter(event_type="payment_run_exceptions_acknowledged").exists()


def test_new_dry_run_resolves_and_clears_acknowledgements(partner: Any) -> None:
    staff = payment_staff(partner)
    run, broken, held = _run_with_failures(partner, staff)
    PaymentRunAcknowledgement.objects.create(
        run=run, benefit_unit=broken, kind="error", acknowledged_by=staff["supervisor"]
    )
    PaymentProfile.objects.filter(benefit_unit=held).update(on_hold=False)
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    assert run.held_cases == []
    assert not PaymentRunAcknowledgement.objects.filter(run=run).exists()


def test_run_page_lists_payees_offices_failures_and_asks_confirmation(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    run, broken, held = _run_with_failures(partner, staff)
    client.force_login(staff["supervisor"])
    url = reverse("payments:run_detail", args=[run.pk])
    page = client.get(url).content.decode()
    assert "2 cases are not paid by this run" in page
    assert broken.case_number in page
    assert held.case_number in page
    assert "Address unknown" in page
    assert "I have reviewed the 2 cases" in page
    assert "By office" in page
    assert page.count("Case2 Control") + page.count("Case3 Control") >= 2  # payees
    filtered = client.get(url, {"q": "Case3"}).content.decode()
    assert "Case3" in filtered
    assert "Case2 Control" not in filtered
    by_method = client.get(url, {"method": "cheque"}).content.decode()
    assert "Case2" in by_method
    assert "Case3 Control" not in by_method
    # No confirmation checkbox (the server checks it, not only the browser): refused.
    client.post(
        reverse("payments:run_approve", args=[run.pk]),
        {"acknowledged": [broken.pk, held.pk]},
    )
    run.refresh_from_db()
    assert run.status == RunStatus.DRY_RUN_COMPLETE
    client.post(
        reverse("payments:run_approve", args=[run.pk]),
        {"acknowledged": [broken.pk, held.pk], "reviewed": "on"},
    )
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED


# --- Approvers ------------------------------------------------------------------------------------


def test_only_supervisor_who_prepared_gets_run_approved_through_pool(
    partner: Any, client: Any
) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    caseworker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    admin = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)
    _cases(partner, caseworker, 2)
    run = payment_run_prepare(acting_user=supervisor, delivery_partner=partner, benefit_month=JAN)
    run = payment_run_dry_run(acting_user=supervisor, run=run)
    client.force_login(supervisor)
    page = client.get(reverse("payments:run_detail", args=[run.pk])).content.decode()
    assert "You prepared this run; another approver must approve it." in page
    with pytest.raises(ApplicationError, match="You prepared this run"):
        payment_run_approve(acting_user=supervisor, run=run)
    with pytest.raises(PermissionDeniedError):  # a caseworker is no approver by role
        payment_run_approve(acting_user=caseworker, run=run)
    # The partner administrator names the caseworker to the pool (page, audited).
    client.force_login(admin)
    client.post(reverse("payments:run_approvers"), {"user": caseworker.pk, "active": "1"})
    assert PaymentApprover.objects.filter(user=caseworker, active=True).exists()
    assert AuditEvent.objects.filter(event_type="payment_approver_changed").count() == 1
    client.force_login(caseworker)
    page = client.get(reverse("payments:run_detail", args=[run.pk])).content.decode()
    assert "Approve these figures" in page
    run = payment_run_approve(acting_user=caseworker, run=run)
    assert run.approved_by == caseworker
    # With a pool, a supervisor outside it is told why they may not act.
    other = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    with pytest.raises(PermissionDeniedError, match="named approvers"):
        payment_run_release(acting_user=other, run=run)
    run = payment_run_release(acting_user=caseworker, run=run)
    assert run.status == RunStatus.RELEASED


def test_ministry_finance_approver_is_the_fallback(partner: Any, other_partner: Any) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    _cases(partner, supervisor, 1)
    ministry = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)
    root = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None, is_superuser=True)
    with pytest.raises(PermissionDeniedError):
        payment_approver_set(
            acting_user=ministry, delivery_partner=None, user=ministry, active=True
        )
    payment_approver_set(acting_user=root, delivery_partner=None, user=ministry, active=True)
    run = payment_run_prepare(acting_user=supervisor, delivery_partner=partner, benefit_month=JAN)
    run = payment_run_dry_run(acting_user=supervisor, run=run)
    run = payment_run_approve(acting_user=ministry, run=run)
    assert run.status == RunStatus.APPROVED
    assert run.approved_by == ministry


def test_pool_is_managed_by_partner_admin_only(partner: Any, other_partner: Any) -> None:
    admin = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    stranger = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
    with pytest.raises(PermissionDeniedError):
        payment_approver_set(
            acting_user=supervisor, delivery_partner=partner, user=supervisor, active=True
        )
    with pytest.raises(ApplicationError, match="same delivery partner"):
        payment_approver_set(
            acting_user=admin, delivery_partner=partner, user=stranger, active=True
        )
    with pytest.raises(ApplicationError, match="handles payment runs"):
        payment_approver_set(acting_user=admin, delivery_partner=partner, user=admin, active=True)


# --- Fault injection: the dry run -----------------------------------------------------------------


def test_dry_run_exception_mid_chunk_then_rerun_totals_equal_no_payment_lost_or_doubled(
    partner: Any, monkeypatch: Any
) -> None:
    staff = payment_staff(partner)
    _cases(partner, staff["caseworker"], 7)
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    clean = payment_run_dry_run(acting_user=staff["caseworker"], run=run, chunk_size=3)
    expected = (clean.case_count, clean.payment_count, clean.total_cents)
    real_chunk = runs_module._dry_run_chunk
    calls = {"n": 0}

    def failing_chunk(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed mid-chunk")
        real_chunk(*args, **kwargs)

    monkeypatch.setattr(runs_module, "_dry_run_chunk", failing_chunk)
    with pytest.raises(RuntimeError):
        payment_run_dry_run(acting_user=staff["caseworker"], run=run, chunk_size=3)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT  # never approvable half-calculated
    with pytest.raises(ApplicationError):
        payment_run_approve(acting_user=staff["supervisor"], run=run)
    monkeypatch.setattr(runs_module, "_dry_run_chunk", real_chunk)
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run, chunk_size=3)
    assert (run.case_count, run.payment_count, run.total_cents) == expected
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    run = payment_run_release(acting_user=staff["supervisor"], run=run, chunk_size=2)
    run = payment_run_release(acting_user=staff["supervisor"], run=run, chunk_size=2)
    issued = Payment.objects.filter(benefit_month=JAN).aggregate(
        n=Count("id"), total=Sum("amount_cents"), cases=Count("benefit_unit", distinct=True)
    )
    assert issued["n"] == issued["cases"] == expected[1]
    assert issued["total"] == expected[2] == run.released_total_cents


def test_dry_run_killed_worker_is_resumed_then_failed_with_alert(partner: Any) -> None:
    staff = payment_staff(partner)
    _cases(partner, staff["caseworker"], 2)
    run = payment_run_prepare_queue(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )

    def worker_dies() -> None:
        # The worker took the job and was killed: 'doing' with no worker left.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE procrastinate_jobs SET status = 'doing', worker_id = NULL "
                "WHERE task_name = 'payments.payment_run_dry_run' AND status = 'todo'"
            )

    worker_dies()
    # A job running on a live worker (or waiting) is left alone until it is stalled.
    assert payment_dry_runs_resume(stalled_after=dt.timedelta(minutes=5)) == {
        "resumed": [],
        "failed": [],
    }
    assert payment_dry_runs_resume(stalled_after=dt.timedelta(0)) == {
        "resumed": [run.pk],
        "failed": [],
    }
    assert _jobs("payments.payment_run_dry_run", run.pk) == ["failed", "todo"]
    worker_dies()
    assert payment_dry_runs_resume(stalled_after=dt.timedelta(0)) == {
        "resumed": [],
        "failed": [run.pk],
    }
    run.refresh_from_db()
    assert run.dry_run_failed_at is not None
    assert "stopped twice" in run.dry_run_error
    alerts = Task.objects.filter(kind=DRY_RUN_ALERT_TASK_KIND)
    assert {t.assigned_to_id for t in alerts} == {staff["supervisor"].pk, staff["supervisor2"].pk}
    # Prepared again, the month is dry-run from the start and approved as usual.
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    assert run.dry_run_failed_at is None
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    assert run.status == RunStatus.DRY_RUN_COMPLETE
    assert run.payment_count == 2
