"""Maximum monthly shelter allowance for the benefit unit size, O. Reg. 134/98 s.42(2) para 2."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_maximum_shelter_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Maximum shelter allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        p = parameters(period).ontario_works.shelter
        by_size = np.array(
            [
                0,
                to_cents(p.maximum_unit_size_1),
                to_cents(p.maximum_unit_size_2),
                to_cents(p.maximum_unit_size_3),
                to_cents(p.maximum_unit_size_4),
                to_cents(p.maximum_unit_size_5),
                to_cents(p.maximum_unit_size_6_or_more),
            ],
            dtype=np.int64,
        )
        size = np.clip(benefit_unit("ow_benefit_unit_size", period), 1, 6)
        return by_size[size]
