"""Income other than earnings that is deducted dollar for dollar (s.48, Directives 5.5-5.6)."""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.constants import UNEARNED_INCOME_TYPES
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_non_exempt_unearned_income(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Non-exempt income other than earnings (cents)"
    unit = "cents-CAD"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
        "https://www.ontario.ca/document/ontario-works-policy-directives/61-calculating-assistance",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        exempt = parameters(period).ontario_works.income.exempt
        total = np.zeros(person.count, dtype=np.int64)
        for income_type in UNEARNED_INCOME_TYPES:
            if not exempt[income_type]:
                total += person(f"ow_unearned_income_{income_type}", period)
        return total * person("ow_in_benefit_unit", period)
