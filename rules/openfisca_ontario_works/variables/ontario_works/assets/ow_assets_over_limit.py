"""Non-exempt assets exceed the asset limit (s.38(1))."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_assets_over_limit(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Assets over the limit"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/42-asset-limits",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return benefit_unit("ow_non_exempt_assets", period) > benefit_unit("ow_asset_limit", period)
