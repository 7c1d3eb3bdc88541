"""MoneyField and the forms that use it: amounts typed in the page's language become cents."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from caseworks.accounts.constants import Role
from caseworks.applications.forms import ApplicationForm, IncomeForm, InquiryForm
from caseworks.applications.models import Inquiry
from caseworks.core.forms import MoneyField, MoneyInput
from caseworks.employment.forms import FollowUpForm
from caseworks.payments.forms import CircumstancesForm, IncomeReportForm, LedgerEntryForm
from caseworks.payments.models import IncomeReport
from caseworks.payments.tests.builders import active_case, payment_staff
from caseworks.reporting.forms import SimulationForm

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> Iterator[None]:
    """Messages are lazy: they render in the language active when read (a French request in an
    earlier test would otherwise leak into this one)."""
    with translation.override("en"):
        yield


class _Form(forms.Form):
    amount = MoneyField(label="Amount", required=False)
    balance = MoneyField(label="Balance", required=False, allow_negative=True)
    capped = MoneyField(label="Capped", required=False, max_cents=10_000)


def _clean(language: str, **data: str) -> _Form:
    with translation.override(language):
        form = _Form(data)
        form.is_valid()
    return form


def test_money_field_reads_the_active_language() -> None:
    assert _clean("fr", amount="450,00").cleaned_data["amount"] == 45_000
    assert _clean("fr", amount="1 234,56 $").cleaned_data["amount"] == 123_456
    assert _clean("en", amount="$1,234.56").cleaned_data["amount"] == 123_456
    assert _clean("en", amount="").cleaned_data["amount"] is None
    assert _clean("en", balance="-5.00").cleaned_data["balance"] == -500


def test_money_field_refuses_with_the_field_named_and_an_example() -> None:
    form = _clean("en", amount="12,34,5.00")
    assert form.errors["amount"] == ["Amount: enter an amount like 1,234.56."]
    form = _clean("en", amount="450,00")  # a French decimal comma on an English page
    assert form.errors["amount"] == ["Amount: enter an amount like 1,234.56."]
    form = _clean("fr", amount=" 1_000 ")
    with translation.override("fr"):
        message = str(form.errors["amount"][0])
    assert message == f"Amount : entrez un montant sous la forme 1{NBSP}234,56."
    form = _clean("en", amount="-1")
    assert form.errors["amount"] == ["Amount: the amount cannot be negative."]
    form = _clean("en", capped="100.01")
    assert form.errors["capped"] == ["Capped: enter at most $100.00."]


def test_money_input_shows_stored_cents_in_the_page_language() -> None:
    widget = MoneyInput()
    with translation.override("fr"):
        html = _Form(initial={"amount": 123_456}).as_p()
        assert widget.format_value(45_000) == "450,00"
    assert f'value="1{NBSP}234,56"' in html
    assert 'inputmode="decimal"' in html
    with translation.override("en"):
        html = _Form(initial={"amount": 123_456}).as_p()
    assert 'value="1,234.56"' in html
    # What was typed is shown back as typed when the form has an error.
    with translation.override("fr"):
        html = _Form({"amount": "12,34,5.00"}).as_p()
    assert 'value="12,34,5.00"' in html


def test_money_field_has_changed_compares_cents() -> None:
    field = MoneyField(required=False)
    with translation.override("fr"):
        assert not field.has_changed(45_000, "450,00")
        assert not field.has_changed(None, "")
        assert field.has_changed(45_000, "450,01")
        assert field.has_changed(45_000, "n'importe quoi")


@pytest.mark.parametrize(
    ("form_class", "kwargs", "data", "field", "cents"),
    [
        (InquiryForm, {}, {"caller_name": "X", "adults": "1", "children": "0"}, "shelter_cost", 0),
        (ApplicationForm, {}, {"expected_version": "1"}, "heat", 0),
        (IncomeForm, {"people": [(1, "A")]}, {"person": "1", "income_type": "earnings"}, "", 0),
        (CircumstancesForm, {}, {}, "utilities", 0),
        (LedgerEntryForm, {}, {"kind": "repayment", "reason": "r"}, "amount", 0),
        (FollowUpForm, {}, {"still_employed": "yes"}, "hourly_wage", 0),
        (SimulationForm, {}, {}, "basic_needs_single", 0),
    ],
)
def test_every_converted_form_reads_a_french_decimal_comma(
    form_class: Any, kwargs: dict[str, Any], data: dict[str, str], field: str, cents: int
) -> None:
    name = field or "monthly_amount"
    with translation.override("fr"):
        form = form_class({**data, name: "450,00"}, **kwargs)
        form.is_valid()
    assert isinstance(form.fields[name], MoneyField)
    assert form.cleaned_data.get(name) == 45_000, form.errors


@pytest.mark.django_db
def test_french_prescreen_saves_rent_850_00_as_85000_cents(users: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(users[Role.INTAKE_CLERK])
    response = client.post(
        reverse("applications:inquiry_create"),
        {
            "idempotency_key": uuid.uuid4().hex,
            "caller_name": "Marie Gagnon",
            "adults": "1",
            "children": "0",
            "monthly_income": "450,00",
            "shelter_cost": "850,00",
            "assets": "1 200,50 $",
        },
    )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.shelter_cost_cents == 85_000  # not $85,000.00 (issue 10, item 5)
    assert inquiry.monthly_income_cents == 45_000
    assert inquiry.assets_cents == 120_050


@pytest.mark.django_db
def test_french_income_report_saves_450_00_as_45000_cents(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    applicant = unit.members.get().person
    unit.refresh_from_db()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(staff["caseworker"])
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)  # last month
    data = {
        "person": applicant.pk,
        "income_month": f"{month:%Y-%m}",
        "earnings": "450,00",
        "expected_version": unit.version,
        "confirm": "1",
    }
    response = client.post(
        reverse("payments:income_report", args=[unit.pk]),
        {**data, "idempotency_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert IncomeReport.objects.get().amount_cents == 45_000  # not 4 500 000 (45 000,00 $)


@pytest.mark.django_db
def test_french_income_report_refuses_english_grouping_and_names_the_field(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    applicant = unit.members.get().person
    unit.refresh_from_db()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(staff["caseworker"])
    response = client.post(
        reverse("payments:income_report", args=[unit.pk]),
        {
            "idempotency_key": uuid.uuid4().hex,
            "person": applicant.pk,
            "income_month": "2025-12",
            "earnings": "1,234.56",
            "expected_version": unit.version,
            "confirm": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code in (200, 422)
    assert f"1{NBSP}234,56" in page
    assert 'value="1,234.56"' in page
    assert not IncomeReport.objects.exists()


def test_income_report_form_is_money_field() -> None:
    form = IncomeReportForm(members=[], documents=[])
    assert isinstance(form.fields["earnings"], MoneyField)
    assert isinstance(form.fields["other_amount"], MoneyField)
