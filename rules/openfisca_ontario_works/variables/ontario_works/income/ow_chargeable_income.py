"""Income deducted from the budgetary requirements: chargeable earnings less child care plus non-
exempt income.
"""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_chargeable_income(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Chargeable income (cents)"
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
        members = benefit_unit.members
        return (
            benefit_unit.sum(members("ow_chargeable_earnings", period))
            - benefit_unit("ow_child_care_deduction", period)
            + benefit_unit.sum(members("ow_non_exempt_unearned_income", period))
        )
