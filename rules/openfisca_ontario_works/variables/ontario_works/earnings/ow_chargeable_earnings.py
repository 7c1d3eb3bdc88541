"""Counted net earnings less the earnings exemption."""

from __future__ import annotations

from openfisca_core.periods import DateUnit, Period
from openfisca_core.populations import Population
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import Person
from openfisca_ontario_works.typing_helpers import FormulaResult, Parameters


class ow_chargeable_earnings(Variable):  # type: ignore[misc]  # noqa: N801
    value_type = int
    entity = Person
    definition_period = DateUnit.MONTH
    label = "Chargeable earnings (cents)"
    unit = "cents-CAD"
    reference = [
        "http://www.mcss.gov.on.ca/en/mcss/programs/social/directives/ow/5_3_OW_Directives.aspx",
    ]

    def formula(
        person: Population,  # noqa: N805
        period: Period,
        parameters: Parameters,
    ) -> FormulaResult:
        return person("ow_counted_earnings", period) - person("ow_earnings_exemption", period)
