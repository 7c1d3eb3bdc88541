"""Ontario Works rules as code (OpenFisca country package) and its public Python API.

    from openfisca_ontario_works import calculate, calculate_batch, validate, InvalidUnit

``calculate(unit)`` takes the ow-calc input object (a dict as parsed from JSON) and returns the
ow-calc output object. Amounts may be ints, decimal strings ("123.45"), ``Decimal`` or floats
(read through their shortest repr); results are strings with two decimals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from openfisca_ontario_works.tax_benefit_system import (
    CountryTaxBenefitSystem,
    OntarioWorksTaxBenefitSystem,
    tax_benefit_system,
)
from openfisca_ontario_works.version import RULES_VERSION


class InvalidUnit(ValueError):  # noqa: N818 (public name fixed by the API contract)
    """The benefit unit does not follow the ow-calc input contract; ``errors`` lists why."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__("; ".join(self.errors))


def validate(unit: Any) -> list[str]:
    """Problems with ``unit`` as ``path: message`` lines (empty list when valid)."""
    from openfisca_ontario_works.validation import parse_unit  # noqa: PLC0415

    return parse_unit(unit)[0]


def calculate(unit: dict[str, Any]) -> dict[str, Any]:
    """Calculate one benefit unit; raise :class:`InvalidUnit` if the input is invalid."""
    return calculate_batch([unit])[0]


def calculate_batch(units: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Calculate many units with one vectorised simulation per law period present.

    Raises :class:`InvalidUnit` (errors prefixed ``units[i].``) if any unit is invalid.
    """
    from openfisca_ontario_works.engine import compute_lines  # noqa: PLC0415
    from openfisca_ontario_works.validation import parse_unit  # noqa: PLC0415

    parsed = []
    errors: list[str] = []
    for index, raw in enumerate(units):
        problems, unit = parse_unit(raw)
        if unit is None:
            errors.extend(f"units[{index}].{problem}" for problem in problems)
        else:
            parsed.append(unit)
    if errors:
        if len(units) == 1:
            errors = [error.removeprefix("units[0].") for error in errors]
        raise InvalidUnit(errors)
    return [json.loads(line) for line in compute_lines(parsed)]


__all__ = [
    "RULES_VERSION",
    "CountryTaxBenefitSystem",
    "InvalidUnit",
    "OntarioWorksTaxBenefitSystem",
    "calculate",
    "calculate_batch",
    "tax_benefit_system",
    "validate",
]
