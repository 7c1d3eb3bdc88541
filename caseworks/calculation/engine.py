"""The one door to the rules package (openfisca_ontario_works), loaded on first use.

Loading the OpenFisca tax-benefit system parses every parameter file; doing it lazily keeps
Django's start-up (and management commands that never calculate) fast.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any


@functools.cache
def _rules() -> ModuleType:
    import openfisca_ontario_works  # noqa: PLC0415  # deliberately lazy, see module docstring

    return openfisca_ontario_works


def calculate(unit: dict[str, Any]) -> dict[str, Any]:
    """One benefit unit's month, as the ow-calc contract defines input and output."""
    result: dict[str, Any] = _rules().calculate(unit)
    return result


def calculate_batch(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = _rules().calculate_batch(units)
    return results


def validate(unit: dict[str, Any]) -> list[str]:
    errors: list[str] = _rules().validate(unit)
    return errors


def rules_version() -> str:
    return str(_rules().RULES_VERSION)
