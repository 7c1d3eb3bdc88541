"""CPA-005 files: a file creation number per originator, never reused (reruns, concurrent
builds); the builder validates every record and field and refuses to write a bad file."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.payments.cpa005 import Cpa005Error, Credit, Originator, build_credit_file
from caseworks.payments.models import FileCreationCounter, PaymentFile
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import file_creation_number_take, payment_file_build
from caseworks.payments.tests.builders import active_case, payment_staff

ORIGINATOR = Originator("0123456789", "OW", "OW TEST", "00310", "001", "00011", "1234567")


def _build(credits: list[Credit], number: int = 1) -> bytes:
    data, _total, _count = build_credit_file(
        credits,
        originator=ORIGINATOR,
        file_creation_number=number,
        creation_date=dt.date(2026, 1, 1),
        funds_date=dt.date(2026, 1, 2),
    )
    return data


def test_builder_refuses_crlf_payee_name_naming_record_and_field() -> None:
    """Reproduction: a last name with CR/LF split the file into 110, 11 and 1339 bytes."""
    bad = Credit(73_300, "004", "12345", "1234567", "Ana Smith\r\nZ000000004", "OW1")
    with pytest.raises(Cpa005Error) as exc:
        _build([bad])
    assert exc.value.record == 2
    assert exc.value.field == "segment 1 payee name"


def test_builder_refuses_non_numeric_institution_and_too_many_file_numbers() -> None:
    with pytest.raises(ValueError, match="digits"):
        _build([Credit(100, "0A4", "12345", "1234567", "Ana", "X")])
    with pytest.raises(ValueError, match="digits"):
        _build([Credit(100, "004", "12345", "1234567", "Ana", "X")], number=10_000)


def test_validator_refuses_a_bad_record_when_trailer_total_differs() -> None:
    from caseworks.payments.cpa005 import validate_file  # noqa: PLC0415

    good = _build([Credit(100, "004", "12345", "1234567", "Ana", "X")])
    records = [r.decode() for r in good.split(b"\r\n")[:-1]]
    validate_file(records)
    trailer = records[2]
    records[2] = trailer[:46] + "00000000000101" + trailer[60:]
    with pytest.raises(Cpa005Error) as exc:
        validate_file(records)
    assert (exc.value.record, exc.value.field) == (3, "total value of credits")
    records[2] = trailer
    records[1] = records[1][:100] + "\n" + records[1][101:]
    with pytest.raises(Cpa005Error) as exc:
        validate_file(records)
    assert exc.value.record == 2
    records[1] = records[1][:200]
    with pytest.raises(Cpa005Error, match="record length"):
        validate_file(records)


@pytest.fixture
def released(partner: Any) -> Any:
    staff = payment_staff(partner)
    active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Ana",
        last_name="Roy",
        bank=("004", "12345", "1234567"),
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    return run, staff["supervisor"]


@pytest.mark.django_db
def test_file_numbers_increase_and_are_never_reused_when_run_file_rebuilt(released: Any) -> None:
    run, supervisor = released
    numbers = []
    for _ in range(3):
        data, built = payment_file_build(acting_user=supervisor, run=run, originator=ORIGINATOR)
        assert data[20:24] == f"{built.file_creation_number:04d}".encode()
        numbers.append(built.file_creation_number)
    assert numbers == [1, 2, 3]
    files = PaymentFile.objects.filter(run=run)
    assert files.count() == 3
    assert all(f.built_by == supervisor and len(f.sha256) == 64 for f in files)
    assert AuditEvent.objects.filter(event_type="payment_file_generated").count() == 3


@pytest.mark.django_db
def test_file_number_refused_at_9999_with_clear_message_when_exhausted(released: Any) -> None:
    run, supervisor = released
    FileCreationCounter.objects.create(originator_id="0123456789", last_number=9999)
    with pytest.raises(ApplicationError, match="9999"):
        payment_file_build(acting_user=supervisor, run=run, originator=ORIGINATOR)
    assert not PaymentFile.objects.exists()


@pytest.mark.django_db
def test_file_number_not_used_when_builder_refuses_the_file(released: Any) -> None:
    run, supervisor = released
    run.payments.update(payee_name="ANA\rROY")
    with pytest.raises(ApplicationError) as exc:
        payment_file_build(acting_user=supervisor, run=run, originator=ORIGINATOR)
    assert exc.value.field == "segment 1 payee name"
    assert not PaymentFile.objects.exists()
    assert not FileCreationCounter.objects.filter(last_number__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_file_numbers_unique_when_taken_concurrently() -> None:
    from django.db import transaction  # noqa: PLC0415

    taken: list[int] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    taken.append(file_creation_number_take("CONCURRENT"))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(taken) == list(range(1, 41))
