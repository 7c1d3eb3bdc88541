"""Amount paid for board and lodging up to the maximum, O. Reg. 134/98 s.44(1) para 1."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ShelterType
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_board_and_lodging_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Board and lodging allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/board-and-lodging/",
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula_2017_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        boarder = benefit_unit("ow_shelter_type", period) == ShelterType.board_and_lodging
        paid = benefit_unit("ow_shelter_cost_total", period)
        maximum = benefit_unit("ow_board_and_lodging_maximum", period)
        return np.where(boarder, np.minimum(paid, maximum), 0)
