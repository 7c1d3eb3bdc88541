"""Shelter cost including heat and utilities paid separately."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_shelter_cost_total(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Total shelter cost (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return (
            benefit_unit("ow_shelter_cost", period)
            + benefit_unit("ow_heat_cost", period)
            + benefit_unit("ow_utilities_cost", period)
        )
