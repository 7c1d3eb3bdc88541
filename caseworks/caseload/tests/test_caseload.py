from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.caseload.selectors import (
    caseload_get_for_user,
    caseload_summary_for_supervisor,
    transfer_history_get_for_sender,
)
from caseworks.caseload.services import caseload_reassign
from caseworks.cases.services import case_note_create
from caseworks.cases.tests.factories import make_case
from caseworks.core.errors import PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.employment.services import referral_overdue_tasks_raise, referral_send
from caseworks.employment.tests.factories import ServiceProviderFactory
from caseworks.plans.tests.factories import applicant_of, make_signed_agreement

pytestmark = pytest.mark.django_db


def _cases(partner: Any, worker: Any, n: int) -> list[Any]:
    return [make_case(partner=partner, caseworker=worker) for _ in range(n)]


def _refer(case: Any, worker: Any, days: int = 5) -> Any:
    return referral_send(
        acting_user=worker,
        benefit_unit=case,
        person=applicant_of(case),
        provider=ServiceProviderFactory(),
        purpose="Employment services",
        consent_given=True,
        information_shared=["contact"],
        expected_response_days=days,
    )


def _page_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_caseload_view_runs_the_same_number_of_queries_for_10_and_150_cases(
    partner: Any, django_assert_max_num_queries: Any
) -> None:
    small_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    big_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    with freeze_time("2026-01-05 12:00"):
        small = _cases(partner, small_worker, 10)
        big = _cases(partner, big_worker, 150)
        for cases, worker in ((small, small_worker), (big, big_worker)):
            _refer(cases[0], worker)
            make_signed_agreement(benefit_unit=cases[1], user=worker, start_on=dt.date(2026, 1, 5))
    with freeze_time("2026-03-01 12:00"):
        referral_overdue_tasks_raise()
        counts = []
        for worker in (small_worker, big_worker):
            client = Client()
            client.force_login(worker)
            counts.append(_page_queries(client, "/caseload/"))
        assert counts[0] == counts[1], counts
        client = Client()
        client.force_login(big_worker)
        with django_assert_max_num_queries(counts[0]):
            response = client.get("/caseload/")
    body = response.content.decode()
    assert body.count('id="select-case-') == 0  # caseworkers do not reassign
    assert big[149].case_number in body
    assert "150 open cases" in body


def test_caseload_get_for_user_filters_referral_without_response_after_due_date(
    partner: Any, caseworker: Any
) -> None:
    with freeze_time("2026-01-05 12:00"):
        cases = _cases(partner, caseworker, 3)
        _refer(cases[0], caseworker, days=10)
        make_signed_agreement(benefit_unit=cases[1], user=caseworker, start_on=dt.date(2026, 1, 5))
    with freeze_time("2026-01-15 12:00"):
        caseload = caseload_get_for_user(user=caseworker, case_filter="referral_no_response")
        assert caseload.cases == []
    with freeze_time("2026-01-16 12:00"):
        caseload = caseload_get_for_user(user=caseworker, case_filter="referral_no_response")
        assert [c.pk for c in caseload.cases] == [cases[0].pk]
        assert caseload.counts == {
            "overdue_review": 0,
            "referral_no_response": 1,
            "follow_up_due": 0,
            "income_report_missing": 0,
            "payment_hold": 0,
        }
        referral_overdue_tasks_raise()
        client = Client()
        client.force_login(caseworker)
        page = client.get("/caseload/?filter=referral_no_response").content.decode()
    # Acceptance 2: it shows in the caseload filter AND the task list.
    assert cases[0].case_number in page
    assert cases[2].case_number not in page
    assert "No response to referral" in page
    with freeze_time("2026-02-05 12:00"):
        overdue = caseload_get_for_user(user=caseworker, case_filter="overdue_review")
    assert [c.pk for c in overdue.cases] == [cases[1].pk]


def test_caseload_summary_for_supervisor_counts_each_workers_cases_and_overdue_work(
    partner: Any, users: dict[str, Any], django_assert_num_queries: Any
) -> None:
    supervisor = users[Role.SUPERVISOR]
    worker_a = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, last_name="Aaa")
    worker_b = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, last_name="Bbb")
    with freeze_time("2026-01-05 12:00"):
        a_cases = _cases(partner, worker_a, 3)
        _cases(partner, worker_b, 1)
        _refer(a_cases[0], worker_a, days=1)
        _refer(a_cases[1], worker_a, days=1)
    with freeze_time("2026-01-10 12:00"), django_assert_num_queries(6):
        rows = {w.pk: w for w in caseload_summary_for_supervisor(user=supervisor)}
    assert rows[worker_a.pk].caseload_size == 3
    assert rows[worker_a.pk].referrals_no_response == 2
    assert rows[worker_b.pk].caseload_size == 1
    assert rows[worker_b.pk].referrals_no_response == 0
    with pytest.raises(PermissionDeniedError):
        caseload_summary_for_supervisor(user=worker_a)


