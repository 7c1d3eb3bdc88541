"""Vectorised calculation of many benefit units (the output is rendered by rendering.py).

One OpenFisca simulation is built per law period present in the batch (months between two rule
changes; a simulation computes one period at a time); inside it every unit and member is one row
of numpy arrays set with ``set_input`` - there is no per-unit simulation and no situation dict.
Outputs are integer cents, formatted with integer arithmetic only.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from openfisca_ontario_works.constants import (
    ASSET_TYPES,
    ROLE_APPLICANT,
    UNEARNED_INCOME_TYPES,
    ResidenceType,
    ShelterType,
)
from openfisca_ontario_works.rendering import render
from openfisca_ontario_works.tax_benefit_system import tax_benefit_system
from openfisca_ontario_works.validation import Unit

UNIT_OUTPUTS: tuple[str, ...] = (
    "ow_basic_needs",
    "ow_shelter_allowance",
    "ow_maximum_shelter_allowance",
    "ow_heat_exceeds_maximum",
    "ow_shelter_cost_total",
    "ow_board_and_lodging_allowance",
    "ow_board_and_lodging_maximum",
    "ow_remote_communities_allowance",
    "ow_special_boarder_allowance",
    "ow_other_allowances",
    "ow_budgetary_requirements",
    "ow_earnings_exemptions_apply",
    "ow_child_care_deduction",
    "ow_chargeable_income",
    "ow_non_exempt_assets",
    "ow_asset_limit",
    "ow_assets_over_limit",
    "ow_income_exceeds_budgetary_requirements",
    "ow_applicant_under_16",
    "ow_eligible",
    "ow_entitlement",
    "ow_overpayment_recovery_rate",
    "ow_overpayment_deduction",
    "ow_minimum_payment_top_up",
    "ow_payment",
    "ow_number_of_dependant_adults",
    "ow_number_of_dependant_children",
    "ow_has_spouse",
    "ow_benefit_unit_size",
    "ow_personal_needs_allowance",
    "ow_transition_child_benefits",
)
PERSON_OUTPUTS: tuple[str, ...] = (
    "ow_counted_earnings",
    "ow_earnings_exemption",
    "ow_special_diet_allowance",
    "ow_pregnancy_breastfeeding_allowance",
    "ow_advanced_age_allowance",
    "ow_left_out_of_benefit_unit",
    "ow_net_monthly_income",
    "ow_transition_child_benefit",
)


def simulate(
    units: Sequence[Unit], month: str
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Run one vectorised simulation for ``units`` (all of ``month``); return unit and person
    outputs as Python lists (ints and bools), persons in unit order."""
    system = tax_benefit_system()
    count = len(units)
    members = [member for unit in units for member in unit.members]
    person_unit = np.repeat(np.arange(count), [len(unit.members) for unit in units])
    (
        _,
        roles,
        ages,
        earnings,
        child_care,
        students,
        unearned,
        diets,
        pregnant,
        non_dairy,
        no_child_benefits,
    ) = zip(*members, strict=True)
    (
        _,
        months_in_receipt,
        _,
        shelter_types,
        shelter_costs,
        heats,
        utilities,
        assets,
        _,
        remote,
        balances,
        rates,
        first_nations,
        vehicle_largest,
        second_vehicle_largest,
        residences,
    ) = zip(*units, strict=True)

    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", np.arange(len(members)))
    group = builder.declare_entity("benefit_unit", np.arange(count))
    builder.join_with_persons(group, person_unit, np.array(roles, dtype=np.int64))
    simulation = builder.build(system)

    def put(name: str, values: Any) -> None:
        simulation.set_input(name, month, values)

    put("ow_age", np.array(ages, dtype=np.int32))
    put("ow_net_earnings", np.array(earnings, dtype=np.int32))
    put("ow_child_care_costs", np.array(child_care, dtype=np.int32))
    put("ow_full_time_student", np.array(students, dtype=bool))
    put("ow_special_diet_requested", np.array(diets, dtype=np.int32))
    put("ow_pregnant_or_breastfeeding", np.array(pregnant, dtype=bool))
    put("ow_pregnancy_allowance_non_dairy", np.array(non_dairy, dtype=bool))
    put("ow_no_child_benefits", np.array(no_child_benefits, dtype=bool))
    by_income_type = np.array(unearned, dtype=np.int32).reshape(len(members), -1)
    for column, income_type in enumerate(UNEARNED_INCOME_TYPES):
        put(f"ow_unearned_income_{income_type}", by_income_type[:, column])
    put("ow_months_in_receipt", np.array(months_in_receipt, dtype=np.int32))
    put("ow_shelter_type", EnumArray(np.array(shelter_types, dtype=np.int16), ShelterType))
    put("ow_shelter_cost", np.array(shelter_costs, dtype=np.int32))
    put("ow_heat_cost", np.array(heats, dtype=np.int32))
    put("ow_utilities_cost", np.array(utilities, dtype=np.int32))
    by_asset_type = np.array(assets, dtype=np.int32).reshape(count, -1)
    for column, asset_type in enumerate(ASSET_TYPES):
        put(f"ow_assets_{asset_type}", by_asset_type[:, column])
    put("ow_remote_community", np.array(remote, dtype=bool))
    put("ow_residence", EnumArray(np.array(residences, dtype=np.int16), ResidenceType))
    put("ow_overpayment_balance", np.array(balances, dtype=np.int32))
    put("ow_overpayment_recovery_rate_requested", np.array(rates, dtype=np.int32))
    put("ow_overpayment_first_nations", np.array(first_nations, dtype=bool))
    put("ow_assets_vehicle_largest", np.array(vehicle_largest, dtype=np.int32))
    put("ow_assets_second_vehicle_largest", np.array(second_vehicle_largest, dtype=np.int32))

    unit_values = {name: simulation.calculate(name, month).tolist() for name in UNIT_OUTPUTS}
    person_values = {name: simulation.calculate(name, month).tolist() for name in PERSON_OUTPUTS}
    return unit_values, person_values


