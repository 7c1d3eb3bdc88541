"""Vectorised calculation of many benefit units and rendering of the contract's output.

One OpenFisca simulation is built per law period present in the batch (months between two rule
changes; a simulation computes one period at a time); inside it every unit and member is one row
of numpy arrays set with ``set_input`` - there is no per-unit simulation and no situation dict.
Outputs are integer cents, formatted with integer arithmetic only.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from json.encoder import encode_basestring
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from openfisca_ontario_works import citations
from openfisca_ontario_works.constants import (
    ASSET_TYPES,
    FIRST_BOARD_AND_LODGING_MONTH,
    ROLE_APPLICANT,
    SHELTER_BOARD_AND_LODGING,
    SHELTER_NO_FIXED_ADDRESS,
    SHELTER_RENT,
    UNEARNED_INCOME_TYPES,
    ShelterType,
)
from openfisca_ontario_works.money import FORMATTED, to_cents
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
    "ow_left_out_of_benefit_unit",
    "ow_net_monthly_income",
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
    (_, roles, ages, earnings, child_care, students, unearned, diets, pregnant, non_dairy) = zip(
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
        first_nations,
        vehicle_largest,
        second_vehicle_largest,
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
    put("ow_overpayment_first_nations", np.array(first_nations, dtype=bool))
    put("ow_assets_vehicle_largest", np.array(vehicle_largest, dtype=np.int32))
    put("ow_assets_second_vehicle_largest", np.array(second_vehicle_largest, dtype=np.int32))

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
    "cpp_childrens_benefit": "CPP disabled contributor's child's benefit",
    "cpp_orphans_benefit": "CPP orphan's benefit",
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
    """Encoded citations, labels and fixed figures for one benefit month (cached)."""

    basic_needs: str
    shelter: str
    heat: str
    rca: str
    diet: str
    pregnancy: str
    age: str
    earnings: str
    waiting: str
    asset_limit: str
    minimum: str
    recovery: str
    recovery_first_nations: str
    board: str
    boarder: str
    income: dict[str, str]
    exempt_income: dict[str, bool]
    waiting_months: int
    flat: str
    percent: str
    minimum_text: str
    diet_cap: str
    single_maximum: str
    basic_date: str
    shelter_date: str
    board_date: str
    boarder_date: str
    rca_date: str
    age_date: str
    pregnancy_date: str
    age_figures: str
    exemption_figures: str
    waiting_figures: str
    minimum_figures: str

    _cache: dict[str, _Month] = {}

    def __new__(cls, month: str) -> _Month:
        found = cls._cache.get(month)
        if found is not None:
            return found
        self = super().__new__(cls)
        cite = citations.citation

        def enc(path: str) -> str:
            return str(encode_basestring(cite(path, month)))

        def since(path: str) -> str:
            return citations.rate_date(f"ontario_works.{path}", month)

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
        self.recovery_first_nations = enc(
            "ontario_works.payment.first_nations_overpayment_recovery_rate"
        )
        self.income = {
            name: enc(f"ontario_works.income.exempt.{name}") for name in UNEARNED_INCOME_TYPES
        }
        params = tax_benefit_system().parameters(f"{month}-01").ontario_works
        self.exempt_income = {
            name: bool(params.income.exempt[name]) for name in UNEARNED_INCOME_TYPES
        }
        self.waiting_months = int(params.earnings.exemption_waiting_months)
        self.flat = fmt(to_cents(params.earnings.flat_exemption))
        percent = f"{params.earnings.percentage_exemption * 100:g}"
        self.percent = f"{percent}%"
        self.minimum_text = fmt(to_cents(params.payment.minimum_payment))
        self.diet_cap = "$" + fmt(to_cents(params.allowances.special_diet_maximum_per_member))
        self.single_maximum = fmt(
            to_cents(params.basic_needs.recipient_alone.adults_0_children_0)
            + to_cents(params.shelter.maximum_unit_size_1)
        )
        self.basic_date = since("basic_needs.recipient_alone.adults_0_children_0")
        self.shelter_date = since("shelter.maximum_unit_size_1")
        self.rca_date = since("remote_communities.recipient_alone.dependants_0")
        self.age_date = since("allowances.advanced_age")
        self.pregnancy_date = since("allowances.pregnancy_breastfeeding_nutritional")
        self.age_figures = f'"age_minimum": "65", "rate_date": "{self.age_date}"'
        self.exemption_figures = (
            f'"flat": "{self.flat}", "percent": "{percent}", '
            f'"waiting_months": "{self.waiting_months}"'
        )
        self.waiting_figures = f'"waiting_months": "{self.waiting_months}"'
        self.minimum_figures = f'"minimum": "{self.minimum_text}"'
        if month >= FIRST_BOARD_AND_LODGING_MONTH:
            self.board = enc("ontario_works.board_and_lodging.recipient_alone.adults_0_children_0")
            self.boarder = enc("ontario_works.board_and_lodging.special_boarder_allowance")
            self.board_date = since("board_and_lodging.recipient_alone.adults_0_children_0")
            self.boarder_date = since("board_and_lodging.special_boarder_allowance")
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
        "dependant_left_out": citations.DEPENDANT_LEFT_OUT,
    }.items()
}


@cache
def _family(has_spouse: bool, adults: int, children: int) -> tuple[str, str]:
    """Composition phrase (JSON-escaped without quotes) and its figures."""
    phrase = str(encode_basestring(composition(has_spouse, adults, children)))[1:-1]
    figures = (
        f'"spouse": "{"true" if has_spouse else "false"}", '
        f'"count_adults": "{adults}", "count_children": "{children}"'
    )
    return phrase, figures


def _id(member_id: str) -> str:
    """A member id for use inside a JSON string (escaped, without quotes)."""
    return member_id if member_id.isalnum() else str(encode_basestring(member_id))[1:-1]


def render(  # noqa: PLR0912, PLR0915 (one flat loop: the hot path of --batch)
    units: Sequence[Unit],
    month: str,
    values: dict[str, list[Any]],
    person_values: dict[str, list[Any]],
) -> list[str]:
    """Render each unit's result as one JSON object (text), in order.

    ``month`` selects rates and citations; each line reports its unit's own ``benefit_month``.

    Text is assembled from pre-escaped pieces: rule texts only embed amounts (digits) and member
    ids (escaped once), so each line is valid JSON without a per-line encoder call. Every
    explanation item has ``item``, ``amount``, ``rule``, ``citation`` and ``figures`` (named
    values as strings, documented per item in docs/rules.md).
    """
    m = _Month(month)
    F = FORMATTED  # noqa: N806 (cents -> text, memoised)
    s = _STATIC
    u = values
    p = person_values
    basic_all = u["ow_basic_needs"]
    shelter_all = u["ow_shelter_allowance"]
    board_all = u["ow_board_and_lodging_allowance"]
    board_max_all = u["ow_board_and_lodging_maximum"]
    shelter_total_all = u["ow_shelter_cost_total"]
    shelter_max_all = u["ow_maximum_shelter_allowance"]
    heat_over_all = u["ow_heat_exceeds_maximum"]
    size_all = u["ow_benefit_unit_size"]
    spouse_all = u["ow_has_spouse"]
    adults_all = u["ow_number_of_dependant_adults"]
    children_all = u["ow_number_of_dependant_children"]
    rca_all = u["ow_remote_communities_allowance"]
    boarder_all = u["ow_special_boarder_allowance"]
    other_all = u["ow_other_allowances"]
    requirements_all = u["ow_budgetary_requirements"]
    exemptions_all = u["ow_earnings_exemptions_apply"]
    care_all = u["ow_child_care_deduction"]
    income_all = u["ow_chargeable_income"]
    assets_over_all = u["ow_assets_over_limit"]
    assets_all = u["ow_non_exempt_assets"]
    limit_all = u["ow_asset_limit"]
    income_over_all = u["ow_income_exceeds_budgetary_requirements"]
    under_16_all = u["ow_applicant_under_16"]
    eligible_all = u["ow_eligible"]
    entitlement_all = u["ow_entitlement"]
    rate_all = u["ow_overpayment_recovery_rate"]
    deduction_all = u["ow_overpayment_deduction"]
    top_up_all = u["ow_minimum_payment_top_up"]
    payment_all = u["ow_payment"]
    counted_all = p["ow_counted_earnings"]
    exemption_all = p["ow_earnings_exemption"]
    diet_all = p["ow_special_diet_allowance"]
    pregnancy_all = p["ow_pregnancy_breastfeeding_allowance"]
    age_all = p["ow_advanced_age_allowance"]
    left_out_all = p["ow_left_out_of_benefit_unit"]
    net_income_all = p["ow_net_monthly_income"]
    calculation = s["calculation"]
    version = RULES_VERSION
    income_labels = _INCOME_LABELS
    income_types = UNEARNED_INCOME_TYPES
    exempt_income = m.exempt_income
    income_citations = m.income
    single_maximum = m.single_maximum
    lines: list[str] = []
    first = 0
    for i, unit in enumerate(units):
        family, family_figures = _family(spouse_all[i], adults_all[i], children_all[i])
        shelter_type = unit.shelter_type
        basic = basic_all[i]
        members = unit.members
        ids = [_id(member.id) for member in members]
        left_out = left_out_all[first : first + len(members)]
        any_left_out = any(left_out)
        out: list[str] = []
        add = out.append
        if any_left_out:
            for k in range(len(members)):
                if left_out[k]:
                    income_k = net_income_all[first + k]
                    add(
                        f'{{"item": "dependant_left_out", "amount": "{F[income_k]}", "rule": '
                        f'"Member {ids[k]} (dependant 18 or older) is left out of the benefit '
                        f"unit this month: net income ${F[income_k]} is more than "
                        f"${single_maximum}, the most a single person could receive, so "
                        f'neither their needs nor their income count", "citation": '
                        f'{s["dependant_left_out"]}, "figures": {{"member": "{ids[k]}", '
                        f'"net_income": "{F[income_k]}", "single_maximum": "{single_maximum}"}}}}'
                    )
        if shelter_type == SHELTER_BOARD_AND_LODGING:
            shelter = board_all[i]
            paid = F[shelter_total_all[i]]
            board_max = F[board_max_all[i]]
            add(
                f'{{"item": "board_and_lodging", "amount": "{F[shelter]}", "rule": "Board and '
                f"lodging: amount paid ${paid}, up to the maximum ${board_max} ({family})"
                f'", "citation": {m.board}, "figures": {{{family_figures}, "paid": "{paid}", '
                f'"maximum": "{board_max}", "rate_date": "{m.board_date}"}}}}'
            )
        else:
            add(
                f'{{"item": "basic_needs", "amount": "{F[basic]}", "rule": "Basic needs, '
                f'{family}", "citation": {m.basic_needs}, "figures": {{{family_figures}, '
                f'"rate_date": "{m.basic_date}"}}}}'
            )
            shelter = shelter_all[i]
            if shelter_type == SHELTER_NO_FIXED_ADDRESS:
                add(
                    '{"item": "shelter_allowance", "amount": "0.00", "rule": "No fixed address: '
                    'no shelter costs, so no shelter allowance", "citation": '
                    f"{s['no_fixed_address']}, "
                    '"figures": {"shelter_type": "no_fixed_address"}}'
                )
            else:
                size = size_all[i]
                people = "1 person" if size == 1 else f"{size} people"
                kind = "rent" if shelter_type == SHELTER_RENT else "own"
                shelter_max = F[shelter_max_all[i]]
                if heat_over_all[i]:
                    heat = F[unit.heat]
                    add(
                        f'{{"item": "shelter_allowance", "amount": "{F[shelter]}", "rule": '
                        f'"Shelter: the cost of heat alone (${heat}) is more than the '
                        f"maximum ${shelter_max} for {people}, so the cost of heat "
                        f'is paid", "citation": {m.heat}, "figures": {{"shelter_type": '
                        f'"{kind}", "heat": "{heat}", "maximum": "{shelter_max}", '
                        f'"unit_size": "{size}", "heat_exceeds_maximum": "true", '
                        f'"rate_date": "{m.shelter_date}"}}}}'
                    )
                else:
                    cost = F[shelter_total_all[i]]
                    add(
                        f'{{"item": "shelter_allowance", "amount": "{F[shelter]}", "rule": '
                        f'"Shelter: actual cost ${cost} (including heat and '
                        f"utilities), up to the maximum ${shelter_max} for "
                        f'{people}", "citation": {m.shelter}, "figures": {{"shelter_type": '
                        f'"{kind}", "cost": "{cost}", "maximum": "{shelter_max}", '
                        f'"unit_size": "{size}", "rate_date": "{m.shelter_date}"}}}}'
                    )
        rca = rca_all[i]
        if rca:
            add(
                f'{{"item": "remote_communities_allowance", "amount": "{F[rca]}", "rule": '
                f'"Remote Communities Allowance, {family}", "citation": {m.rca}, '
                f'"figures": {{{family_figures}, "rate_date": "{m.rca_date}"}}}}'
            )
        for k, member in enumerate(members):
            if member.special_diet and not left_out[k]:
                requested = F[member.special_diet]
                add(
                    f'{{"item": "special_diet_allowance", "amount": "{F[diet_all[first + k]]}", '
                    f'"rule": "Special Diet Allowance for member {ids[k]}: amount determined '
                    f'${requested}, up to {m.diet_cap} a member", '
                    f'"citation": {m.diet}, "figures": {{"member": "{ids[k]}", '
                    f'"requested": "{requested}", "maximum": "{m.diet_cap[1:]}"}}}}'
                )
        for k, member in enumerate(members):
            amount = pregnancy_all[first + k]
            if amount:
                non_dairy = member.non_dairy
                add(
                    f'{{"item": "pregnancy_breastfeeding_allowance", "amount": "{F[amount]}", '
                    f'"rule": "Pregnancy/Breast-feeding Nutritional Allowance for member '
                    f'{ids[k]}{" (non-dairy diet)" if non_dairy else ""}", '
                    f'"citation": {m.pregnancy}, "figures": {{"member": "{ids[k]}", '
                    f'"non_dairy": "{"true" if non_dairy else "false"}", '
                    f'"rate_date": "{m.pregnancy_date}"}}}}'
                )
        for k in range(len(members)):
            amount = age_all[first + k]
            if amount:
                add(
                    f'{{"item": "advanced_age_allowance", "amount": "{F[amount]}", "rule": '
                    f'"Advanced Age Allowance for member {ids[k]} (65 or older)", '
                    f'"citation": {m.age}, "figures": {{"member": "{ids[k]}", '
                    f"{m.age_figures}}}}}"
                )
        boarder = boarder_all[i]
        if boarder:
            add(
                f'{{"item": "special_boarder_allowance", "amount": "{F[boarder]}", "rule": '
                f'"Special Boarder Allowance", "citation": {m.boarder}, '
                f'"figures": {{"rate_date": "{m.boarder_date}"}}}}'
            )
        requirements = requirements_all[i]
        add(
            f'{{"item": "budgetary_requirements", "amount": "{F[requirements]}", "rule": '
            '"Budgetary requirements: basic needs, shelter and allowances added together", '
            f'"citation": {calculation}, "figures": {{}}}}'
        )
        exemptions_apply = exemptions_all[i]
        has_child_care = False
        for k, member in enumerate(members):
            if left_out[k]:
                continue
            if member.child_care_costs:
                has_child_care = True
            earnings = member.net_earnings
            if not earnings:
                continue
            counted = counted_all[first + k]
            if not counted:
                add(
                    f'{{"item": "earnings_not_counted", "amount": "{F[earnings]}", "rule": '
                    f'"Net earnings of member {ids[k]}: not counted (dependant under 18 or in '
                    f'full-time school)", "citation": {s["earnings_not_counted"]}, '
                    f'"figures": {{"member": "{ids[k]}"}}}}'
                )
                continue
            add(
                f'{{"item": "net_earnings", "amount": "{F[counted]}", "rule": "Net earnings of '
                f'member {ids[k]}", "citation": {m.earnings}, '
                f'"figures": {{"member": "{ids[k]}"}}}}'
            )
            if exemptions_apply:
                add(
                    f'{{"item": "earnings_exemption", "amount": '
                    f'"{F[exemption_all[first + k]]}", "rule": "Earnings exemption for member '
                    f"{ids[k]}: the first ${m.flat} plus {m.percent} of the rest is not "
                    f'counted", "citation": {m.earnings}, "figures": {{"member": "{ids[k]}", '
                    f'"applies": "true", {m.exemption_figures}}}}}'
                )
            else:
                add(
                    f'{{"item": "earnings_exemption", "amount": "0.00", "rule": "No earnings '
                    f"exemption for member {ids[k]}: fewer than {m.waiting_months} consecutive "
                    f'months on assistance ({unit.months_in_receipt})", "citation": '
                    f'{m.waiting}, "figures": {{"member": "{ids[k]}", "applies": "false", '
                    f'{m.waiting_figures}, "months_in_receipt": "{unit.months_in_receipt}"}}}}'
                )
        care = care_all[i]
        if care or has_child_care:
            costs = sum(
                member.child_care_costs for k, member in enumerate(members) if not left_out[k]
            )
            add(
                f'{{"item": "child_care_deduction", "amount": "{F[care]}", "rule": "Child care '
                "costs deducted from earnings after the exemptions (never more than the "
                f'earnings)", "citation": {s["child_care"]}, '
                f'"figures": {{"costs": "{F[costs]}"}}}}'
            )
        for k, member in enumerate(members):
            if left_out[k] or not any(member.unearned):
                continue
            for index, amount in enumerate(member.unearned):
                if not amount:
                    continue
                name = income_types[index]
                exempt = exempt_income[name]
                treatment = "exempt, not deducted" if exempt else "deducted dollar for dollar"
                add(
                    f'{{"item": "{name}", "amount": "{F[amount]}", "rule": '
                    f'"{income_labels[name]} of member {ids[k]}: {treatment}", '
                    f'"citation": {income_citations[name]}, "figures": {{"member": "{ids[k]}", '
                    f'"income_type": "{name}", "exempt": "{"true" if exempt else "false"}"}}}}'
                )
        income = income_all[i]
        add(
            f'{{"item": "chargeable_income", "amount": "{F[income]}", "rule": "Chargeable '
            "income: earnings after exemptions and child care, plus income that is not "
            f'exempt", "citation": {s["chargeable_income"]}, "figures": {{}}}}'
        )
        reasons: list[str] = []
        assets_over = assets_over_all[i]
        if unit.has_assets or assets_over:
            verdict = "over" if assets_over else "within"
            limit = F[limit_all[i]]
            add(
                f'{{"item": "assets", "amount": "{F[assets_all[i]]}", "rule": "Assets that count '
                f"(exempt assets left out): {verdict} the limit of ${limit} for this "
                f'benefit unit", "citation": {m.asset_limit}, "figures": {{"limit": "{limit}", '
                f'"over_limit": "{"true" if assets_over else "false"}"}}}}'
            )
            if assets_over:
                reasons.append(f'{{"code": "assets_over_limit", "citation": {m.asset_limit}}}')
        if income_over_all[i]:
            reasons.append(
                '{"code": "income_exceeds_budgetary_requirements", '
                f'"citation": {s["eligibility_income"]}}}'
            )
        if under_16_all[i]:
            reasons.append(f'{{"code": "applicant_under_16", "citation": {s["under_16"]}}}')
        eligible = eligible_all[i]
        entitlement = entitlement_all[i]
        if eligible:
            add(
                f'{{"item": "entitlement", "amount": "{F[entitlement]}", "rule": "Entitlement: '
                'budgetary requirements minus chargeable income (not below 0)", '
                f'"citation": {calculation}, "figures": {{"eligible": "true"}}}}'
            )
        else:
            add(
                '{"item": "entitlement", "amount": "0.00", "rule": "Not eligible this month, so '
                "no entitlement (see ineligibility reasons; income equal to or above the "
                'budgetary requirements is not eligible)", '
                f'"citation": {s["eligibility_income"]}, "figures": {{"eligible": "false"}}}}'
            )
        deduction = deduction_all[i]
        if unit.overpayment_balance and eligible:
            percent = f"{rate_all[i] / 100:g}"
            balance = F[unit.overpayment_balance]
            first_nations = unit.first_nations and unit.overpayment_rate < 0
            add(
                f'{{"item": "overpayment_deduction", "amount": "{F[deduction]}", "rule": '
                f'"Overpayment recovery: {percent}% of the budgetary requirements '
                f"${F[requirements]} (rounded down to the cent), up to the balance ${balance}, "
                f'leaving at least ${m.minimum_text}", "citation": '
                f"{m.recovery_first_nations if first_nations else m.recovery}, "
                f'"figures": {{"percent": "{percent}", "base": "{F[requirements]}", '
                f'"balance": "{balance}", {m.minimum_figures}, '
                f'"first_nations": "{"true" if unit.first_nations else "false"}"}}}}'
            )
        top_up = top_up_all[i]
        if top_up:
            add(
                f'{{"item": "minimum_payment", "amount": "{F[top_up]}", "rule": "Minimum '
                f"payment: a payment below ${m.minimum_text} is raised to "
                f'${m.minimum_text}", "citation": {m.minimum}, "figures": {{{m.minimum_figures}}}}}'
            )
        payment = payment_all[i]
        add(
            f'{{"item": "payment", "amount": "{F[payment]}", "rule": "Payment for the month", '
            f'"citation": {calculation}, "figures": {{}}}}'
        )
        first += len(members)
        lines.append(
            f'{{"benefit_month": "{unit.benefit_month}", '
            f'"eligible": {"true" if eligible else "false"}, '
            f'"ineligibility_reasons": [{", ".join(reasons)}], '
            f'"basic_needs": "{F[basic]}", "shelter_allowance": "{F[shelter]}", '
            f'"other_allowances": "{F[other_all[i]]}", '
            f'"budgetary_requirements": "{F[requirements]}", '
            f'"chargeable_income": "{F[income]}", "entitlement": "{F[entitlement]}", '
            f'"overpayment_deduction": "{F[deduction]}", "payment": "{F[payment]}", '
            f'"explanation": [{", ".join(out)}], "rules_version": "{version}"}}'
        )
    return lines


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
