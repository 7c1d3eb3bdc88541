"""Number of dependants 18 or older (other than a spouse)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_number_of_dependant_adults(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Dependants 18 or older"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return benefit_unit.sum(benefit_unit.members("ow_is_dependant_adult", period))
