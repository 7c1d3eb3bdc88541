"""The cost of heat alone exceeds the shelter maximum (O. Reg. 134/98 s.42(2) para 4)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.tables import rents_or_owns
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_heat_exceeds_maximum(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Heat alone exceeds the shelter maximum"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/fuel-energy-for-heat/",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        rule_in_force = parameters(period).ontario_works.shelter.heat_exceeds_maximum_rule
        renter_or_owner = rents_or_owns(benefit_unit("ow_shelter_type", period))
        heat = benefit_unit("ow_heat_cost", period)
        maximum = benefit_unit("ow_maximum_shelter_allowance", period)
        return renter_or_owner * bool(rule_in_force) * (heat > maximum)
