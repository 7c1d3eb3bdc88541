"""Transition Child Benefit of the whole benefit unit (sum over its children), Directive 7.6."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_transition_child_benefits(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Transition Child Benefit of the benefit unit (cents)"
    unit = "cents-CAD"
    reference = [
        "https://ontario.ca/document/ontario-works-policy-directives/76-transition-child-benefit",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return benefit_unit.sum(benefit_unit.members("ow_transition_child_benefit", period))