def test_caseload_reassign_moves_all_cases_and_audits_each_when_bulk(
    partner: Any, users: dict[str, Any], other_caseworker: Any
) -> None:
    supervisor = users[Role.SUPERVISOR]
    old = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    new = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    cases = _cases(partner, old, 3)
    client = Client()
    client.force_login(supervisor)
    page = client.get(f"/caseload/workers/{old.pk}/").content.decode()
    assert page.count('name="cases"') == 3
    assert 'id="reassign-submit"' in page
    response = client.post(
        "/caseload/reassign/",
        {
            "cases": [c.pk for c in cases[:2]],
            "caseworker": new.pk,
            "back": f"/caseload/workers/{old.pk}/",
        },
    )
    assert response.status_code == 302
    assert {c.pk for c in caseload_get_for_user(user=supervisor, worker_id=new.pk).cases} == {
        cases[0].pk,
        cases[1].pk,
    }
    assert AuditEvent.objects.filter(event_type="case_reassigned").count() == 2
    # All or nothing: another partner's case in the batch → nothing moves.
    foreign = make_case(partner=other_caseworker.delivery_partner, caseworker=other_caseworker)
    with pytest.raises(Exception):  # noqa: B017, PT011  # Http404 from the selector
        caseload_reassign(
            acting_user=supervisor, benefit_unit_ids=[cases[2].pk, foreign.pk], caseworker=new
        )
    cases[2].refresh_from_db()
    assert cases[2].caseworker == old


def test_caseload_reassign_is_403_for_a_caseworker(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    client = Client()
    client.force_login(caseworker)
    response = client.post("/caseload/reassign/", {"cases": [case.pk], "caseworker": caseworker.pk})
    assert response.status_code == 403


def test_transfer_history_get_for_sender_shows_only_history_before_the_transfer(
    partner: Any, other_partner: Any, users: dict[str, Any]
) -> None:
    supervisor = users[Role.SUPERVISOR]
    receiver = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    with freeze_time("2026-01-05 12:00"):
        case = make_case(partner=partner, caseworker=supervisor)
        case_note_create(acting_user=supervisor, benefit_unit=case, body="Before the move")
    with freeze_time("2026-01-06 12:00"):
        client = Client()
        client.force_login(supervisor)
        response = client.post(
            f"/caseload/cases/{case.pk}/transfer/",
            {
                "kind": "client_moved",
                "to_partner": other_partner.pk,
                "reason": "Moved to Sudbury",
                "expected_version": case.version,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    transfer = case.transfers.get()
    with freeze_time("2026-01-07 12:00"):
        case.refresh_from_db()
        case_note_create(acting_user=receiver, benefit_unit=case, body="After the move")
        history = transfer_history_get_for_sender(user=supervisor, transfer_id=transfer.pk)
        assert [n.body for n in history.notes] == ["Before the move"]
        client.force_login(supervisor)  # a new day: the idle session has timed out
        page = client.get(f"/caseload/transfers/{transfer.pk}/")
        assert page.status_code == 200
        assert "After the move" not in page.content.decode()
        # The sender no longer opens the current case file; the receiver does.
        assert client.get(f"/cases/{case.pk}/").status_code == 404
        receiving = Client()
        receiving.force_login(receiver)
        assert receiving.get(f"/cases/{case.pk}/").status_code == 200
        assert receiving.get("/caseload/supervisor/").status_code == 200
        assert case.case_number in receiving.get("/caseload/supervisor/").content.decode()
        # The receiver cannot use the sender's history view (it is not the sender).
        assert receiving.get(f"/caseload/transfers/{transfer.pk}/").status_code == 404


def test_caseload_worker_view_is_404_for_a_worker_of_another_partner(
    users: dict[str, Any], other_caseworker: Any
) -> None:
    client = Client()
    client.force_login(users[Role.SUPERVISOR])
    assert client.get(f"/caseload/workers/{other_caseworker.pk}/").status_code == 404
    client.force_login(users[Role.CASEWORKER])
    assert client.get(f"/caseload/workers/{users[Role.SUPERVISOR].pk}/").status_code == 403


def test_caseload_page_is_in_french_when_the_language_is_french(
    partner: Any, caseworker: Any
) -> None:
    make_case(partner=partner, caseworker=caseworker)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(caseworker)
    body = client.get("/caseload/").content.decode()
    assert "Ma charge de travail" in body
    assert "My caseload" not in body


def test_caseload_get_for_user_flags_missing_income_report_and_payment_hold(
    partner: Any, caseworker: Any
) -> None:
    from caseworks.payments.models import IncomeReport, PaymentProfile  # noqa: PLC0415

    cases = _cases(partner, caseworker, 4)

    def report(case: Any, month: dt.date) -> None:
        IncomeReport.objects.create(
            benefit_unit=case,
            person=applicant_of(case),
            income_month=month,
            kind="earnings",
            amount_cents=50000,
            recorded_by=caseworker,
        )

    # cases[0] reported in January but not February: missing in March.
    report(cases[0], dt.date(2026, 1, 1))
    # cases[1] reported both months: fine. cases[2] never reported: not expected to.
    report(cases[1], dt.date(2026, 1, 1))
    report(cases[1], dt.date(2026, 2, 1))
    PaymentProfile.objects.create(benefit_unit=cases[3], on_hold=True, hold_reason="Address")
    with freeze_time("2026-03-10 12:00"):
        missing = caseload_get_for_user(user=caseworker, case_filter="income_report_missing")
        held = caseload_get_for_user(user=caseworker, case_filter="payment_hold")
        client = Client()
        client.force_login(caseworker)
        page = client.get("/caseload/?filter=payment_hold").content.decode()
    assert [c.pk for c in missing.cases] == [cases[0].pk]
    assert missing.counts["income_report_missing"] == 1
    assert [c.pk for c in held.cases] == [cases[3].pk]
    assert "Payment on hold" in page
    assert cases[0].case_number not in page
