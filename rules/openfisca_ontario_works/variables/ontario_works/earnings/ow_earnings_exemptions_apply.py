"""Earnings exemptions apply after 3 consecutive months of assistance (Directive 5.3)."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_earnings_exemptions_apply(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = bool
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Earnings exemptions apply this month"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
    ]

    def formula_2016_10_01(
        benefit_unit: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        waiting = parameters(period).ontario_works.earnings.exemption_waiting_months
        return benefit_unit("ow_months_in_receipt", period) >= int(waiting)
