"""A dependant other than a spouse aged 18 or older (O. Reg. 134/98 s.2(1))."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit, Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_is_dependant_adult(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Dependent adult (18 or older)"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # A dependent adult left out this month (Directive 5.3) is not counted.
        dependant = person.has_role(BenefitUnit.DEPENDANT)
        return dependant * (person("ow_age", period) >= 18) * person("ow_in_benefit_unit", period)
