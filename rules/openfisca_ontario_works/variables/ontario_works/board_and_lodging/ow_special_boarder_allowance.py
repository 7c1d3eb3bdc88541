"""Special Boarder Allowance, O. Reg. 134/98 s.44(1) para 5."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ShelterType
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_special_boarder_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Special Boarder Allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/support-for-people-in-financial-need/assistance-through-ontario-works/policies-and-procedures/board-and-lodging/",
    ]

    def formula_2017_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        amount = to_cents(
            parameters(period).ontario_works.board_and_lodging.special_boarder_allowance
        )
        boarder = benefit_unit("ow_shelter_type", period) == ShelterType.board_and_lodging
        return np.where(boarder, amount, 0)
