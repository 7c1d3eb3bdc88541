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
    label = "Income exceeds budgetary requirements"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/61-calculating-assistance",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        income = benefit_unit("ow_chargeable_income", period)
        return income > benefit_unit("ow_budgetary_requirements", period)
