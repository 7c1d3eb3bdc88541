"""Amount added so an eligible unit is paid at least the minimum payment (s.63)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_minimum_payment_top_up(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Minimum payment top-up (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/payment-of-assistance/",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        minimum = to_cents(parameters(period).ontario_works.payment.minimum_payment)
        net = (
            benefit_unit("ow_entitlement", period)
            - benefit_unit("ow_overpayment_deduction", period)
            + benefit_unit("ow_transition_child_benefits", period)
        )
        top_up = np.maximum(minimum - net, 0)
        return np.where(benefit_unit("ow_eligible", period), top_up, 0)
