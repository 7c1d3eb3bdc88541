"""Financially eligible for the month: assets within the limit and income not above the budgetary
requirements.
"""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_eligible(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Eligible"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/61-calculating-assistance",
        "https://www.ontario.ca/document/ontario-works-policy-directives/42-asset-limits",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Only the financial tests and the age floor are coded; residency, participation,
        # immigration status and the like are decided by the caseworker before calling the rules.
        return ~(
            benefit_unit("ow_assets_over_limit", period)
            + benefit_unit("ow_income_exceeds_budgetary_requirements", period)
            + benefit_unit("ow_applicant_under_16", period)
        )
