"""Personal-needs allowance for residents of long-term care homes and provincial community
residences, O. Reg. 134/98 s.43(1); Directives 6.7 and 3.2: per member, instead of basic needs
and shelter."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.money import to_cents
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_personal_needs_allowance(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Personal-needs allowance (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/r16228",
        "https://www.ontario.ca/document/ontario-works-policy-directives/67-persons-long-term-care-homes",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Directive 6.7: "$149 per benefit-unit member living in the LTC home"; members left
        # out of the unit for the month (Directive 5.3) are not counted.
        each = to_cents(parameters(period).ontario_works.institutions.personal_needs_allowance)
        members = benefit_unit.sum(benefit_unit.members("ow_in_benefit_unit", period))
        return np.where(benefit_unit("ow_in_institution", period), each * members, 0)
