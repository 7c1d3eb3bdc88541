"""A dependant other than a spouse aged 0-17 (O. Reg. 134/98 s.2(3))."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit, Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_is_dependant_child(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Dependent child (0-17)"
    reference = [
        "https://www.ontario.ca/laws/regulation/980134",
    ]

    def formula(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        dependant = person.has_role(BenefitUnit.DEPENDANT)
        return dependant * (person("ow_age", period) < 18)
