"""Child care costs deducted from chargeable earnings, after the exemptions (s.49(1) para 2,
Directive 5.4).
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_child_care_deduction(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Child care deduction (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/54-child-care-deductions",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Deducted from earnings only, so never more than the chargeable earnings.
        members = benefit_unit.members
        costs = benefit_unit.sum(
            members("ow_child_care_costs", period) * members("ow_in_benefit_unit", period)
        )
        earnings = benefit_unit.sum(members("ow_chargeable_earnings", period))
        return np.minimum(costs, earnings)
