"""Vectorised calculation of many benefit units and rendering of the contract's output.

One OpenFisca simulation is built per benefit month present in the batch (rates are dated, and a
simulation computes one period at a time); inside it every unit and member of that month is one
row of numpy arrays set with ``set_input`` - there is no per-unit simulation and no situation dict.
Outputs are integer cents, formatted with integer arithmetic only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from openfisca_ontario_works import citations
from openfisca_ontario_works.constants import (
    ASSET_TYPES,
    ROLE_APPLICANT,
    SHELTER_BOARD_AND_LODGING,
    SHELTER_NO_FIXED_ADDRESS,
    UNEARNED_INCOME_TYPES,
    ShelterType,
)
from openfisca_ontario_works.money import format_cents as fmt
from openfisca_ontario_works.tax_benefit_system import tax_benefit_system
from openfisca_ontario_works.validation import Unit
from openfisca_ontario_works.version import RULES_VERSION

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
)
PERSON_OUTPUTS: tuple[str, ...] = (
    "ow_counted_earnings",
    "ow_earnings_exemption",
    "ow_special_diet_allowance",
    "ow_pregnancy_breastfeeding_allowance",
    "ow_advanced_age_allowance",
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
    (_, roles, ages, earnings, child_care, students, unearned, diets, pregnant) = zip(
        *members, strict=True
    )
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
    put("ow_overpayment_balance", np.array(balances, dtype=np.int32))
    put("ow_overpayment_recovery_rate_requested", np.array(rates, dtype=np.int32))

    unit_values = {name: simulation.calculate(name, month).tolist() for name in UNIT_OUTPUTS}
    person_values = {name: simulation.calculate(name, month).tolist() for name in PERSON_OUTPUTS}
    return unit_values, person_values


# --------------------------------------------------------------------------- rendering

_INCOME_LABELS = {
    "employment_insurance": "Employment Insurance",
    "cpp": "Canada Pension Plan",
    "spousal_support": "Spousal support",
    "child_support": "Child support",
    "canada_child_benefit": "Canada Child Benefit",
    "ontario_child_benefit": "Ontario Child Benefit",
    "workers_compensation": "Workers' compensation (WSIB)",
    "other": "Other income",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def composition(has_spouse: bool, adults: int, children: int) -> str:
    """ "single, no dependants" / "recipient and spouse, 1 dependant 18 or older, ..."."""
    if adults + children == 0:
        return "recipient and spouse, no dependants" if has_spouse else "single, no dependants"
    parts = []
    if adults:
        parts.append(_plural(adults, "dependant") + " 18 or older")
    if children:
        parts.append(_plural(children, "dependant") + " under 18")
    who = "recipient and spouse" if has_spouse else "sole support parent"
    return f"{who}, {' and '.join(parts)}"


class _Month:
    """Encoded citations and labels for one benefit month (cached)."""

    _cache: dict[str, _Month] = {}

    def __new__(cls, month: str) -> _Month:
        found = cls._cache.get(month)
        if found is not None:
            return found
        self = super().__new__(cls)
        cite = citations.citation

        def enc(path: str) -> str:
            return str(encode_basestring(cite(path, month)))

        self.basic_needs = enc("ontario_works.basic_needs.recipient_alone.adults_0_children_0")
        self.shelter = enc("ontario_works.shelter.maximum_unit_size_1")
        self.heat = enc("ontario_works.shelter.heat_exceeds_maximum_rule")
        self.rca = enc("ontario_works.remote_communities.each_additional_dependant")
        self.diet = enc("ontario_works.allowances.special_diet_maximum_per_member")
        self.pregnancy = enc("ontario_works.allowances.pregnancy_breastfeeding_nutritional")
        self.age = enc("ontario_works.allowances.advanced_age")
        self.earnings = enc("ontario_works.earnings.flat_exemption")
        self.waiting = enc("ontario_works.earnings.exemption_waiting_months")
        self.asset_limit = enc("ontario_works.assets.limit_single")
        self.minimum = enc("ontario_works.payment.minimum_payment")
        self.recovery = enc("ontario_works.payment.default_overpayment_recovery_rate")
        self.income = {
            name: enc(f"ontario_works.income.exempt.{name}") for name in UNEARNED_INCOME_TYPES
        }
        params = tax_benefit_system().parameters(f"{month}-01").ontario_works
        self.exempt_income = {
            name: bool(params.income.exempt[name]) for name in UNEARNED_INCOME_TYPES
        }
        self.waiting_months = int(params.earnings.exemption_waiting_months)
        self.flat = fmt(round(params.earnings.flat_exemption * 100))
        self.percent = f"{params.earnings.percentage_exemption * 100:g}%"
        self.minimum_text = fmt(round(params.payment.minimum_payment * 100))
        if month >= "2018-10":
            self.board = enc("ontario_works.board_and_lodging.recipient_alone.adults_0_children_0")
            self.boarder = enc("ontario_works.board_and_lodging.special_boarder_allowance")
        cls._cache[month] = self
        return self


_STATIC = {
    name: str(encode_basestring(text))
    for name, text in {
        "calculation": citations.CALCULATION,
        "eligibility_income": citations.ELIGIBILITY_INCOME,
        "no_fixed_address": citations.NO_FIXED_ADDRESS,
        "earnings_not_counted": citations.EARNINGS_NOT_COUNTED,
        "child_care": citations.CHILD_CARE,
        "under_16": citations.UNDER_16,
        "chargeable_income": citations.CHARGEABLE_INCOME,
    }.items()
}


def _line(item: str, amount: int, rule: str, citation: str) -> str:
    return (
        f'{{"item": "{item}", "amount": "{fmt(amount)}", "rule": {encode_basestring(rule)}, '
        f'"citation": {citation}}}'
    )


def render(  # noqa: PLR0912, PLR0915 (one flat loop: the hot path of --batch)
    units: Sequence[Unit],
    month: str,
    values: dict[str, list[Any]],
    person_values: dict[str, list[Any]],
) -> list[str]:
    """Render each unit's result as one JSON object (text), in order."""
    m = _Month(month)
    s = _STATIC
    u = values
    p = person_values
    lines: list[str] = []
    person = 0
    for i, unit in enumerate(units):
        out: list[str] = []
        add = out.append
        spouse = u["ow_has_spouse"][i]
        adults = u["ow_number_of_dependant_adults"][i]
        children = u["ow_number_of_dependant_children"][i]
        family = composition(spouse, adults, children)
        shelter_type = unit.shelter_type
        basic = u["ow_basic_needs"][i]
        if shelter_type == SHELTER_BOARD_AND_LODGING:
            board = u["ow_board_and_lodging_allowance"][i]
            add(
                _line(
                    "board_and_lodging",
                    board,
                    f"Board and lodging: amount paid ${fmt(u['ow_shelter_cost_total'][i])}, up to "
                    f"the maximum ${fmt(u['ow_board_and_lodging_maximum'][i])} ({family})",
                    m.board,
                )
            )
            shelter = board
        else:
            add(_line("basic_needs", basic, f"Basic needs, {family}", m.basic_needs))
            shelter = u["ow_shelter_allowance"][i]
            size = u["ow_benefit_unit_size"][i]
            maximum = fmt(u["ow_maximum_shelter_allowance"][i])
            if shelter_type == SHELTER_NO_FIXED_ADDRESS:
                add(
                    _line(
                        "shelter_allowance",
                        0,
                        "No fixed address: no shelter costs, so no shelter allowance",
                        s["no_fixed_address"],
                    )
                )
            elif u["ow_heat_exceeds_maximum"][i]:
                add(
                    _line(
                        "shelter_allowance",
                        shelter,
                        f"Shelter: the cost of heat alone (${fmt(unit.heat)}) is more than the "
                        f"maximum ${maximum} for {_plural(size, 'person')}, so the cost of heat "
                        "is paid",
                        m.heat,
                    )
                )
            else:
                add(
                    _line(
                        "shelter_allowance",
                        shelter,
                        f"Shelter: actual cost ${fmt(u['ow_shelter_cost_total'][i])} (including "
                        f"heat and utilities), up to the maximum ${maximum} for "
                        f"{_plural(size, 'person')}",
                        m.shelter,
                    )
                )
        rca = u["ow_remote_communities_allowance"][i]
        if rca:
            add(
                _line(
                    "remote_communities_allowance",
                    rca,
                    f"Remote Communities Allowance, {family}",
                    m.rca,
                )
            )
        members = unit.members
        first = person
        for k, member in enumerate(members):
            amount = p["ow_special_diet_allowance"][first + k]
            if member.special_diet:
                add(
                    _line(
                        "special_diet_allowance",
                        amount,
                        f"Special Diet Allowance for member {member.id}: amount determined "
                        f"${fmt(member.special_diet)}, up to $250.00 a member",
                        m.diet,
                    )
                )
        for k, member in enumerate(members):
            amount = p["ow_pregnancy_breastfeeding_allowance"][first + k]
            if amount:
                add(
                    _line(
                        "pregnancy_breastfeeding_allowance",
                        amount,
                        f"Pregnancy/Breast-feeding Nutritional Allowance for member {member.id}",
                        m.pregnancy,
                    )
                )
        for k, member in enumerate(members):
            amount = p["ow_advanced_age_allowance"][first + k]
            if amount:
                add(
                    _line(
                        "advanced_age_allowance",
                        amount,
                        f"Advanced Age Allowance for member {member.id} (65 or older)",
                        m.age,
                    )
                )
        boarder = u["ow_special_boarder_allowance"][i]
        if boarder:
            add(_line("special_boarder_allowance", boarder, "Special Boarder Allowance", m.boarder))
        requirements = u["ow_budgetary_requirements"][i]
        add(
            _line(
                "budgetary_requirements",
                requirements,
                "Budgetary requirements: basic needs, shelter and allowances added together",
                s["calculation"],
            )
        )
        exemptions_apply = u["ow_earnings_exemptions_apply"][i]
        for k, member in enumerate(members):
            if not member.net_earnings:
                continue
            counted = p["ow_counted_earnings"][first + k]
            if not counted:
                add(
                    _line(
                        "earnings_not_counted",
                        member.net_earnings,
                        f"Net earnings of member {member.id}: not counted (dependant under 18 or "
                        "in full-time school)",
                        s["earnings_not_counted"],
                    )
                )
                continue
            add(
                _line(
                    "net_earnings",
                    counted,
                    f"Net earnings of member {member.id}",
                    m.earnings,
                )
            )
            if exemptions_apply:
                add(
                    _line(
                        "earnings_exemption",
                        p["ow_earnings_exemption"][first + k],
                        f"Earnings exemption for member {member.id}: the first ${m.flat} plus "
                        f"{m.percent} of the rest is not counted",
                        m.earnings,
                    )
                )
            else:
                add(
                    _line(
                        "earnings_exemption",
                        0,
                        f"No earnings exemption for member {member.id}: fewer than "
                        f"{m.waiting_months} consecutive months on assistance "
                        f"({unit.months_in_receipt})",
                        m.waiting,
                    )
                )
        care = u["ow_child_care_deduction"][i]
        if care or any(member.child_care_costs for member in members):
            add(
                _line(
                    "child_care_deduction",
                    care,
                    "Child care costs deducted from earnings after the exemptions (never more "
                    "than the earnings)",
                    s["child_care"],
                )
            )
        for member in members:
            for index, amount in enumerate(member.unearned):
                if not amount:
                    continue
                name = UNEARNED_INCOME_TYPES[index]
                treatment = (
                    "exempt, not deducted"
                    if m.exempt_income[name]
                    else "deducted dollar for dollar"
                )
                add(
                    _line(
                        name,
                        amount,
                        f"{_INCOME_LABELS[name]} of member {member.id}: {treatment}",
                        m.income[name],
                    )
                )
        income = u["ow_chargeable_income"][i]
        add(
            _line(
                "chargeable_income",
                income,
                "Chargeable income: earnings after exemptions and child care, plus income that "
                "is not exempt",
                s["chargeable_income"],
            )
        )
        reasons: list[str] = []
        assets_over = u["ow_assets_over_limit"][i]
        if unit.has_assets or assets_over:
            limit = fmt(u["ow_asset_limit"][i])
            verdict = "over" if assets_over else "within"
            add(
                _line(
                    "assets",
                    u["ow_non_exempt_assets"][i],
                    f"Assets that count (exempt assets left out): {verdict} the limit of ${limit} "
                    "for this benefit unit",
                    m.asset_limit,
                )
            )
        if assets_over:
            reasons.append(f'{{"code": "assets_over_limit", "citation": {m.asset_limit}}}')
        if u["ow_income_exceeds_budgetary_requirements"][i]:
            reasons.append(
                '{"code": "income_exceeds_budgetary_requirements", '
                f'"citation": {s["eligibility_income"]}}}'
            )
        if u["ow_applicant_under_16"][i]:
            reasons.append(f'{{"code": "applicant_under_16", "citation": {s["under_16"]}}}')
        eligible = u["ow_eligible"][i]
        entitlement = u["ow_entitlement"][i]
        if eligible:
            add(
                _line(
                    "entitlement",
                    entitlement,
                    "Entitlement: budgetary requirements minus chargeable income (not below 0)",
                    s["calculation"],
                )
            )
        else:
            add(
                _line(
                    "entitlement",
                    0,
                    "Not eligible this month, so no entitlement (see ineligibility reasons)",
                    s["eligibility_income"],
                )
            )
        deduction = u["ow_overpayment_deduction"][i]
        if unit.overpayment_balance and eligible:
            rate = u["ow_overpayment_recovery_rate"][i]
            add(
                _line(
                    "overpayment_deduction",
                    deduction,
                    f"Overpayment recovery: {rate / 100:g}% of the entitlement, up to the balance "
                    f"${fmt(unit.overpayment_balance)}, leaving at least ${m.minimum_text}",
                    m.recovery,
                )
            )
        top_up = u["ow_minimum_payment_top_up"][i]
        if top_up:
            add(
                _line(
                    "minimum_payment",
                    top_up,
                    f"Minimum payment: a payment below ${m.minimum_text} is raised to "
                    f"${m.minimum_text}",
                    m.minimum,
                )
            )
        payment = u["ow_payment"][i]
        add(_line("payment", payment, "Payment for the month", s["calculation"]))
        person += len(members)
        lines.append(
            f'{{"benefit_month": "{month}", "eligible": {"true" if eligible else "false"}, '
            f'"ineligibility_reasons": [{", ".join(reasons)}], '
            f'"basic_needs": "{fmt(basic)}", "shelter_allowance": "{fmt(shelter)}", '
            f'"other_allowances": "{fmt(u["ow_other_allowances"][i])}", '
            f'"budgetary_requirements": "{fmt(requirements)}", '
            f'"chargeable_income": "{fmt(income)}", "entitlement": "{fmt(entitlement)}", '
            f'"overpayment_deduction": "{fmt(deduction)}", "payment": "{fmt(payment)}", '
            f'"explanation": [{", ".join(out)}], "rules_version": "{RULES_VERSION}"}}'
        )
    return lines


def compute_lines(units: Sequence[Unit]) -> list[str]:
    """Result lines for valid units, in order: one simulation per benefit month present."""
    by_month: dict[str, list[int]] = {}
    for index, unit in enumerate(units):
        by_month.setdefault(unit.benefit_month, []).append(index)
    results: list[str] = [""] * len(units)
    for month, indices in by_month.items():
        group = units if len(indices) == len(units) else [units[i] for i in indices]
        values, person_values = simulate(group, month)
        for index, line in zip(indices, render(group, month, values, person_values), strict=True):
            results[index] = line
    return results


def loads(text: str | bytes) -> Any:
    """Parse JSON keeping every non-integer number as its decimal text (never a binary float)."""
    return json.loads(text, parse_float=str)


__all__ = ["ROLE_APPLICANT", "compute_lines", "loads", "render", "simulate"]