_CHANGE_DATES: dict[int, list[str]] = {}


def _change_dates() -> list[str]:
    """Sorted YYYY-MM-DD dates on which any parameter value, reference or formula starts."""
    system = tax_benefit_system()
    found = _CHANGE_DATES.get(id(system))
    if found is None:
        dates: set[str] = set()
        for node in system.parameters.get_descendants():
            for at in getattr(node, "values_list", ()):
                dates.add(str(at.instant_str))
            for key in (getattr(node, "metadata", None) or {}).get("reference", {}):
                dates.add(str(key))
        for variable in system.variables.values():
            dates.update(str(start) for start in variable.formulas)
        found = _CHANGE_DATES[id(system)] = sorted(dates)
    return found


def law_period(month: str) -> int:
    """Index of the last rule change on or before the first day of ``month``: months with the
    same index have identical parameters, formulas and citations."""
    return bisect_right(_change_dates(), f"{month}-01")


def compute_lines(units: Sequence[Unit]) -> list[str]:
    """Result lines for valid units, in order.

    Units are grouped by law period (months between two rule changes share every parameter,
    formula and citation), and each group is one vectorised simulation at the earliest benefit
    month of the group; each line still reports its own ``benefit_month``.
    """
    periods: dict[str, int] = {}
    groups: dict[int, list[int]] = {}
    for index, unit in enumerate(units):
        month = unit.benefit_month
        key = periods.get(month)
        if key is None:
            key = periods[month] = law_period(month)
        groups.setdefault(key, []).append(index)
    results: list[str] = [""] * len(units)
    for indices in groups.values():
        group = units if len(indices) == len(units) else [units[i] for i in indices]
        month = min(unit.benefit_month for unit in group)
        values, person_values = simulate(group, month)
        for index, line in zip(indices, render(group, month, values, person_values), strict=True):
            results[index] = line
    return results


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping every non-integer number as its decimal text (never a binary float)."""
    return json.loads(text, parse_float=str)


__all__ = ["ROLE_APPLICANT", "compute_lines", "loads", "render", "simulate"]
