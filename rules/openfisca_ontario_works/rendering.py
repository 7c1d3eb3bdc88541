"""The contract's output of each unit: one JSON object (text) with its explanation.

The explanation's rule texts, citations and figures are data (explanations.yaml, compiled per
benefit month by explanations.py); this module picks the items that apply to each unit and
fills in its values. It is the hot path of ``ow-calc --batch``: each line is assembled from
pre-escaped pieces, without a per-line JSON encoder call.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from openfisca_ontario_works import citations
from openfisca_ontario_works.constants import (
    FIRST_BOARD_AND_LODGING_MONTH,
    RESIDENCE_EMERGENCY_HOSTEL,
    RESIDENCE_LONG_TERM_CARE,
    RESIDENCES,
    SHELTER_BOARD_AND_LODGING,
    SHELTER_NO_FIXED_ADDRESS,
    SHELTER_RENT,
    UNEARNED_INCOME_TYPES,
)
from openfisca_ontario_works.explanations import (
    CITATIONS,
    Template,
    compile_items,
    composition,
    escape,
    income_labels,
    quoted,
    words,
)
from openfisca_ontario_works.money import FORMATTED, to_cents
from openfisca_ontario_works.money import format_cents as fmt
from openfisca_ontario_works.tax_benefit_system import tax_benefit_system
from openfisca_ontario_works.validation import Unit
from openfisca_ontario_works.version import RULES_VERSION

_STATIC = {name: quoted(text) for name, text in CITATIONS.items()}
_TRUE_FALSE = ("false", "true")


class _Month:
    """The compiled explanation items, citations and figures of one benefit month (cached)."""

    templates: dict[str, Template]
    income: dict[str, str]
    exempt_income: dict[str, bool]
    asset_limit: str
    recovery: str
    recovery_first_nations: str
    personal_needs_each: str
    personal_needs_unverified: bool

    _cache: dict[str, _Month] = {}

    def __new__(cls, month: str) -> _Month:
        found = cls._cache.get(month)
        if found is not None:
            return found
        self = super().__new__(cls)

        def enc(path: str) -> str:
            return quoted(citations.citation(f"ontario_works.{path}", month))

        def since(path: str) -> str:
            return citations.rate_date(f"ontario_works.{path}", month)

        params = tax_benefit_system().parameters(f"{month}-01").ontario_works
        cited = {
            "basic_needs": enc("basic_needs.recipient_alone.adults_0_children_0"),
            "shelter": enc("shelter.maximum_unit_size_1"),
            "heat": enc("shelter.heat_exceeds_maximum_rule"),
            "rca": enc("remote_communities.each_additional_dependant"),
            "diet": enc("allowances.special_diet_maximum_per_member"),
            "pregnancy": enc("allowances.pregnancy_breastfeeding_nutritional"),
            "age": enc("allowances.advanced_age"),
            "earnings": enc("earnings.flat_exemption"),
            "waiting": enc("earnings.exemption_waiting_months"),
            "asset_limit": enc("assets.limit_single"),
            "minimum": enc("payment.minimum_payment"),
            "personal_needs": enc("institutions.personal_needs_allowance"),
            "transition_child_benefit": enc("transition_child_benefit.maximum_per_child"),
            **_STATIC,
        }
        month_values = {
            "basic_date": since("basic_needs.recipient_alone.adults_0_children_0"),
            "shelter_date": since("shelter.maximum_unit_size_1"),
            "rca_date": since("remote_communities.recipient_alone.dependants_0"),
            "age_date": since("allowances.advanced_age"),
            "pregnancy_date": since("allowances.pregnancy_breastfeeding_nutritional"),
            "personal_needs_date": since("institutions.personal_needs_allowance"),
            "tcb_date": since("transition_child_benefit.maximum_per_child"),
            "tcb_maximum": fmt(to_cents(params.transition_child_benefit.maximum_per_child)),
            "flat": fmt(to_cents(params.earnings.flat_exemption)),
            "percent": f"{params.earnings.percentage_exemption * 100:g}",
            "waiting_months": str(int(params.earnings.exemption_waiting_months)),
            "minimum": fmt(to_cents(params.payment.minimum_payment)),
            "diet_maximum": fmt(to_cents(params.allowances.special_diet_maximum_per_member)),
            "single_maximum": fmt(
                to_cents(params.basic_needs.recipient_alone.adults_0_children_0)
                + to_cents(params.shelter.maximum_unit_size_1)
            ),
        }
        if month >= FIRST_BOARD_AND_LODGING_MONTH:
            cited["board"] = enc("board_and_lodging.recipient_alone.adults_0_children_0")
            cited["boarder"] = enc("board_and_lodging.special_boarder_allowance")
            month_values["board_date"] = since(
                "board_and_lodging.recipient_alone.adults_0_children_0"
            )
            month_values["boarder_date"] = since("board_and_lodging.special_boarder_allowance")
        month_values.update({f"citation:{name}": text for name, text in cited.items()})
        self.templates = compile_items(month_values)
        self.asset_limit = cited["asset_limit"]
        self.personal_needs_each = fmt(to_cents(params.institutions.personal_needs_allowance))
        # The October 2017 amount (O. Reg. 282/17) was not read: say so on the line.
        self.personal_needs_unverified = "2017-10" <= month < "2018-10"
        self.recovery = enc("payment.default_overpayment_recovery_rate")
        self.recovery_first_nations = enc("payment.first_nations_overpayment_recovery_rate")
        self.income = {name: enc(f"income.exempt.{name}") for name in UNEARNED_INCOME_TYPES}
        self.exempt_income = {
            name: bool(params.income.exempt[name]) for name in UNEARNED_INCOME_TYPES
        }
        cls._cache[month] = self
        return self


@cache
def _family(has_spouse: bool, adults: int, children: int) -> dict[str, Any]:
    """The composition phrase (JSON-escaped) and its figures, as template values."""
    return {
        "family": escape(composition(has_spouse, adults, children)),
        "spouse": _TRUE_FALSE[bool(has_spouse)],
        "adults": adults,
        "children": children,
    }


def _id(member_id: str) -> str:
    """A member id for use inside a JSON string (escaped, without quotes)."""
    return member_id if member_id.isalnum() else escape(member_id)


def render(  # noqa: PLR0912, PLR0915 (one flat loop: the hot path of --batch)
    units: Sequence[Unit],
    month: str,
    values: dict[str, list[Any]],
    person_values: dict[str, list[Any]],
) -> list[str]:
    """Render each unit's result as one JSON object (text), in order.

    ``month`` selects rates and citations; each line reports its unit's own ``benefit_month``.
    Every explanation item has ``item``, ``amount``, ``rule``, ``citation`` and ``figures``
    (named values as strings, documented per item in docs/rules.md); their texts are in
    explanations.yaml.
    """
    m = _Month(month)
    t = m.templates
    w = words()
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
    personal_needs_all = u["ow_personal_needs_allowance"]
    tcb_all = u["ow_transition_child_benefits"]
    tcb_person_all = p["ow_transition_child_benefit"]
    counted_all = p["ow_counted_earnings"]
    exemption_all = p["ow_earnings_exemption"]
    diet_all = p["ow_special_diet_allowance"]
    pregnancy_all = p["ow_pregnancy_breastfeeding_allowance"]
    age_all = p["ow_advanced_age_allowance"]
    left_out_all = p["ow_left_out_of_benefit_unit"]
    net_income_all = p["ow_net_monthly_income"]
    version = RULES_VERSION
    labels = income_labels()
    income_types = UNEARNED_INCOME_TYPES
    exempt_income = m.exempt_income
    income_citations = m.income
    lines: list[str] = []
    first = 0
    for i, unit in enumerate(units):
        family = _family(spouse_all[i], adults_all[i], children_all[i])
        shelter_type = unit.shelter_type
        basic = basic_all[i]
        members = unit.members
        ids = [_id(member.id) for member in members]
        left_out = left_out_all[first : first + len(members)]
        out: list[str] = []
        add = out.append
        if any(left_out):
            for k in range(len(members)):
                if left_out[k]:
                    income_k = F[net_income_all[first + k]]
                    add(
                        t["dependant_left_out"](amount=income_k, member=ids[k], net_income=income_k)
                    )
        residence = unit.residence
        personal_needs = personal_needs_all[i]
        if residence >= RESIDENCE_LONG_TERM_CARE:
            shelter = 0
            add(
                t["personal_needs_allowance"](
                    amount=F[personal_needs],
                    each=m.personal_needs_each,
                    members=sum(1 for k in range(len(members)) if not left_out[k]),
                    place=w[RESIDENCES[residence]],
                    residence=RESIDENCES[residence],
                    value_note=w["personal_needs_unverified"]
                    if m.personal_needs_unverified
                    else "",
                    unverified=_TRUE_FALSE[m.personal_needs_unverified],
                )
            )
        elif shelter_type == SHELTER_BOARD_AND_LODGING:
            shelter = board_all[i]
            add(
                t["board_and_lodging"](
                    amount=F[shelter],
                    paid=F[shelter_total_all[i]],
                    maximum=F[board_max_all[i]],
                    **family,
                )
            )
        else:
            add(t["basic_needs"](amount=F[basic], **family))
            shelter = shelter_all[i]
            if residence == RESIDENCE_EMERGENCY_HOSTEL:
                add(t["shelter_emergency_hostel"]())
            elif shelter_type == SHELTER_NO_FIXED_ADDRESS:
                add(t["shelter_no_fixed_address"]())
            else:
                size = size_all[i]
                shelter_values = {
                    "amount": F[shelter],
                    "people": w["one_person"] if size == 1 else w["people"].format(count=size),
                    "kind": "rent" if shelter_type == SHELTER_RENT else "own",
                    "maximum": F[shelter_max_all[i]],
                    "size": size,
                }
                if heat_over_all[i]:
                    add(t["shelter_heat"](heat=F[unit.heat], **shelter_values))
                else:
                    add(t["shelter_cost"](cost=F[shelter_total_all[i]], **shelter_values))
        # An institution resident gets the personal-needs allowance only (s.43(1)).
        if residence < RESIDENCE_LONG_TERM_CARE:
            rca = rca_all[i]
            if rca:
                add(t["remote_communities_allowance"](amount=F[rca], **family))
            for k, member in enumerate(members):
                if member.special_diet and not left_out[k]:
                    add(
                        t["special_diet_allowance"](
                            amount=F[diet_all[first + k]],
                            member=ids[k],
                            requested=F[member.special_diet],
                        )
                    )
            for k, member in enumerate(members):
                amount = pregnancy_all[first + k]
                if amount:
                    add(
                        t["pregnancy_breastfeeding_allowance"](
                            amount=F[amount],
                            member=ids[k],
                            non_dairy_note=w["non_dairy_note"] if member.non_dairy else "",
                            non_dairy=_TRUE_FALSE[bool(member.non_dairy)],
                        )
                    )
            for k in range(len(members)):
                amount = age_all[first + k]
                if amount:
                    add(t["advanced_age_allowance"](amount=F[amount], member=ids[k]))
            boarder = boarder_all[i]
            if boarder:
                add(t["special_boarder_allowance"](amount=F[boarder]))
        requirements = requirements_all[i]
        add(t["budgetary_requirements"](amount=F[requirements]))
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
                add(t["earnings_not_counted"](amount=F[earnings], member=ids[k]))
                continue
            add(t["net_earnings"](amount=F[counted], member=ids[k]))
            if exemptions_apply:
                add(t["earnings_exemption"](amount=F[exemption_all[first + k]], member=ids[k]))
            else:
                add(
                    t["earnings_exemption_waiting"](
                        member=ids[k], months_in_receipt=unit.months_in_receipt
                    )
                )
        care = care_all[i]
        if care or has_child_care:
            costs = sum(
                member.child_care_costs for k, member in enumerate(members) if not left_out[k]
            )
            add(t["child_care_deduction"](amount=F[care], costs=F[costs]))
        for k, member in enumerate(members):
            if left_out[k] or not any(member.unearned):
                continue
            for index, amount in enumerate(member.unearned):
                if not amount:
                    continue
                name = income_types[index]
                exempt = exempt_income[name]
                add(
                    t["unearned_income"](
                        amount=F[amount],
                        citation=income_citations[name],
                        income_type=name,
                        label=labels[name],
                        member=ids[k],
                        treatment=w["exempt"] if exempt else w["deducted"],
                        exempt=_TRUE_FALSE[exempt],
                    )
                )
        income = income_all[i]
        add(t["chargeable_income"](amount=F[income]))
        reasons: list[str] = []
        assets_over = assets_over_all[i]
        if unit.has_assets or assets_over:
            add(
                t["assets"](
                    amount=F[assets_all[i]],
                    verdict=w["over_limit"] if assets_over else w["within_limit"],
                    limit=F[limit_all[i]],
                    over_limit=_TRUE_FALSE[bool(assets_over)],
                )
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
            add(t["entitlement"](amount=F[entitlement]))
        else:
            add(t["entitlement_not_eligible"]())
        deduction = deduction_all[i]
        if unit.overpayment_balance and eligible:
            first_nations = unit.first_nations and unit.overpayment_rate < 0
            add(
                t["overpayment_deduction"](
                    amount=F[deduction],
                    citation=m.recovery_first_nations if first_nations else m.recovery,
                    recovery_percent=f"{rate_all[i] / 100:g}",
                    base=F[requirements],
                    balance=F[unit.overpayment_balance],
                    first_nations=_TRUE_FALSE[bool(unit.first_nations)],
                )
            )
        benefits = tcb_all[i]
        if benefits:
            for k in range(len(members)):
                child_benefit = tcb_person_all[first + k]
                if child_benefit:
                    add(t["transition_child_benefit"](amount=F[child_benefit], member=ids[k]))
        top_up = top_up_all[i]
        if top_up:
            add(t["minimum_payment"](amount=F[top_up]))
        payment = payment_all[i]
        add(t["payment_with_benefits" if benefits else "payment"](amount=F[payment]))
        # Output keys of the 1.2 extensions, only for units that use their inputs (a 1.0/1.1
        # input gets exactly the 1.1 output).
        extra = ""
        if residence >= RESIDENCE_LONG_TERM_CARE:
            extra = f'"personal_needs_allowance": "{F[personal_needs]}", '
        if any(member.no_child_benefits for member in members):
            extra += f'"transition_child_benefit": "{F[benefits]}", '
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
            f"{extra}"
            f'"explanation": [{", ".join(out)}], "rules_version": "{version}"}}'
        )
    return lines
