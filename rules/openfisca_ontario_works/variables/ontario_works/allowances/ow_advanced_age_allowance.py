"""Advanced Age Allowance for a member 65 or older (s.41(1) para 5, s.44(1) para 4)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_advanced_age_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Advanced Age Allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/board-and-lodging/",
        "https://www.ontario.ca/laws/regulation/r16228",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        amount = to_cents(parameters(period).ontario_works.allowances.advanced_age)
        older = (person("ow_age", period) >= 65) * person("ow_in_benefit_unit", period)
        return np.where(older, amount, 0)
