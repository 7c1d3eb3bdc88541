"""Dashboards, comparison, exports and who may see them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caseworks.accounts.constants import Role
from caseworks.partners.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

Q1 = {"month_from": "2026-01", "month_to": "2026-03"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(users: dict[str, Any]) -> Any:
    return users["provincial_ministry_analyst"]


def test_dashboard_shows_every_partner_when_analyst(
    dataset: Any, analyst: Any, partner: Any, other_partner: Any
) -> None:
    response = _client(analyst).get(reverse("reporting:dashboard"), Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Partner A" in html
    assert "Partner B" in html
    assert reverse("reporting:partner", args=[partner.pk]) in html
    assert 'role="img"' in html
    assert "<caption>" in html
    # Province 27 shown; B has 5 (primary) so A's 22 is suppressed too (secondary, row rule).
    row = html.split('id="measure-caseload_cases"')[1].split("</tr>")[0]
    assert row.count("&lt;10") == 2
    assert ">27<" in row


def test_dashboard_shows_own_partner_and_province_when_partner_admin(
    dataset: Any, users: dict[str, Any], other_partner: Any
) -> None:
    response = _client(users[Role.PARTNER_ADMIN]).get(reverse("reporting:dashboard"), Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Partner A" in html
    assert "Partner B" not in html
    assert "Provincial median of partners" in html
    row = html.split('id="measure-caseload_cases"')[1].split("</tr>")[0]
    # Own 22 shown; province 27 − 22 = 5 would reveal the rest: province suppressed.
    assert ">22<" in row
    assert "&lt;10" in row


def test_partner_page_returns_404_when_other_partners_admin(
    dataset: Any, users: dict[str, Any], other_partner: Any
) -> None:
    response = _client(users[Role.PARTNER_ADMIN]).get(
        reverse("reporting:partner", args=[other_partner.pk])
    )
    assert response.status_code == 404


def test_partner_page_shows_offices_when_own_partner(
    dataset: Any, users: dict[str, Any], partner: Any
) -> None:
    response = _client(users[Role.PARTNER_ADMIN]).get(
        reverse("reporting:partner", args=[partner.pk]), Q1
    )
    assert response.status_code == 200
    assert "Outcome measures by office" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.INTAKE_CLERK, Role.AUDITOR, Role.PROVIDER])
def test_dashboard_returns_403_when_role_lacks_reports_view(
    users: dict[str, Any], role: str
) -> None:
    assert _client(users[role]).get(reverse("reporting:dashboard")).status_code == 403


def test_compare_returns_403_when_partner_admin(
    users: dict[str, Any], partner: Any, other_partner: Any
) -> None:
    response = _client(users[Role.PARTNER_ADMIN]).get(
        reverse("reporting:compare"), {"first": partner.pk, "second": other_partner.pk}
    )
    assert response.status_code == 403


def test_compare_then_export_csv_when_analyst(
    dataset: Any, analyst: Any, partner: Any, other_partner: Any
) -> None:
    client = _client(analyst)
    params = {"first": partner.pk, "second": other_partner.pk, **Q1}
    page = client.get(reverse("reporting:compare"), params)
    assert page.status_code == 200
    assert "Comparison: Partner A and Partner B" in page.content.decode()
    response = client.get(reverse("reporting:compare_export", kwargs={"fmt": "csv"}), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][3:6] == ["Partner A", "Partner B", "Ontario (all partners)"]
    caseload = next(r for r in rows if r[1] == "Cases at month end")
    # Exactly what the page shows: B suppressed (5), and A too: with only two partners,
    # province 27 − A 22 would give B's 5 (the comparison carries the all-partner decisions).
    assert caseload[3:6] == ["", "", "27"]
    assert caseload[6] == "Partner A; Partner B"
    jobs = next(r for r in rows if r[1] == "Mean hourly wage")
    assert jobs[3] == "17.07"


def test_dashboard_export_xlsx_keeps_suppressed_cells_empty(dataset: Any, analyst: Any) -> None:
    response = _client(analyst).get(
        reverse("reporting:dashboard_export", kwargs={"fmt": "xlsx"}), Q1
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    caseload = next(r for r in rows if r[1] == "Cases at month end")
    assert caseload[3:6] == (None, None, 27)


def test_export_returns_404_when_unknown_format(analyst: Any) -> None:
    response = _client(analyst).get(reverse("reporting:dashboard_export", kwargs={"fmt": "pdf"}))
    assert response.status_code == 404


def test_dashboard_adds_office_column_when_office_filter(
    dataset: Any, analyst: Any, partner: Any
) -> None:
    office = OfficeFactory(delivery_partner=partner, name="North office")
    response = _client(analyst).get(reverse("reporting:dashboard"), {**Q1, "office": office.pk})
    assert response.status_code == 200
    assert "North office" in response.content.decode()


def test_dashboard_query_count_is_bounded_when_analyst(
    dataset: Any, analyst: Any, django_assert_max_num_queries: Any
) -> None:
    client = _client(analyst)
    # Five family-type tables (no filter and each type) are computed for every page so the
    # suppression is decided on the whole family-type × partner table (SUPPRESSION.md).
    with django_assert_max_num_queries(100):
        response = client.get(reverse("reporting:dashboard"), Q1)
    assert response.status_code == 200
    caseload = response.content.decode().split('id="measure-caseload_cases"')[1].split("</tr>")[0]
    assert ">27<" in caseload


def test_dashboard_renders_in_french(dataset: Any, analyst: Any) -> None:
    client = _client(analyst)
    response = client.get(reverse("reporting:dashboard"), Q1, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mesures des résultats : tous les partenaires de prestation" in html
    assert "Ontario (tous les partenaires)" in html
    assert "Outcome measures: all delivery partners" not in html
    caseload = html.split('id="measure-caseload_cases"')[1].split("</tr>")[0]
    assert "Dossiers à la fin du mois" in caseload
    # The same figures and suppression as the English page (A 22 and B 5 hidden, Ontario 27).
    assert caseload.count("&lt;10") == 2
    assert ">27<" in caseload
    # Amounts in the French format: Partner A's mean hourly wage $17.07 is 17,07 $.
    wage = html.split('id="measure-job_mean_wage"')[1].split("</tr>")[0]
    assert "Salaire horaire moyen" in wage
    assert "17,07\xa0$" in wage
    assert "$17.07" not in wage
