from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseworks.core.errors import ApplicationError
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.payments.cpa005 import RECORD_LENGTH, Credit, Originator, build_credit_file
from caseworks.payments.facts import build_month_facts
from caseworks.payments.models import BankAccount
from caseworks.payments.recalc import determination_for_month, recalculation_preview
from caseworks.payments.services import (
    bank_account_record,
    circumstances_change_record,
    recovery_rate_set,
)
from caseworks.payments.tests.builders import active_case, payment_staff


def test_build_credit_file_spreads_credits_over_records_when_more_than_six() -> None:
    originator = Originator("0123456789", "OW", "OW TEST", "00310", "001", "00011", "1234567")
    credits = [
        Credit(100 + i, "004", "12345", f"{1000000 + i}", f"Payee {i}", f"X{i}") for i in range(7)
    ]
    data, total, count = build_credit_file(
        credits,
        originator=originator,
        file_creation_number=7,
        creation_date=dt.date(2026, 1, 1),
        funds_date=dt.date(2026, 1, 2),
    )
    records = data.split(b"\r\n")[:-1]
    assert [r[:1] for r in records] == [b"A", b"C", b"C", b"Z"]
    assert {len(r) for r in records} == {RECORD_LENGTH}
    assert records[2][24 + 240 :].strip() == b""  # unused segments are blank
    assert (total, count) == (sum(100 + i for i in range(7)), 7)
    assert int(records[3][46:60]) == total
    assert records[0][20:24] == b"0007"


def test_build_credit_file_refuses_zero_amount_when_given() -> None:
    originator = Originator("0123456789", "OW", "OW TEST", "00310", "001", "00011", "1234567")
    with pytest.raises(ValueError, match="positive"):
        build_credit_file(
            [Credit(0, "004", "12345", "1234567", "P", "X")],
            originator=originator,
            file_creation_number=1,
            creation_date=dt.date(2026, 1, 1),
            funds_date=dt.date(2026, 1, 1),
        )


@pytest.mark.django_db
def test_bank_account_record_refuses_short_account_when_entered(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    with pytest.raises(ApplicationError) as exc:
        bank_account_record(
            acting_user=staff["caseworker"],
            benefit_unit=unit,
            holder_name="Ana Roy",
            institution="004",
            transit="12345",
            account="123456",
        )
    assert exc.value.field == "account"
    assert not BankAccount.objects.exists()


@pytest.mark.django_db
def test_bank_account_record_ends_previous_account_when_new_one_given(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Ana",
        last_name="Roy",
        bank=("004", "12345", "1234567"),
    )
    bank_account_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        holder_name="Ana",
        institution="006",
        transit="00011",
        account="12-345-678",
    )
    accounts = list(BankAccount.objects.filter(benefit_unit=unit).order_by("id"))
    assert accounts[0].end_on is not None
    assert (accounts[1].account, accounts[1].end_on) == ("12345678", None)


@pytest.mark.django_db
def test_determination_for_month_uses_shelter_in_force_when_changed_later(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Ana",
        last_name="Roy",
        rent_cents=30_000,
    )
    circumstances_change_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        effective_month=dt.date(2026, 3, 1),
        shelter_type="rent",
        shelter_cost_cents=90_000,
        reason="Moved (synthetic)",
    )
    february = determination_for_month(
        acting_user=staff["caseworker"], benefit_unit=unit, benefit_month=dt.date(2026, 2, 1)
    )
    march = determination_for_month(
        acting_user=staff["caseworker"], benefit_unit=unit, benefit_month=dt.date(2026, 3, 1)
    )
    assert february.situation["shelter"]["cost"] == "300.00"
    assert march.situation["shelter"]["cost"] == "900.00"
    assert february.payment_cents == 34_300 + 30_000
    assert march.payment_cents == 34_300 + 39_000  # shelter allowance capped at $390


@pytest.mark.django_db
def test_recalculation_preview_saves_nothing_when_previewed(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Ana",
        last_name="Roy",
        rent_cents=30_000,
    )
    determination_for_month(
        acting_user=staff["caseworker"], benefit_unit=unit, benefit_month=dt.date(2026, 1, 1)
    )
    rows = recalculation_preview(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        from_month=dt.date(2026, 1, 1),
        edit=lambda: circumstances_change_record(
            acting_user=staff["caseworker"],
            benefit_unit=unit,
            effective_month=dt.date(2026, 1, 1),
            shelter_type="no_fixed_address",
            reason="Lost housing",
        ),
    )
    assert [(r.benefit_month, r.old_payment_cents, r.new_payment_cents) for r in rows] == [
        (dt.date(2026, 1, 1), 64_300, 34_300)
    ]
    assert unit.circumstances_changes.count() == 1


@pytest.mark.django_db
def test_recovery_rate_set_refused_without_written_consent_when_not_default(
    partner: Any,
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    with pytest.raises(ApplicationError) as exc:
        recovery_rate_set(acting_user=staff["caseworker"], benefit_unit=unit, rate_bp=1500)
    assert exc.value.field == "consent_document"


@pytest.mark.django_db
def test_default_recovery_rate_is_five_percent_when_first_nation_partner() -> None:
    nation = DeliveryPartnerFactory(
        code="fn-test", name="First Nation (synthetic)", kind="first_nation"
    )
    staff = payment_staff(nation)
    unit = active_case(partner=nation, actor=staff["caseworker"], first_name="Ana", last_name="Roy")
    facts = build_month_facts([unit.pk], dt.date(2026, 1, 1))[0]
    assert facts.recovery_rate_bp == 500
