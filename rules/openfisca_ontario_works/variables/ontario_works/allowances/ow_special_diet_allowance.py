"""Special Diet Allowance for a member: the amount determined, up to $250 (s.41(1) para 4, s.44(1)
para 3).
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_special_diet_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Special Diet Allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/board-and-lodging/",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        cap = to_cents(parameters(period).ontario_works.allowances.special_diet_maximum_per_member)
        amount = np.minimum(person("ow_special_diet_requested", period), cap)
        return amount * person("ow_in_benefit_unit", period)
