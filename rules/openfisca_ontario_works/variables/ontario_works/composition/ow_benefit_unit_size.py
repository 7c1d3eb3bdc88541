"""Number of members of the benefit unit (recipient, spouse and all dependants)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_benefit_unit_size(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Benefit unit size"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Members left out this month (Directive 5.3) do not count.
        return benefit_unit.sum(benefit_unit.members("ow_in_benefit_unit", period))
