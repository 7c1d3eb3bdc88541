"""Input: monthly cost of heat paid separately, integer cents."""

from __future__ import annotations

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_ontario_works.entities import BenefitUnit


class ow_heat_cost(Variable):  # type: ignore[misc]  # noqa: N801 (OpenFisca names)
    value_type = int
    entity = BenefitUnit
    definition_period = DateUnit.MONTH
    label = "Monthly cost of energy for heat (cents)"
    unit = "cents-CAD"
    reference = ["https://www.ontario.ca/document/ontario-works-policy-directives/63-shelter"]
