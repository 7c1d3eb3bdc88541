"""Net earnings that count: recipient, spouse, dependent adults not in full-time school."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit, Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_counted_earnings(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Counted net earnings (cents)"
    unit = "cents-CAD"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
        "https://www.cleo.on.ca/en/publications/work-ow/all",
    ]

    def formula(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Earnings of dependants under 18 and of dependants who are full-time students are not
        # counted (CLEO / Steps to Justice summaries of s.49 and Directive 5.3).
        dependant = person.has_role(BenefitUnit.DEPENDANT)
        not_counted = dependant * (
            (person("ow_age", period) < 18) + person("ow_full_time_student", period)
        ) + person("ow_left_out_of_benefit_unit", period)
        return np.where(not_counted, 0, person("ow_net_earnings", period))
