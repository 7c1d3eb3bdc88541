"""Shelter allowance for renters and owners, O. Reg. 134/98 s.42."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ResidenceType
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.tables import rents_or_owns
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_shelter_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Shelter allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter",
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/fuel-energy-for-heat/",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # s.42(2) para 2: actual cost (incl. heat and utilities) up to the maximum for the size.
        # s.42(2) para 4: if heat alone exceeds the maximum, the cost of heat is paid.
        # No fixed address: no shelter cost, no shelter allowance (basic needs still paid).
        # Board and lodging: s.44(1) instead (ow_board_and_lodging_allowance).
        renter_or_owner = rents_or_owns(benefit_unit("ow_shelter_type", period))
        total = benefit_unit("ow_shelter_cost_total", period)
        maximum = benefit_unit("ow_maximum_shelter_allowance", period)
        heat = benefit_unit("ow_heat_cost", period)
        capped = np.minimum(total, maximum)
        amount = np.where(benefit_unit("ow_heat_exceeds_maximum", period), heat, capped)
        # Municipal emergency hostel (s.41(1) para 1; Directive 6.16, shelter funded by the
        # municipal Homelessness Prevention Program since 2013): no shelter amount. Institution
        # (s.43(1)): the personal-needs allowance replaces basic needs and shelter.
        residence = benefit_unit("ow_residence", period)
        housed = residence == ResidenceType.community
        return np.where(renter_or_owner * housed, amount, 0)
