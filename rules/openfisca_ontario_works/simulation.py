"""Policy simulation: the same vectorised calculation under changed rule parameters.

    from openfisca_ontario_works.simulation import calculate_batch_with_parameters
    changed = {"ontario_works.earnings.flat_exemption": Decimal("250")}
    results = calculate_batch_with_parameters(units, changed)

Added for provincial oversight (issue 7), kept apart from the engine: it builds an OpenFisca
``Reform`` of the tax-benefit system whose parameters are overridden from 2016-10-01 onwards
(openfisca-core 46: ``reform.modify_parameters`` + ``Parameter.update``), then runs the
engine's own batch code against it. With no overrides (or overrides equal to the law) the
results are exactly those of :func:`openfisca_ontario_works.calculate_batch` and ``ow-calc``.

The engine and the rendering read their system through their module-level
``tax_benefit_system()``, and the rendering caches explanation texts per month
(``rendering._Month``); all are swapped for the duration of a call, under a lock, so other
threads keep the law as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_ontario_works import InvalidUnit, engine, rendering
from openfisca_ontario_works.tax_benefit_system import tax_benefit_system
from openfisca_ontario_works.validation import Unit, parse_unit

# Overrides apply from the oldest month the package has rates for, so every benefit month sees them.
OVERRIDE_FROM = "2016-10-01"
_LOCK = threading.RLock()


class UnknownParameter(ValueError):  # noqa: N818
    """A parameter path that is not a leaf of the Ontario Works parameters."""


def _leaf(node: Any, path: str) -> Any:
    current = node
    for name in path.split("."):
        try:
            current = current.children[name]
        except (AttributeError, KeyError) as exc:
            raise UnknownParameter(f"unknown parameter {path!r}") from exc
    if not hasattr(current, "update"):
        raise UnknownParameter(f"{path!r} is not a single parameter")
    return current


@lru_cache(maxsize=8)
def _reformed(overrides: tuple[tuple[str, Decimal], ...]) -> Any:
    def modifier(parameters: Any) -> Any:
        for path, value in overrides:
            number: float | int = int(value) if value == value.to_integral_value() else float(value)
            _leaf(parameters, path).update(start=periods.instant(OVERRIDE_FROM), value=number)
        return parameters

    class ParameterReform(Reform):
        name = "Policy simulation"

        def apply(self) -> None:
            self.modify_parameters(modifier_function=modifier)

    return ParameterReform(tax_benefit_system())


def reformed_tax_benefit_system(overrides: Mapping[str, Decimal]) -> Any:
    """The Ontario Works system with ``overrides`` ({parameter path: value}) in force."""
    for path in overrides:
        _leaf(tax_benefit_system().parameters, path)
    return _reformed(tuple(sorted((k, Decimal(v)) for k, v in overrides.items())))


@contextmanager
def _system(overrides: Mapping[str, Decimal]) -> Iterator[None]:
    if not overrides:
        yield
        return
    system = reformed_tax_benefit_system(overrides)
    with _LOCK:
        original: Callable[[], Any] = engine.tax_benefit_system  # type: ignore[attr-defined]
        original_cache = rendering._Month._cache
        engine.tax_benefit_system = lambda: system  # type: ignore[attr-defined,assignment]
        rendering.tax_benefit_system = lambda: system  # type: ignore[attr-defined,assignment]
        rendering._Month._cache = {}
        try:
            yield
        finally:
            engine.tax_benefit_system = original  # type: ignore[attr-defined,assignment]
            rendering.tax_benefit_system = original  # type: ignore[attr-defined,assignment]
            rendering._Month._cache = original_cache


def parse_units(units: Sequence[dict[str, Any]]) -> list[Unit]:
    parsed: list[Unit] = []
    errors: list[str] = []
    for index, raw in enumerate(units):
        problems, unit = parse_unit(raw)
        if unit is None:
            errors.extend(f"units[{index}].{problem}" for problem in problems)
        else:
            parsed.append(unit)
    if errors:
        raise InvalidUnit(errors)
    return parsed


def calculate_batch_with_parameters(
    units: Sequence[dict[str, Any]], overrides: Mapping[str, Decimal]
) -> list[dict[str, Any]]:
    """Like ``calculate_batch`` (same output contract), under changed parameters."""
    parsed = parse_units(units)
    with _system(overrides):
        return [engine.loads(line) for line in engine.compute_lines(parsed)]


def payments_with_parameters(
    units: Sequence[Unit], overrides: Mapping[str, Decimal]
) -> tuple[list[int], list[bool]]:
    """Fast path for large simulations: payment (cents) and eligibility per parsed unit, in
    order, without rendering explanations. Same vectorised simulation as ``calculate_batch``."""
    payments: list[int] = [0] * len(units)
    eligible: list[bool] = [False] * len(units)
    by_month: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        by_month.setdefault(unit.benefit_month, []).append(index)
    with _system(overrides):
        for month, indices in by_month.items():
            group = units if len(indices) == len(units) else [units[i] for i in indices]
            values, _persons = engine.simulate(group, month)
            for index, payment, ok in zip(
                indices, values["ow_payment"], values["ow_eligible"], strict=True
            ):
                payments[index] = int(payment)
                eligible[index] = bool(ok)
    return payments, eligible


__all__ = [
    "UnknownParameter",
    "calculate_batch_with_parameters",
    "parse_units",
    "payments_with_parameters",
    "reformed_tax_benefit_system",
]
