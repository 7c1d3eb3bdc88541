"""Pregnancy/Breast-feeding Nutritional Allowance of a member (renters, owners, no address)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import ShelterType
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_pregnancy_breastfeeding_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Pregnancy/Breast-feeding Nutritional Allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.toronto.ca/community-people/employment-social-support/child-family-support/ontario-works-child-related-benefits/",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Not in the s.44(1) list for board and lodging (as quoted by the City of Toronto).
        # $50 instead of $40 when a non-dairy diet is confirmed.
        p = parameters(period).ontario_works.allowances
        amount = np.where(
            person("ow_pregnancy_allowance_non_dairy", period),
            to_cents(p.pregnancy_breastfeeding_nutritional_non_dairy),
            to_cents(p.pregnancy_breastfeeding_nutritional),
        )
        shelter_type = person.benefit_unit("ow_shelter_type", period)
        boarder = shelter_type == ShelterType.board_and_lodging
        applies = person("ow_pregnant_or_breastfeeding", period) * ~boarder
        return np.where(applies * person("ow_in_benefit_unit", period), amount, 0)
