"""Issue 13, attack 5: reads of client data that left no trace. Each test is the attack: the
CPA-005 file and the cheque list (every payee's name and account), web and API search results,
a duplicate check that reveals another partner's client, the admin's case page and history.
Then the auditor finds them: filters and a CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import UserFactory
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.tests.factories import PersonFactory
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _released_run(partner: Any) -> tuple[Any, dict[str, Any], list[Any]]:
    staff = payment_staff(partner)
    units = [
        active_case(
            partner=partner,
            actor=staff["caseworker"],
            first_name="Ana",
            last_name="Roy",
            bank=("004", "12345", "1234567"),
        ),
        active_case(
            partner=partner,
            actor=staff["caseworker"],
            first_name="Bea",
            last_name="Roy",
            bank=("004", "12345", "7654321"),
        ),
        active_case(partner=partner, actor=staff["caseworker"], first_name="Cy", last_name="Roy"),
    ]
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return payment_run_release(acting_user=staff["supervisor"], run=run), staff, units


def _applicant_ids(units: list[Any]) -> dict[int, int]:
    return {unit.members.get().person_id: unit.pk for unit in units}


def test_cpa005_file_build_records_one_access_per_payee(partner: Any) -> None:
    run, staff, units = _released_run(partner)
    response = _client(staff["supervisor"]).post(reverse("payments:run_file", args=[run.pk]))
    assert response.status_code == 200
    rows = ClientFileAccess.objects.filter(view_name="payments:run_file")
    eft = _applicant_ids(units[:2])  # the third case is paid by cheque: not in the bank file
    assert {(r.person_id, r.benefit_unit_id) for r in rows} == set(eft.items())
    assert {r.user_id for r in rows} == {staff["supervisor"].pk}


def test_cheque_list_records_one_access_per_payee(partner: Any) -> None:
    run, staff, units = _released_run(partner)
    response = _client(staff["supervisor"]).get(reverse("payments:run_cheques", args=[run.pk]))
    assert response.status_code == 200
    rows = ClientFileAccess.objects.filter(view_name="payments:run_cheques")
    assert {(r.person_id, r.benefit_unit_id) for r in rows} == set(
        _applicant_ids(units[2:]).items()
    )


def test_cheque_register_page_and_api_record_one_access_per_payee(partner: Any) -> None:
    run, staff, units = _released_run(partner)
    client = _client(staff["supervisor"])
    assert client.get(reverse("payments:run_cheque_register", args=[run.pk])).status_code == 200
    assert client.get(f"/api/payments/runs/{run.pk}/cheque-register").status_code == 200
    cheque_payee = set(_applicant_ids(units[2:]).items())
    for view_name, channel in (
        ("payments:run_cheque_register", "web"),
        ("api:payments:run_cheque_register", "api"),
    ):
        rows = ClientFileAccess.objects.filter(view_name=view_name, channel=channel)
        assert {(r.person_id, r.benefit_unit_id) for r in rows} == cheque_payee


def test_web_search_records_each_listed_person_and_the_masked_query(
    partner: Any, caseworker: Any
) -> None:
    found = [PersonFactory(delivery_partner=partner, last_name=f"Quenneville{i}") for i in (1, 2)]
    PersonFactory(delivery_partner=partner, last_name="Other")
    response = _client(caseworker).get(reverse("clients:search"), {"q": "quenne"})
    assert response.status_code == 200
    rows = ClientFileAccess.objects.filter(view_name="clients:search")
    assert {r.person_id for r in rows} == {p.pk for p in found}
    assert {r.detail for r in rows} == {"q=quenne"}
    # A SIN typed into the search box never reaches the log.
    _client(caseworker).get(
        reverse("clients:search"), {"q": "046 454 286", "sin_last3": str(found[0].sin_last3)}
    )
    assert not ClientFileAccess.objects.filter(detail__contains="046").exists()
    assert not ClientFileAccess.objects.filter(detail__contains="286").exists()


def test_api_search_records_each_listed_person_and_the_query(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner, last_name="Lafleche")
    _token, raw = api_token_create(acting_user=caseworker, user=caseworker, name="script")
    response = Client().get(
        "/api/clients", {"q": "lafl"}, headers={"authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [person.pk]
    row = ClientFileAccess.objects.get(view_name="api:client_search")
    assert (row.person_id, row.channel, row.detail) == (person.pk, "api", "q=lafl")


def test_duplicate_probe_of_another_partners_client_is_recorded(
    partner: Any, other_partner: Any
) -> None:
    toronto_person = PersonFactory(
        delivery_partner=partner,
        first_name="Maelle",
        last_name="Gagnon",
        date_of_birth=dt.date(1990, 5, 17),
    )
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=other_partner)
    response = _client(clerk).post(
        reverse("clients:create"),
        {
            "first_name": "Maelle",
            "last_name": "Gagnon",
            "date_of_birth": "1990-05-17",
            "sin": "046 454 286",
            "language_preference": "en",
        },
    )
    assert response.status_code == 200  # the duplicate panel
    row = ClientFileAccess.objects.get(view_name="clients:duplicate_check")
    assert (row.person_id, row.user_id) == (toronto_person.pk, clerk.pk)
    assert row.detail == "probe: name, date_of_birth, sin"
    assert "046" not in row.detail


def test_admin_case_page_and_history_record(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(partner=partner, actor=staff["caseworker"], first_name="A", last_name="R")
    person_id = unit.members.get().person_id
    admin_user = UserFactory(role="", delivery_partner=None, is_superuser=True, is_staff=True)
    client = _client(admin_user)
    for url in (
        reverse("admin:cases_benefitunit_change", args=[unit.pk]),
        reverse("admin:cases_benefitunit_history", args=[unit.pk]),
        reverse("admin:clients_person_change", args=[person_id]),
        reverse("admin:clients_person_history", args=[person_id]),
    ):
        assert client.get(url).status_code == 200, url
    rows = ClientFileAccess.objects.filter(user=admin_user, channel="admin")
    assert sorted(r.view_name for r in rows) == [
        "admin:case:change",
        "admin:case:history",
        "admin:person:change",
        "admin:person:history",
    ]
    assert {r.person_id for r in rows} == {person_id}


def test_auditor_filters_and_exports_the_partner_log(
    partner: Any, other_partner: Any, users: dict[str, Any]
) -> None:
    mine = PersonFactory(delivery_partner=partner, last_name="Ouellet")
    theirs = PersonFactory(delivery_partner=other_partner, last_name="Ouellet")
    snoop = users[Role.CASEWORKER]
    other = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
    _client(snoop).get(reverse("clients:detail", args=[mine.pk]))
    _client(users[Role.SUPERVISOR]).get(reverse("clients:detail", args=[mine.pk]))
    _client(other).get(reverse("clients:detail", args=[theirs.pk]))
    ClientFileAccess.objects.filter(user=snoop).update(detail="=HYPERLINK(1)")
    auditor = _client(users[Role.AUDITOR])
    today = timezone.localdate().isoformat()
    query = {"user": snoop.username, "date_from": "2000-01-01", "channel": "web"}
    page = auditor.get(reverse("clients:access_log_search"), query)
    assert page.status_code == 200
    assert page.context["entries"] == list(ClientFileAccess.objects.filter(user=snoop))
    everything = auditor.get(reverse("clients:access_log_search"), {"date_to": today})
    assert other.pk not in {e.user_id for e in everything.context["entries"]}  # partner-scoped
    export = auditor.get(reverse("clients:access_log_export"), {**query, "person": mine.pk})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [(r["username"], r["person_id"]) for r in rows] == [(snoop.username, str(mine.pk))]
    assert rows[0]["detail"] == "'=HYPERLINK(1)"  # never a live formula
    assert _client(snoop).get(reverse("clients:access_log_export")).status_code == 403
