"""The unit lives in an institution that is budgeted the personal-needs allowance (s.43(1))."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ResidenceType
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_in_institution(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Lives in a long-term care home or a provincial community residence"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/67-persons-long-term-care-homes",
        "https://www.ontario.ca/document/ontario-works-policy-directives/32-residential-arrangements",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        residence = benefit_unit("ow_residence", period)
        return (residence == ResidenceType.long_term_care) + (
            residence == ResidenceType.correctional_community_residence
        )
