"""Amount deducted this month to recover an overpayment (s.62)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import percent_down, to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_overpayment_deduction(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Overpayment deduction (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/93-recovery-overpayments",
        "https://www.ontario.ca/document/ontario-disability-support-program-policy-directives-income-support/111-recovery",
        "https://stepstojustice.ca/questions/income-assistance/what-can-ontario-works-do-if-i-have-overpayment/",
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/payment-of-assistance/",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # rate x the monthly budgetary requirements (the base named by ODSP Directive 11.1 and
        # by OW Directive 9.3 as quoted), rounded DOWN to the cent (in the recipient's favour;
        # no rounding rule was found), never more than the balance, and never so much that the
        # payment falls below the s.63 minimum payment. See docs/rules.md "Overpayment recovery".
        minimum = to_cents(parameters(period).ontario_works.payment.minimum_payment)
        entitlement = benefit_unit("ow_entitlement", period)
        rate = benefit_unit("ow_overpayment_recovery_rate", period)
        base = benefit_unit("ow_budgetary_requirements", period)
        wanted = percent_down(base, rate)
        balance = benefit_unit("ow_overpayment_balance", period)
        room = np.maximum(entitlement - minimum, 0)
        deduction = np.minimum(np.minimum(wanted, balance), room)
        return np.where(benefit_unit("ow_eligible", period), deduction, 0)
