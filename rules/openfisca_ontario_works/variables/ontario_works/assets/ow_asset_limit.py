"""Asset limit of the benefit unit, O. Reg. 134/98 s.38(1)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_asset_limit(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Asset limit (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/42-asset-limits",
        "https://www.ontario.ca/laws/regulation/r17282",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        p = parameters(period).ontario_works.assets
        base = np.where(
            benefit_unit("ow_has_spouse", period),
            to_cents(p.limit_with_spouse),
            to_cents(p.limit_single),
        )
        dependants = benefit_unit("ow_number_of_dependant_adults", period) + benefit_unit(
            "ow_number_of_dependant_children", period
        )
        return base + dependants * to_cents(p.limit_each_dependant)
