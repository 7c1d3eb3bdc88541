"""A dependent adult whose net income is above the maximum assistance for a single person is left
out of the benefit unit for the month: neither their needs nor their income count (OW Policy
Directive 5.3 Earnings exemptions)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit, Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_left_out_of_benefit_unit(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = Person
    definition_period = DateUnit.MONTH
    label = (
        "Dependent adult left out of the benefit unit this month (income above the single maximum)"
    )
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
    ]

    def formula_2016_10_01(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        # Directive 5.3: a dependent adult whose net monthly income is more than the maximum
        # assistance for a single person gets no exemptions and is removed from the benefit unit
        # for that month. "Net income" is read as net earnings plus non-exempt other income (the
        # same test as "net monthly income ... greater than the maximum amount of income
        # assistance provided for a single person" in O. Reg. 134/98 s.2(2)(c)(i)).
        dependant_adult = person.has_role(BenefitUnit.DEPENDANT) * (person("ow_age", period) >= 18)
        income = person("ow_net_monthly_income", period)
        return dependant_adult * (income > person("ow_single_maximum_assistance", period))
