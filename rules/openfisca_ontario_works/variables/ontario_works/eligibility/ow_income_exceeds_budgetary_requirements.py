"""Chargeable income is more than the budgetary requirements (Act s.7(3); Directive 6.1)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_income_exceeds_budgetary_requirements(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Budgetary requirements do not exceed income (income equal to or above them)"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/income/",
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/extended-health-benefit/",
        "https://www.ontario.ca/document/ontario-works-policy-directives/61-calculating-assistance",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Act s.7(3)(b): eligible only if budgetary requirements EXCEED income; O. Reg. 134/98
        # s.57.1 describes the ineligible case as income that "exceeds or is equal to" them.
        # The code name is the contract's ineligibility reason and stays as it is.
        income = benefit_unit("ow_chargeable_income", period)
        return income >= benefit_unit("ow_budgetary_requirements", period)
