"""Monthly entitlement: budgetary requirements less chargeable income, never below 0 (s.40(1))."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_entitlement(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Entitlement (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.ontario.ca/document/ontario-works-policy-directives/61-calculating-assistance",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        difference = benefit_unit("ow_budgetary_requirements", period) - benefit_unit(
            "ow_chargeable_income", period
        )
        return np.where(benefit_unit("ow_eligible", period), np.maximum(difference, 0), 0)
