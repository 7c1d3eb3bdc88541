"""Allowances added to basic needs and shelter (RCA, special diet, pregnancy, advanced age, special
boarder).
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_other_allowances(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Other allowances (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/document/ontario-works-policy-directives/61-calculating-assistance",
    ]

    def formula(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # An institution resident (s.43(1)) gets the personal-needs allowance only: the home
        # meets the other needs (Directive 6.6: no Special Diet Allowance in long-term care).
        members = benefit_unit.members
        return np.logical_not(benefit_unit("ow_in_institution", period)) * (
            benefit_unit("ow_remote_communities_allowance", period)
            + benefit_unit.sum(members("ow_special_diet_allowance", period))
            + benefit_unit.sum(members("ow_pregnancy_breastfeeding_allowance", period))
            + benefit_unit.sum(members("ow_advanced_age_allowance", period))
            + benefit_unit("ow_special_boarder_allowance", period)
        )
