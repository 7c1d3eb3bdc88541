"""Earnings exemption per adult: first $200 plus 50 % of the rest, after 3 months (s.49, Directive
5.3).
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.money import percent_half_up, to_cents, to_ten_thousandths
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_earnings_exemption(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Earnings exemption (cents)"
    unit = "cents-CAD"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        p = parameters(period).ontario_works.earnings
        earnings = person("ow_counted_earnings", period)
        flat = np.minimum(earnings, to_cents(p.flat_exemption))
        # 50 % of the excess, rounded half up to the cent (in the client's favour).
        percentage = percent_half_up(earnings - flat, to_ten_thousandths(p.percentage_exemption))
        applies = person.benefit_unit("ow_earnings_exemptions_apply", period)
        return np.where(applies, flat + percentage, 0)
