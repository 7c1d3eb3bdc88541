# ruff: noqa: PLC0415  # Django models can only be imported after bench_database() sets Django up
"""Caseload views at province scale: `make bench`, or
`tools/with-test-postgres.sh .venv/bin/python bench/caseload.py [--cases N] [--requests N]`.

Builds the synthetic 300,000-case caseload with bench/dataset.py (reused, not duplicated), then
adds what the caseload flags look at (SYNTHETIC, for the benchmark only):

* a caseworker of the largest delivery partner who holds 150 open cases,
* on those 150 cases: 30 unanswered referrals past their response date, 30 signed participation
  agreements with an overdue review, 20 jobs with a due follow-up,
* across the rest of the partner: 20,000 referrals and 10,000 agreements with pending reviews,
  so the flag subqueries run against realistic table sizes,

and times full requests to the real pages through Django's test client, in process: the number
is the server time (URL routing, middleware, selectors, SQL, template rendering), not the
network. Prints p50 / p95 / max in milliseconds for:

* the worker's caseload page (/caseload/) — goal p95 < 200 ms,
* the same page filtered to "referral without response",
* the supervisor's overview (/caseload/supervisor/) for the largest partner.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from typing import Any

from dataset import DEFAULT_CASES, bench_database, generate_caseload

GOAL_P95_MS = 200.0
WORKER_CASES = 150


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):6.1f} ms   p95 {_percentile(values, 0.95):6.1f} ms   "
        f"max {max(values):6.1f} ms   (n={len(values)})"
    )


def _seed_flags(partner_id: int, worker: Any, owner: Any, today: dt.date) -> None:
    """Synthetic referrals, agreements, reviews and jobs (bulk_create: set-up only)."""
    from django.db import transaction

    from caseworks.cases.models import BenefitUnit, BenefitUnitMember
    from caseworks.employment.constants import ProviderKind, ReferralStatus
    from caseworks.employment.models import (
        EmploymentOutcome,
        OutcomeFollowUp,
        Referral,
        ServiceProvider,
    )
    from caseworks.plans.constants import AgreementStatus
    from caseworks.plans.models import ParticipationAgreement, PlanReview

    open_statuses = ["active", "pending", "suspended"]
    with transaction.atomic():
        provider = ServiceProvider.objects.create(
            name="Bench Synthetic Employment Agency",
            kind=ProviderKind.EMPLOYMENT_ONTARIO,
            source="SYNTHETIC benchmark record",
        )
        mine = list(
            BenefitUnit.objects.filter(delivery_partner_id=partner_id, status__in=open_statuses)
            .order_by("id")
            .values_list("id", flat=True)[:WORKER_CASES]
        )
        BenefitUnit.objects.filter(id__in=mine).update(caseworker=worker)
        others = list(
            BenefitUnit.objects.filter(delivery_partner_id=partner_id, status__in=open_statuses)
            .exclude(id__in=mine)
            .order_by("id")
            .values_list("id", flat=True)[:20_000]
        )
        applicant = dict(
            BenefitUnitMember.objects.filter(
                benefit_unit_id__in=mine + others, role="applicant", end_on__isnull=True
            ).values_list("benefit_unit_id", "person_id")
        )
        past = today - dt.timedelta(days=40)
        referrals = [
            Referral(
                benefit_unit_id=case_id,
                person_id=applicant[case_id],
                provider=provider,
                purpose="SYNTHETIC",
                consent_given=True,
                consent_recorded_on=past,
                information_shared=["contact"],
                status=ReferralStatus.SENT if i % 2 == 0 else ReferralStatus.ACCEPTED,
                sent_on=past,
                expected_response_days=10,
                response_due_on=past + dt.timedelta(days=10),
                referred_by=owner,
            )
            for i, case_id in enumerate(mine[:60] + others)
            if case_id in applicant
        ]
        Referral.objects.bulk_create(referrals, batch_size=5_000)
        agreements = [
            ParticipationAgreement(
                benefit_unit_id=case_id,
                person_id=applicant[case_id],
                status=AgreementStatus.ACTIVE,
                start_on=past,
                signed_on=past,
                signed_by="SYNTHETIC",
                created_by=owner,
            )
            for case_id in mine[60:90] + others[:10_000]
            if case_id in applicant
        ]
        ParticipationAgreement.objects.bulk_create(agreements, batch_size=5_000)
        PlanReview.objects.bulk_create(
            [PlanReview(agreement=a, due_on=past + dt.timedelta(days=30)) for a in agreements],
            batch_size=5_000,
        )
        outcomes = EmploymentOutcome.objects.bulk_create(
            [
                EmploymentOutcome(
                    benefit_unit_id=case_id,
                    person_id=applicant[case_id],
                    employer="SYNTHETIC employer",
                    start_on=past,
                    hours_per_week=25,
                    hourly_wage_cents=1800,
                    permanence="permanent",
                    has_benefits=False,
                    recorded_by=owner,
                )
                for case_id in mine[90:110]
                if case_id in applicant
            ]
        )
        OutcomeFollowUp.objects.bulk_create(
            [
                OutcomeFollowUp(
                    outcome=o, months_after_start=1, due_on=past + dt.timedelta(days=30)
                )
                for o in outcomes
            ]
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(client: Any, path: str, count: int) -> list[float]:
    for _ in range(5):  # warm-up, not timed
        assert client.get(path).status_code == 200
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the caseworks_bench database")
    args = parser.parse_args()

    with bench_database("caseworks_bench_caseload", keep=args.keep):
        caseload = generate_caseload(cases=args.cases)
        print(f"bench: dataset {caseload.describe()}")

        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from caseworks.accounts.constants import Role
        from caseworks.accounts.models import User
        from caseworks.partners.models import DeliveryPartner

        partner_id = caseload.largest_partner_id
        partner = DeliveryPartner.objects.get(pk=partner_id)
        owner = caseload.caseworker_by_partner[partner_id]
        worker = User.objects.create(
            username="bench.worker150",
            role=Role.CASEWORKER,
            delivery_partner=partner,
            first_name="Bench",
            last_name="Worker",
        )
        supervisor = User.objects.create(
            username="bench.supervisor",
            role=Role.SUPERVISOR,
            delivery_partner=partner,
            first_name="Bench",
            last_name="Supervisor",
        )
        _seed_flags(partner_id, worker, owner, timezone.localdate())
        print(
            f"bench: {partner.name} ({caseload.cases_by_partner[partner_id]:,} cases); "
            f"a caseworker holding {WORKER_CASES} open cases"
        )
        worker_client = Client(HTTP_HOST="localhost")
        worker_client.force_login(worker)
        supervisor_client = Client(HTTP_HOST="localhost")
        supervisor_client.force_login(supervisor)
        with CaptureQueriesContext(connection) as ctx:
            worker_client.get("/caseload/")
        print(f"bench: caseload page runs {len(ctx.captured_queries)} SQL queries")

        results = {
            "caseload, 150 cases": _time(worker_client, "/caseload/", args.requests),
            "caseload, filtered": _time(
                worker_client, "/caseload/?filter=referral_no_response", args.requests
            ),
            "supervisor overview": _time(
                supervisor_client, "/caseload/supervisor/", max(20, args.requests // 4)
            ),
        }
        print("bench: server time per request (in-process Django test client)")
        for name, values in results.items():
            print(f"  {name:<22} {_ms(values)}")
        p95 = _percentile(results["caseload, 150 cases"], 0.95)
        verdict = "OK" if p95 < GOAL_P95_MS else "SLOWER THAN GOAL"
        print(f"bench: caseload p95 {p95:.1f} ms (goal < {GOAL_P95_MS:.0f} ms): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
