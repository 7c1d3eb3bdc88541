"""The member counts in the benefit unit this month (not left out under Directive 5.3)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_in_benefit_unit(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Counts in the benefit unit this month"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
    ]

    def formula(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return ~person("ow_left_out_of_benefit_unit", period)
