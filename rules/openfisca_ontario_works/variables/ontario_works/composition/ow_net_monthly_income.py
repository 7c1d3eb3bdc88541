"""Net monthly income of a member: net earnings plus income other than earnings that is not
exempt, before any earnings exemption (used for the dependent-adult test of Directive 5.3)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import UNEARNED_INCOME_TYPES
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_net_monthly_income(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Net monthly income before exemptions (cents)"
    unit = "cents-CAD"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        exempt = parameters(period).ontario_works.income.exempt
        total = np.asarray(person("ow_net_earnings", period), dtype=np.int64).copy()
        for income_type in UNEARNED_INCOME_TYPES:
            if not exempt[income_type]:
                total += person(f"ow_unearned_income_{income_type}", period)
        return total
