"""Remote Communities Allowance, O. Reg. 134/98 s.41(1) para 2."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_remote_communities_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Remote Communities Allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.ontario.ca/laws/regulation/r16228",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Applied to every shelter arrangement; whether s.44(1) para 2 adds it for boarders is
        # not confirmed (the quoted text of para 2 was not visible) - see README.
        p = parameters(period).ontario_works.remote_communities
        alone = np.array([to_cents(p.recipient_alone[f"dependants_{n}"]) for n in range(4)])
        couple = np.array([to_cents(p.recipient_and_spouse[f"dependants_{n}"]) for n in range(4)])
        dependants = benefit_unit("ow_number_of_dependant_adults", period) + benefit_unit(
            "ow_number_of_dependant_children", period
        )
        row = np.minimum(dependants, 3)
        base = np.where(benefit_unit("ow_has_spouse", period), couple[row], alone[row])
        amount = base + (dependants - row) * to_cents(p.each_additional_dependant)
        return np.where(benefit_unit("ow_remote_community", period), amount, 0)
