"""The applicant is under 16 and cannot receive assistance in their own right (Directive 3.5)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_applicant_under_16(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Applicant under 16"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/35-applicants-and-participants-under-18",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        ages = benefit_unit.members("ow_age", period)
        return benefit_unit.any(ages < 16, role=BenefitUnit.APPLICANT)
