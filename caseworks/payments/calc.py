"""Calculate many case-months with one rules call, and the one output mapper: rules output →
the stored Determination (amounts in integer cents, explanation and reasons kept as given)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from caseworks.calculation import engine
from caseworks.core.money import parse_dollars_to_cents
from caseworks.eligibility.constants import DeterminationResult
from caseworks.eligibility.models import Determination

from .facts import CaseMonthFacts

# Determination field → ow-calc output key (decimal strings with two decimals → integer cents).
AMOUNT_FIELDS = {
    "budgetary_requirements_cents": "budgetary_requirements",
    "chargeable_income_cents": "chargeable_income",
    "entitlement_cents": "entitlement",
    "overpayment_deduction_cents": "overpayment_deduction",
    "payment_cents": "payment",
}

_INDEX = re.compile(r"^units\[(\d+)\]\.(.*)$")


@dataclass
class Outcome:
    facts: CaseMonthFacts
    outputs: dict[str, Any] | None
    errors: list[str]


def _invalid_unit_error() -> type[Exception]:
    error: type[Exception] = engine._rules().InvalidUnit
    return error


def calculate_many(facts_list: list[CaseMonthFacts]) -> list[Outcome]:
    """One vectorised rules call for every complete situation (invalid ones set aside)."""
    outcomes = [Outcome(facts=f, outputs=None, errors=list(f.missing)) for f in facts_list]
    pending = [i for i, f in enumerate(facts_list) if f.unit is not None and not f.missing]
    invalid = _invalid_unit_error()
    while pending:
        units = [facts_list[i].unit for i in pending]
        try:
            results = engine.calculate_batch(units)  # type: ignore[arg-type]
        except invalid as exc:
            bad: set[int] = set()
            for message in getattr(exc, "errors", [str(exc)]):
                match = _INDEX.match(message)
                position = int(match.group(1)) if match else 0
                detail = match.group(2) if match else message
                outcomes[pending[position]].errors.append(detail)
                bad.add(position)
            pending = [index for position, index in enumerate(pending) if position not in bad]
            continue
        for index, outputs in zip(pending, results, strict=True):
            outcomes[index].outputs = outputs
        break
    return outcomes


def determination_row(
    outcome: Outcome,
    *,
    benefit_month: dt.date,
    acting_user_id: int,
    rules_version: str,
    application_id: int | None = None,
) -> dict[str, Any]:
    """The Determination (the frozen snapshot) of one calculated case-month, as a plain row
    (attname → value) for a fast insert; `Determination(**row)` makes the model instance."""
    facts = outcome.facts
    row: dict[str, Any] = {
        "benefit_unit_id": facts.benefit_unit_id,
        "application_id": application_id,
        "benefit_month": benefit_month,
        "situation": facts.unit or {},
        "determined_by_id": acting_user_id,
        "determined_at": timezone.now(),
        "rules_version": rules_version,
        "missing_information": [],
        "outputs": {},
        "explanation": [],
        "ineligibility_reasons": [],
        **dict.fromkeys(AMOUNT_FIELDS, 0),
    }
    if outcome.outputs is None:
        row["result"] = DeterminationResult.INSUFFICIENT_INFORMATION.value
        row["missing_information"] = outcome.errors
        return row
    outputs = dict(outcome.outputs)
    row["explanation"] = outputs.pop("explanation", [])
    row["outputs"] = outputs
    row["ineligibility_reasons"] = outputs.get("ineligibility_reasons", [])
    row["rules_version"] = str(outputs.get("rules_version", rules_version))
    row["result"] = (
        DeterminationResult.ELIGIBLE.value
        if outputs["eligible"]
        else DeterminationResult.INELIGIBLE.value
    )
    for field_name, key in AMOUNT_FIELDS.items():
        row[field_name] = parse_dollars_to_cents(str(outputs[key]))
    return row


def determination_for(
    outcome: Outcome,
    *,
    benefit_month: dt.date,
    acting_user_id: int,
    rules_version: str,
    application_id: int | None = None,
) -> Determination:
    """An unsaved Determination for one calculated case-month."""
    row = determination_row(
        outcome,
        benefit_month=benefit_month,
        acting_user_id=acting_user_id,
        rules_version=rules_version,
        application_id=application_id,
    )
    return Determination(**row)
