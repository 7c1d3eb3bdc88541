"""Payment for the month: entitlement less overpayment recovery, at least the minimum payment,
plus the Transition Child Benefit (a mandatory benefit added to the monthly payment, Directive
7.6; zero unless the input asks for it, so 1.0.0 inputs keep their payment)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_payment(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Payment (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/payment-of-assistance/",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return (
            benefit_unit("ow_entitlement", period)
            - benefit_unit("ow_overpayment_deduction", period)
            + benefit_unit("ow_minimum_payment_top_up", period)
            + benefit_unit("ow_transition_child_benefits", period)
        )
