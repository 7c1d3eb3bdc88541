"""Budgetary requirements: basic needs + shelter (or board and lodging) + allowances, or the
personal-needs allowance of an institution resident, O. Reg. 134/98 s.41-44.
"""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_budgetary_requirements(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Budgetary requirements (cents)"
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
        return (
            benefit_unit("ow_basic_needs", period)
            + benefit_unit("ow_shelter_allowance", period)
            + benefit_unit("ow_board_and_lodging_allowance", period)
            + benefit_unit("ow_other_allowances", period)
            + benefit_unit("ow_personal_needs_allowance", period)
        )
